// Helpers for outputs that split one worker batch into several API calls and answer per alert.
import { notOwn, ok, partial, wholeCall, type Outcome, type SendResult } from '../dispatch/result.ts';
import { abortReason } from './abort.ts';

/**
 * Groups items into calls of at most `maxCount` items and `maxBytes` bytes (each item counts its
 * `bytes` plus `overhead`), keeping their order. An item bigger than `maxBytes` goes alone.
 */
export function chunkBySize<T extends { bytes: number }>(items: readonly T[], maxCount: number, maxBytes: number, overhead = 1): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    if (current.length > 0 && (current.length >= maxCount || bytes + item.bytes + overhead > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += item.bytes + overhead;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** One outcome per alert → the batch's result: a single outcome when they all agree, else partial(). */
export function settle(outcomes: readonly Outcome[]): SendResult {
  const first = outcomes[0];
  if (first !== undefined && outcomes.every((o) => o === first || (o.kind === 'ok' && first.kind === 'ok' && !o.duplicate && !first.duplicate))) {
    return first.kind === 'ok' ? ok() : first;
  }
  return partial(outcomes);
}

/**
 * Makes one call per chunk, in order, and fills `outcomes` (indexed by each item's `index`): `call`
 * settles its own items; a thrown error is classified for the whole chunk. Throttling (a retry with
 * `afterMs`) and refused credentials (`auth`) end the run: the later chunks get the same outcome
 * without spending a call. At the deadline, what went out stays delivered and the rest is retried,
 * as not sent (result.ts notOwn).
 */
export async function sendChunks<T extends { index: number }>(
  chunks: readonly (readonly T[])[],
  outcomes: Outcome[],
  signal: AbortSignal,
  call: (chunk: readonly T[]) => Promise<void>,
  classify: (err: unknown, chunk: readonly T[]) => Outcome,
): Promise<void> {
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c] as readonly T[];
    let stop: Outcome | undefined;
    try {
      await call(chunk);
    } catch (err) {
      if (signal.aborted) {
        if (c === 0) throw err;
        stop = notOwn(`timed out before this part of the batch was sent: ${abortReason(signal).message}`);
        c--; // this chunk is part of the rest
      } else {
        const outcome = classify(err, chunk);
        for (const item of chunk) outcomes[item.index] = outcome;
        if (outcome.kind === 'retry' && (outcome.auth || outcome.afterMs !== undefined)) stop = outcome;
      }
    }
    if (stop !== undefined) {
      for (const rest of chunks.slice(c + 1)) for (const item of rest) outcomes[item.index] = stop;
      return;
    }
  }
}

/**
 * A call that failed as a whole (a 4xx about its content, an error): with several alerts in it the
 * core cannot tell which is at fault, so it sends them again in halves (result.ts wholeCall) until
 * the one at fault is alone; refused credentials and throttling stay the destination's.
 */
export function blameWholeCall(outcome: Outcome, alertsInCall: number): Outcome {
  if (outcome.kind === 'ok' || alertsInCall <= 1) return outcome;
  if (outcome.kind === 'retry' && (outcome.auth || outcome.afterMs !== undefined)) return outcome;
  return wholeCall(outcome);
}
