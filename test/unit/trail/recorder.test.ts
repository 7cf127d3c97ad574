// The recorder between the hot path and the trail store: a store that throws must not reach ingest
// or an output worker (a rejected send would be an unhandled rejection, and the daemon would exit).
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert } from '../../../src/alert/alert.ts';
import { QueueEntry } from '../../../src/dispatch/queue.ts';
import { ok } from '../../../src/dispatch/result.ts';
import { Activity } from '../../../src/trail/activity.ts';
import { MemoryTrailStore } from '../../../src/trail/memory-store.ts';
import { Trail } from '../../../src/trail/recorder.ts';
import type { TrailStore } from '../../../src/trail/store.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const alert = (uuid: string): Alert => freezeAlert(toAlert({ uuid, priority: 'Warning', rule: 'r', time: '2026-11-20T10:21:36Z', output: 'x', output_fields: {} }));
const entry = (a: Alert) => new QueueEntry(a, { bytes: 100, seq: 1, receivedAt: 0 });

/** A store whose every write throws, as a bug in it would. */
function brokenStore(): TrailStore {
  const store = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 20, outputs: ['a'], explain: () => '' });
  const fail = () => {
    throw new TypeError("Cannot read properties of undefined (reading 'bytes')");
  };
  return Object.assign(store, { received: fail, attempt: fail, state: fail });
}

describe('Trail recorder', () => {
  it('passes what a store throws to onFailure, with the alerts it was about, and throws nothing', () => {
    const failures: [string, number][] = [];
    const trail = new Trail(brokenStore(), new Activity(), new FakeClock(), (err, alerts) => failures.push([(err as Error).message, alerts]));
    const a = alert('u1');
    const b = alert('u2');
    expect(() => {
      trail.received(a, 100, 0, [{ name: 'a' }], '10.0.0.1');
      trail.attempted('a', [entry(a), entry(b)], ok(), { delivered: [entry(a), entry(b)], duplicates: 0, deadLetters: [], again: [] }, 0, 1.5);
      trail.ended('a', [entry(a)], 'shed', 'queue full');
      trail.suppressed(a, 'a', 'noise control');
    }).not.toThrow();
    expect(failures.map(([, n]) => n)).toEqual([1, 2, 1, 1]);
    expect(failures[0]?.[0]).toContain('reading');
  });

  it('records through a working store as before', () => {
    const store = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 20, outputs: ['a'], explain: () => '' });
    const failures: unknown[] = [];
    const trail = new Trail(store, new Activity(), new FakeClock(), (err) => failures.push(err));
    const a = alert('u1');
    trail.received(a, 100, 5, [{ name: 'a' }], '10.0.0.1');
    trail.attempted('a', [entry(a)], ok(), { delivered: [entry(a)], duplicates: 0, deadLetters: [], again: [] }, 7, 1.26);
    expect(failures).toEqual([]);
    expect(store.get('u1')?.outputs[0]).toMatchObject({ state: 'delivered', stateAt: 7, attempts: [{ at: 7, latencyMs: 1.3, outcome: 'ok', detail: 'ok', batch: 1 }] });
  });
});
