// A hot reload hands alerts from a retiring worker to its successor one by one. One the spool can no
// longer give back ends on the retiring worker, counted (spool_read); it neither throws (which left
// the rest of the queue behind and rejected the reload's handover unhandled) nor stops the others.
import { describe, expect, it } from 'vitest';
import { QueueEntry } from '../../../src/dispatch/queue-entry.ts';
import { alert, harness } from '../../support/worker-harness.ts';

describe('handOff', () => {
  it('passes readable alerts on and ends an unreadable one, counted', async () => {
    const from = harness(async () => ({ kind: 'ok' }));
    const to = harness(async () => ({ kind: 'ok' }));
    const gone = new QueueEntry(() => undefined, { bytes: 10, seq: 0, receivedAt: 0, spoolId: 7 }, 'Warning', 0);
    const fine = new QueueEntry(alert(), { bytes: 10, seq: 1, receivedAt: 0 });
    expect(() => from.worker.handOff(gone, to.worker)).not.toThrow();
    from.worker.handOff(fine, to.worker);
    expect(to.worker.healthSnapshot().queued).toBe(1);
    expect(await from.counter('peregrine_dropped_total', { reason: 'spool_read' })).toBe(1);
  });
});
