// An alert the spool evicts while its request is in flight, which fails alone in a request
// that would have set it aside (the destination takes others), must not make the output back off.
import { describe, expect, it } from 'vitest';
import { ok, partial, retry, type SendResult } from '../../../src/dispatch/result.ts';
import { alert, harness } from '../../support/worker-harness.ts';

describe('evicted in flight while failing alone', () => {
  it.each([false, true])('evicted=%s: no backoff for an alert the evidence shows at fault', async (evict) => {
    let release: (() => void) | undefined;
    const bad = alert();
    let badTries = 0;
    const h = harness(
      async (alerts): Promise<SendResult> => {
        if (!alerts.includes(bad)) return ok();
        badTries++;
        if (badTries === 2) await new Promise<void>((r) => (release = r));
        return alerts.length === 1 ? retry('boom') : partial(alerts.map((a) => (a === bad ? retry('boom') : ok())));
      },
      { maxconcurrency: 1, batch: { maxevents: 2, maxbytes: 1_000_000, flushms: 0 } },
    );
    await h.worker.start();
    h.worker.enqueue(alert(), 100, undefined, { spoolId: 1 });
    h.worker.enqueue(bad, 100, undefined, { spoolId: 2 });
    await h.clock.advance(0);
    expect(badTries).toBe(1); // failed alone in a partial answer: suspected, the output backs off once
    h.worker.enqueue(alert(), 100, undefined, { spoolId: 3 });
    await h.clock.advance(200); // the probe (3) is delivered, then 2 goes alone and hangs
    expect(badTries).toBe(2);
    const before = h.worker.healthSnapshot();
    expect(before).toMatchObject({ inflight: 1, consecutiveFailures: 0, state: 'ok' });
    if (evict) expect(h.worker.discard(2)).toBe(true);
    release?.();
    await h.clock.advance(0);
    const after = h.worker.healthSnapshot();
    // without eviction: set aside, the output ok; with it: dropped, and the output should be just as ok
    expect({ state: after.state, consecutiveFailures: after.consecutiveFailures }).toEqual({ state: 'ok', consecutiveFailures: 0 });
    expect(after.dropped).toBe(evict ? 1 : 0);
  });
});
