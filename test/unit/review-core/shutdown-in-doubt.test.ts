// Review repro (memory-only mode): a request that does not settle within the 2 s abort grace at the
// end of a drain. Its alerts are neither returned as leftovers nor counted (dropped{reason=shutdown}),
// and when the request settles later its alerts go back into the closed worker's queue, uncounted.
import { describe, expect, it } from 'vitest';
import { ok } from '../../../src/dispatch/result.ts';
import { alert, harness } from '../../support/worker-harness.ts';

describe('review: alerts in flight past the abort grace at shutdown (spool off)', () => {
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
    // 4 acknowledged alerts; none delivered. Expected: all 4 counted (dropped or "in doubt" in a counter).
    expect({ left: left.length, droppedShutdown }).toEqual({ left: 4, droppedShutdown: 4 });
    release?.();
  });
});
