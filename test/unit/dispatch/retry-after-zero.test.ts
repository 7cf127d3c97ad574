// A Retry-After of 0 — sent as "0", as an HTTP date in the past (clock skew), or as an unreadable
// value such as "-1" that Date.parse takes for a year — must not replace the exponential backoff
// with 0 ms on every failure (the output would re-send at once, forever, to a 503/429).
import { describe, expect, it } from 'vitest';
import { ok, retry } from '../../../src/dispatch/result.ts';
import { retryAfterMs } from '../../../src/plugin/http.ts';
import { alert, harness } from '../../support/worker-harness.ts';

describe('Retry-After 0, in the past or malformed', () => {
  it('retryAfterMs: a malformed value or a date already past is no Retry-After; a date ahead is its distance', () => {
    const now = Date.parse('2026-11-20T10:00:00Z');
    expect({ neg: retryAfterMs('-1', now), junk: retryAfterMs('soon 5', now), past: retryAfterMs('Fri, 20 Nov 2026 09:59:00 GMT', now) }).toEqual({ neg: undefined, junk: undefined, past: undefined });
    expect(retryAfterMs('Fri, 20 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Friday, 20-Nov-26 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('7', now)).toBe(7000);
  });

  it('worker: consecutive failures with Retry-After 0 still back off', async () => {
    let calls = 0;
    const h = harness(
      async () => {
        calls++;
        if (calls >= 300) return ok(); // guard: ends the loop
        return retry('HTTP 503', { afterMs: 0 });
      },
      { batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 }, retry: { initialbackoffms: 100, maxbackoffms: 10_000, maxattempts: 0, maxagems: 0, probems: 1000 } },
    );
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(1000);
    // A few attempts in the first second: the backoff grows (300 at t=0, stopped by the guard, before the fix).
    expect(calls).toBeLessThan(15);
  });
});
