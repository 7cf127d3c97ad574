// What happens to each alert of a batch once the plugin has classified the attempt: delivered,
// retried later (within the retry budget) or dead-lettered. Pure but for the alerts' attempt counts
// and batch caps: the worker applies the verdict.
//
// A batch refused or failed whole (one outcome for all its alerts, or for all the alerts of one of
// its calls: result.ts wholeCall) may have failed for one alert in it: a body the destination cannot
// parse, an SDK that cannot encode one finding. Its alerts go again in halves (QueueEntry.maxBatch),
// so the others are delivered and the one at fault ends alone: about 2·log2(n) more requests for one
// such alert in n, 2n − 1 requests at most when every alert is refused.
//
// A refusal (`fail`: a 400, a 413) is about the request, so it is halved at once. A plain error
// (`retry`: a 500, a timeout, a refused connection, an SDK that throws) is as often the destination's
// state, and a batch that failed as an outage began must go again whole once it is over. So a retry
// halves only on evidence (evidence.ts): the batch failed whole before, a request that started after
// that delivered alerts, and it failed whole again (QueueEntry.failedWholeAt). Alerts already being
// halved go on halving.
import type { DeadLetterReason } from './dead-letter.ts';
import type { Evidence } from './evidence.ts';
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
  /** The first retry outcome of the batch, one not an alert's own if any (its reason is what the logs and /healthz show). */
  retry?: Extract<Outcome, { kind: 'retry' }>;
  /** The largest Retry-After of the batch, when the destination gave one. */
  retryAfterMs?: number;
  /** The batch failed whole and its alerts go again at most this many per request (see above). */
  split?: number;
  /**
   * Of `again`, the alerts that failed with a plain error of their own: alone in the request, or
   * answered apart inside a batch answered per alert (an outcome no other alert shares, not a whole
   * call's, not notOwn: result.ts). Whether the fault is theirs is weighed by set-aside.ts.
   */
  alone: { entry: QueueEntry; reason: string }[];
  /** Of the dead letters, the alerts whose budget ended as they failed alone (as those in `alone`). */
  spentAlone: QueueEntry[];
  /** How many alerts failed with a retry: in `again`, or dead-lettered as their budget ended (not a refusal halved). */
  retried: number;
}

/**
 * Judges every alert of an attempt. Counts the attempt on each alert that was not delivered.
 * `evidence`: the output's, read now (evidence.ts).
 */
export function judge(batch: readonly QueueEntry[], result: SendResult, budget: RetryBudget, now: number, evidence: Evidence): Verdict {
  const verdict: Verdict = { delivered: [], duplicates: 0, deadLetters: [], again: [], alone: [], spentAlone: [], retried: 0 };
  const perAlert = result.kind === 'partial';
  const shared = perAlert ? sharedOutcomes(result.items) : undefined;
  let ownRetry = false;
  batch.forEach((entry, index) => {
    const outcome = outcomeAt(result, index);
    if (outcome.kind === 'ok') {
      verdict.delivered.push(entry);
      if (outcome.duplicate) verdict.duplicates++;
      return;
    }
    // How many alerts failed with this one, as one: the batch, or its call (result.ts wholeCall).
    const sharing = perAlert ? (shared?.get(outcome) ?? 1) : batch.length;
    const together = perAlert && !outcome.wholeCall ? 1 : sharing;
    if (outcome.kind === 'fail' && together > 1 && !outcome.whole) {
      // Refused whole: nothing is dead-lettered yet, and no attempt is counted (halving must not
      // spend the retry budget); the halves go at once, with no backoff of their own.
      verdict.split = halve(entry, together);
      verdict.again.push(entry);
      return;
    }
    entry.attempts++;
    if (outcome.kind === 'fail') {
      verdict.deadLetters.push({ entry, reason: 'rejected', detail: outcome.reason });
      return;
    }
    const own = sharing === 1 && !outcome.wholeCall && !outcome.notOwn && outcome.afterMs === undefined && !outcome.auth;
    // The reason the output shows for the attempt: one that is not an alert's own, if any (an alert
    // set aside does not fail the output).
    if (verdict.retry === undefined || (ownRetry && !own)) [verdict.retry, ownRetry] = [outcome, own];
    verdict.retried++;
    if (outcome.afterMs !== undefined) verdict.retryAfterMs = Math.max(verdict.retryAfterMs ?? 0, outcome.afterMs);
    if (outOfBudget(entry, budget, now)) {
      verdict.deadLetters.push({ entry, reason: 'retry_budget', detail: `gave up after ${entry.attempts} attempts: ${outcome.reason}` });
      if (own) verdict.spentAlone.push(entry);
      return;
    }
    verdict.again.push(entry);
    if (own) verdict.alone.push({ entry, reason: outcome.reason });
    // Failed whole with a plain error: may be one alert's (an SDK that cannot encode it, a server that
    // fails on it), on evidence (above). Not when the destination named a wait or refused credentials.
    if (together > 1 && outcome.afterMs === undefined && !outcome.auth) {
      if (entry.maxBatch > 0 || (entry.failedWholeAt >= 0 && evidence.deliveredSince(entry.failedWholeAt))) verdict.split = halve(entry, together);
      else entry.failedWholeAt = evidence.mark;
    }
  });
  return verdict;
}

/**
 * Per-alert failures: how many alerts each outcome object covers. One object for several alerts
 * means they failed as one: a call (result.ts wholeCall), or alerts a failure stopped before they
 * were sent (plugin/each.ts, plugin/batch.ts sendChunks).
 */
function sharedOutcomes(items: readonly Outcome[]): Map<Outcome, number> | undefined {
  let counts: Map<Outcome, number> | undefined;
  for (const item of items) {
    if (item.kind === 'ok') continue;
    counts ??= new Map();
    counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

/** Caps `entry` at half of the `size` it failed with; returns the cap. */
function halve(entry: QueueEntry, size: number): number {
  const cap = Math.ceil(size / 2);
  entry.maxBatch = cap;
  return cap;
}

function outOfBudget(entry: QueueEntry, budget: RetryBudget, now: number): boolean {
  return (budget.maxattempts > 0 && entry.attempts >= budget.maxattempts) || (budget.maxagems > 0 && now - entry.receivedAt >= budget.maxagems);
}
