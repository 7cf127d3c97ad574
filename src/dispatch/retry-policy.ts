// What happens to each alert of a batch once the plugin has classified the attempt: delivered,
// retried later (within the retry budget) or dead-lettered. Pure but for the alerts' attempt counts
// and batch caps: the worker applies the verdict.
//
// A batch refused or failed whole (one outcome for all its alerts) may have failed for one alert in
// it: a body the destination cannot parse, an SDK that cannot encode one finding. Its alerts go again
// in halves (QueueEntry.maxBatch), so the others are delivered and the one at fault ends alone: 2·log2(n)
// more requests for one such alert in n, 2n − 1 requests at most when every alert is refused.
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
  /** The batch failed whole and its alerts go again at most this many per request (see above). */
  split?: number;
}

/** Judges every alert of an attempt. Counts the attempt on each alert that was not delivered. */
export function judge(batch: readonly QueueEntry[], result: SendResult, budget: RetryBudget, now: number): Verdict {
  if (result.kind === 'fail' && batch.length > 1) {
    // Refused whole: nothing is dead-lettered yet, and no attempt is counted (halving must not spend
    // the retry budget); the halves are sent at once, with no backoff.
    const split = halve(batch, batch.length);
    return { delivered: [], duplicates: 0, deadLetters: [], again: [...batch], split };
  }
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
  // Failed whole with a plain error: may be one alert's (an SDK that cannot encode it, a server that
  // fails on it). Not when the destination named a wait or refused credentials: that is its state.
  if (result.kind === 'retry' && batch.length > 1 && result.afterMs === undefined && !result.auth) verdict.split = halve(verdict.again, batch.length);
  return verdict;
}

/** Caps `entries` at half of the `size` they were sent in; returns the cap. */
function halve(entries: readonly QueueEntry[], size: number): number {
  const cap = Math.ceil(size / 2);
  for (const entry of entries) entry.maxBatch = cap;
  return cap;
}

function outOfBudget(entry: QueueEntry, budget: RetryBudget, now: number): boolean {
  return (budget.maxattempts > 0 && entry.attempts >= budget.maxattempts) || (budget.maxagems > 0 && now - entry.receivedAt >= budget.maxagems);
}
