import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alert/alert.ts';
import { Evidence } from '../../../src/dispatch/evidence.ts';
import { QueueEntry } from '../../../src/dispatch/queue-entry.ts';
import { fail, notOwn, ok, partial, retry, wholeCall } from '../../../src/dispatch/result.ts';
import { judge } from '../../../src/dispatch/retry-policy.ts';

const entry = (i: number, init: { attempts?: number; receivedAt?: number } = {}) =>
  new QueueEntry({ uuid: `a${i}`, priority: 'Notice' } as Alert, { bytes: 1, seq: i, receivedAt: init.receivedAt ?? 0, attempts: init.attempts ?? 0 });
const noBudget = { maxattempts: 0, maxagems: 0 };

describe('judge (retry policy)', () => {
  it('sorts a partial result into delivered, dead letters and retries, counting attempts on the undelivered only', () => {
    const batch = [entry(0), entry(1), entry(2), entry(3)];
    const v = judge(batch, partial([ok(), ok({ duplicate: true }), fail('HTTP 400: mapping'), retry('HTTP 503', { afterMs: 700 })]), noBudget, 0, new Evidence());
    expect(v.delivered).toEqual([batch[0], batch[1]]);
    expect(v.duplicates).toBe(1);
    expect(v.deadLetters).toEqual([{ entry: batch[2], reason: 'rejected', detail: 'HTTP 400: mapping' }]);
    expect(v.again).toEqual([batch[3]]);
    expect(v.retry).toMatchObject({ reason: 'HTTP 503' });
    expect(v.retryAfterMs).toBe(700);
    expect(batch.map((e) => e.attempts)).toEqual([0, 0, 1, 1]);
  });

  it('keeps the largest Retry-After and the first retry reason of a batch', () => {
    const v = judge([entry(0), entry(1)], partial([retry('first', { afterMs: 100 }), retry('second', { afterMs: 900 })]), noBudget, 0, new Evidence());
    expect(v.retry?.reason).toBe('first');
    expect(v.retryAfterMs).toBe(900);
  });

  it('dead-letters an alert that runs out of attempts or age, with the last error', () => {
    const tired = entry(0, { attempts: 2 });
    const old = entry(1, { receivedAt: 0 });
    const young = entry(2, { receivedAt: 9_500 });
    const v = judge([tired, old, young], retry('ECONNREFUSED'), { maxattempts: 3, maxagems: 10_000 }, 10_000, new Evidence());
    expect(v.deadLetters.map((d) => [d.entry, d.reason, d.detail])).toEqual([
      [tired, 'retry_budget', 'gave up after 3 attempts: ECONNREFUSED'],
      [old, 'retry_budget', 'gave up after 1 attempts: ECONNREFUSED'],
    ]);
    expect(v.again).toEqual([young]);
  });

  it('treats a missing per-alert outcome as a retry, never as delivered', () => {
    const v = judge([entry(0), entry(1)], partial([ok()]), noBudget, 0, new Evidence());
    expect(v.delivered).toHaveLength(1);
    expect(v.again).toHaveLength(1);
    expect(v.retry?.reason).toBe('the output returned no outcome for this alert');
  });

  it('sends a batch refused whole again in halves, dead-lettering nothing and counting no attempt; one alone is dead-lettered', () => {
    const batch = [entry(0), entry(1), entry(2), entry(3), entry(4)];
    const v = judge(batch, fail('HTTP 400: bad request'), { maxattempts: 1, maxagems: 0 }, 0, new Evidence());
    expect(v).toMatchObject({ delivered: [], deadLetters: [], again: batch, split: 3 });
    expect(batch.map((e) => [e.attempts, e.maxBatch])).toEqual(Array(5).fill([0, 3]));
    // Not when the destination kept part of the batch (OTLP's partial success): all dead-lettered.
    const kept = [entry(6), entry(7)];
    expect(judge(kept, fail('rejected 1 of 2', { whole: true }), noBudget, 0, new Evidence()).deadLetters.map((d) => d.entry)).toEqual(kept);
    const alone = entry(5);
    const last = judge([alone], fail('HTTP 400: bad request'), noBudget, 0, new Evidence());
    expect(last.deadLetters).toEqual([{ entry: alone, reason: 'rejected', detail: 'HTTP 400: bad request' }]);
    expect(last.split).toBeUndefined();
  });

  it('halves a batch that failed whole with an error again after a later request delivered, but not one the destination throttled or whose credentials it refused', () => {
    const evidence = new Evidence();
    /** One request of the output, started and judged. */
    const attempt = (batch: QueueEntry[], result: Parameters<typeof judge>[1]) => {
      const request = evidence.begin();
      const verdict = judge(batch, result, noBudget, 0, evidence);
      evidence.settled(request, verdict.delivered.length > 0, verdict.retry !== undefined);
      return verdict;
    };
    const failed = [entry(0), entry(1), entry(2), entry(3)];
    const inFlight = evidence.begin(); // started before the failure: its delivery is no evidence
    // The first time, the error may be the destination's (an outage begins): sent again whole.
    expect(attempt(failed, retry('cannot encode')).split).toBeUndefined();
    evidence.settled(inFlight, true, false);
    // Again with nothing delivered by a request started since: still the destination's, maybe.
    expect(attempt(failed, retry('cannot encode')).split).toBeUndefined();
    expect(failed.map((e) => [e.attempts, e.maxBatch])).toEqual(Array(4).fill([2, 0]));
    attempt([entry(9)], ok()); // a later request delivers
    // Again: the batch's.
    expect(attempt(failed, retry('cannot encode'))).toMatchObject({ again: failed, split: 2 });
    expect(failed.map((e) => [e.attempts, e.maxBatch])).toEqual(Array(4).fill([3, 2]));
    // A half that fails whole again goes on halving.
    expect(attempt(failed.slice(0, 2), retry('cannot encode')).split).toBe(1);
    // Calls of one attempt: one delivered, one failed whole; the delivery is no evidence for the other.
    const calls = [entry(0), entry(1), entry(2), entry(3)];
    const refused = wholeCall(retry('ECONNREFUSED'));
    attempt(calls, partial([ok(), ok(), refused, refused]));
    expect(attempt(calls.slice(2), retry('ECONNREFUSED')).split).toBeUndefined();
    for (const outcome of [retry('HTTP 429', { afterMs: 1000 }), retry('HTTP 401', { auth: true })]) {
      const batch = [entry(0), entry(1)];
      attempt(batch, outcome);
      attempt([entry(9)], ok());
      expect(attempt(batch, outcome).split).toBeUndefined();
      expect(batch.map((e) => e.maxBatch)).toEqual([0, 0]);
    }
    // Per-alert outcomes say which alert failed: nothing to halve.
    const items = [entry(0), entry(1)];
    expect(judge(items, partial([ok(), retry('HTTP 503')]), noBudget, 0, new Evidence()).split).toBeUndefined();
  });

  it('halves the alerts of one call that failed whole inside a batch answered per alert, and no other', () => {
    const batch = [entry(0), entry(1), entry(2), entry(3), entry(4), entry(5)];
    const refused = wholeCall(fail('InvalidParameterValue'));
    const v = judge(batch, partial([ok(), ok(), refused, refused, refused, fail('too big')]), noBudget, 0, new Evidence());
    expect(v.delivered).toEqual(batch.slice(0, 2));
    expect(v.again).toEqual(batch.slice(2, 5));
    expect(v.deadLetters.map((d) => d.entry)).toEqual([batch[5]]);
    expect(batch.map((e) => e.maxBatch)).toEqual([0, 0, 2, 2, 2, 0]);
    // One alert alone under such an outcome is that alert's: dead-lettered.
    const alone = entry(6);
    expect(judge([alone, entry(7)], partial([wholeCall(fail('InvalidParameterValue')), ok()]), noBudget, 0, new Evidence()).deadLetters.map((d) => d.entry)).toEqual([alone]);
  });

  it('names the alerts that failed with a plain error of their own: alone, or answered apart; not those that shared a failure', () => {
    const batch = [entry(0), entry(1), entry(2), entry(3), entry(4), entry(5), entry(6), entry(7)];
    const call = wholeCall(retry('ECONNRESET'));
    const unsent = retry('not sent');
    const items = [ok(), retry('HTTP 500: cannot encode'), call, call, unsent, unsent, retry('HTTP 429', { afterMs: 100 }), retry('HTTP 401', { auth: true }), notOwn('deadline reached before it was sent')];
    // The last alert has no outcome at all (a plugin's slip): not its own either.
    const v = judge([...batch, entry(20), entry(21)], partial(items), noBudget, 0, new Evidence());
    expect(v.alone).toEqual([{ entry: batch[1], reason: 'HTTP 500: cannot encode' }]);
    expect(v.retried).toBe(9);
    // The reason the output shows is the first failure not an alert's own: that one may be set aside.
    expect(v.retry?.reason).toBe('ECONNRESET');
    // Alone in its request, with one outcome: its own. A batch that failed whole: nobody's alone.
    expect(judge([entry(8)], retry('HTTP 500'), noBudget, 0, new Evidence()).alone).toHaveLength(1);
    expect(judge([entry(9), entry(10)], retry('HTTP 500'), noBudget, 0, new Evidence()).alone).toEqual([]);
    // A refusal halved is to send again, but not retried.
    const refused = wholeCall(fail('InvalidParameterValue'));
    expect(judge([entry(11), entry(12)], partial([refused, refused]), noBudget, 0, new Evidence())).toMatchObject({ retried: 0, alone: [] });
    // Retried alerts dead-lettered as their budget ended are counted: the attempt still failed.
    const spent = entry(13, { attempts: 1 });
    expect(judge([spent], retry('HTTP 503'), { maxattempts: 2, maxagems: 0 }, 0, new Evidence())).toMatchObject({ retried: 1, again: [], spentAlone: [spent] });
  });
});
