// A plugin must settle once its signal aborts. One that does not (a client stuck past its own
// deadline) is given up on a grace after the output's timeoutms (5 s of real time; the harness's 200
// ms): its alerts go again, and its request slot, a reload's handover and a drain are not held for ever.
import { describe, expect, it } from 'vitest';
import { notOwn, ok, partial } from '../../../src/dispatch/result.ts';
import { alert, harness } from '../../support/worker-harness.ts';

describe('a send that ignores its abort', () => {
  it('is given up on a grace after its timeout and retried; its late answer is ignored', async () => {
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
    await h.clock.advance(5000);
    // Timed out at 1 s, and the grace is real time: still in flight.
    expect(h.calls).toHaveLength(1);
    expect(h.worker.healthSnapshot().inflight).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    await h.clock.advance(1000);
    // Given up 200 real ms after its timeout and sent again, delivered.
    expect(h.calls).toHaveLength(2);
    expect(h.worker.healthSnapshot()).toMatchObject({ inflight: 0, queued: 0, delivered: 1 });
    release?.();
    await h.clock.advance(0);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 1 });
  });

  it("a client whose close never settles (a peer that stopped answering) is left behind after the timeout and the grace: the worker closes", async () => {
    let closing = 0;
    const h = harness(async () => ok(), { timeoutms: 100 }, { connect: () => ({}), close: () => new Promise<void>(() => void closing++) });
    await h.worker.start();
    const started = Date.now();
    await h.worker.close();
    expect(closing).toBe(1);
    // 100 ms timeout + the harness's 200 ms grace, real time.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a send that honours its abort a little later in real time is not given up on, however far the clock jumps', async () => {
    let first = true;
    const h = harness(
      async (alerts, ctx) => {
        if (!first) return ok();
        first = false;
        // The first alert taken, then the abort: it settles after 30 ms of real socket teardown.
        await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => setTimeout(r, 30)));
        return partial(alerts.map((_, i) => (i === 0 ? ok() : notOwn('deadline reached'))));
      },
      { timeoutms: 1000, batch: { maxevents: 2, maxbytes: 1_000_000, flushms: 0 } },
    );
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(0);
    await h.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 100));
    await h.clock.advance(60_000);
    // Its answer counts: the first alert is not sent again (2 + 1 alerts sent, not 2 + 2).
    expect(h.calls.map((c) => c.length)).toEqual([2, 1]);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 2, queued: 0 });
  });
});
