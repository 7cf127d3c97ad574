// A plugin must settle once its signal aborts. One that does not (a client stuck past its own
// deadline) is given up on 5 s after the output's timeoutms: its alerts go again, and its request
// slot, a reload's handover and a drain are not held for ever.
import { describe, expect, it } from 'vitest';
import { ok } from '../../../src/dispatch/result.ts';
import { alert, harness } from '../../support/worker-harness.ts';

describe('a send that ignores its abort', () => {
  it('is given up on 5 s after its timeout and retried; its late answer is ignored', async () => {
    let release: (() => void) | undefined;
    const h = harness(
      async () => {
        if (h.calls.length > 1) return ok();
        await new Promise<void>((r) => (release = r)); // ignores the signal
        return ok();
      },
      { maxconcurrency: 1, timeoutms: 1000, batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 }, retry: { initialbackoffms: 100, maxbackoffms: 100, maxattempts: 0, maxagems: 0, probems: 100 } },
    );
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(5900);
    expect(h.calls).toHaveLength(1);
    expect(h.worker.healthSnapshot().inflight).toBe(1);
    await h.clock.advance(1000);
    // Given up at 6 s (1 s timeout + 5 s grace) and sent again, delivered.
    expect(h.calls).toHaveLength(2);
    expect(h.worker.healthSnapshot()).toMatchObject({ inflight: 0, queued: 0, delivered: 1 });
    release?.();
    await h.clock.advance(0);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 1 });
  });
});
