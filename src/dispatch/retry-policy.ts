// What happens to each alert of a batch once the plugin has classified the attempt: delivered,
// retried later (within the retry budget) or dead-lettered. Pure: the worker applies the verdict.
import type { DeadLetterReason } from './dead-letter.ts';
import type { QueueEntry } from './queue-entry.ts';
import { outcomeAt, type Outcome, type SendResult } from './result.ts';

export interface RetryBudget {
  /** 0 = no limit. */
  maxattempts: number;
  /** 0 = no limit. */
  maxagems: number;
}

export interface Verdict {
  delivered: QueueEntry[];
  /** Of the delivered, how many the destination already had (idempotent replays). */
  duplicates: number;
  deadLetters: { entry: QueueEntry; reason: DeadLetterReason; detail: string }[];
  /** To send again, in batch order. */
  again: QueueEntry[];
  /** The first retry outcome of the batch (its reason is what the logs and /healthz show). */
  retry?: Extract<Outcome, { kind: 'retry' }>;
  /** The largest Retry-After of the batch, when the destination gave one. */
  retryAfterMs?: number;
}

/** Judges every alert of an attempt. Counts the attempt on each alert that was not delivered. */
export function judge(batch: readonly QueueEntry[], result: SendResult, budget: RetryBudget, now: number): Verdict {
  const verdict: Verdict = { delivered: [], duplicates: 0, deadLetters: [], again: [] };
  batch.forEach((entry, index) => {
    const outcome = outcomeAt(result, index);
    if (outcome.kind === 'ok') {
      verdict.delivered.push(entry);
      if (outcome.duplicate) verdict.duplicates++;
      return;
    }
    entry.attempts++;
    if (outcome.kind === 'fail') {
      verdict.deadLetters.push({ entry, reason: 'rejected', detail: outcome.reason });
      return;
    }
    verdict.retry ??= outcome;
    if (outcome.afterMs !== undefined) verdict.retryAfterMs = Math.max(verdict.retryAfterMs ?? 0, outcome.afterMs);
    if (outOfBudget(entry, budget, now)) {
      verdict.deadLetters.push({ entry, reason: 'retry_budget', detail: `gave up after ${entry.attempts} attempts: ${outcome.reason}` });
    } else {
      verdict.again.push(entry);
    }
  });
  return verdict;
}

function outOfBudget(entry: QueueEntry, budget: RetryBudget, now: number): boolean {
  return (budget.maxattempts > 0 && entry.attempts >= budget.maxattempts) || (budget.maxagems > 0 && now - entry.receivedAt >= budget.maxagems);
}
