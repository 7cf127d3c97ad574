// Memory-only mode: a request that does not settle within the 2 s abort grace at the end of a drain
// (a client that ignores the signal). Its alerts end with the leftovers, counted as
// dropped{reason=shutdown}; its late answer is ignored.
import { describe, expect, it } from 'vitest';
import { ok } from '../../../src/dispatch/result.ts';
import { alert, harness } from '../../support/worker-harness.ts';

describe('alerts in flight past the abort grace at shutdown (spool off)', () => {
  it('are counted somewhere', async () => {
    let release: (() => void) | undefined;
    const h = harness(
      async () => {
        // a client that ignores the abort signal
        await new Promise<void>((r) => (release = r));
        return ok();
      },
      { timeoutms: 60_000, batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 } },
    );
    await h.worker.start();
    for (let i = 0; i < 3; i++) h.worker.enqueue(alert(), 100);
    await h.clock.advance(0);
    expect(h.calls).toHaveLength(1);
    h.worker.enqueue(alert(), 100); // one queued behind it
    const draining = h.worker.drain(1000, false);
    await h.clock.advance(1000 + 2000);
    const left = await draining;
    await h.worker.close();
    const droppedShutdown = await h.counter('peregrine_dropped_total', { reason: 'shutdown' });
    // 4 acknowledged alerts, none delivered: all 4 counted (1 before the fix, the one queued).
    expect({ left: left.length, droppedShutdown }).toEqual({ left: 4, droppedShutdown: 4 });
    release?.();
    await h.clock.advance(0);
    expect(await h.counter('peregrine_delivered_total')).toBe(0);
    expect(h.worker.healthSnapshot()).toMatchObject({ queued: 0, delivered: 0, dropped: 4 });
  });
});
