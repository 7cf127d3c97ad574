// The recorder between the hot path and the trail store: a store that throws must not reach ingest
// or an output worker (a rejected send would be an unhandled rejection, and the daemon would exit).
// One store call per run of a batch's alerts that the request left alike.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert } from '../../../src/alert/alert.ts';
import { QueueEntry } from '../../../src/dispatch/queue-entry.ts';
import { fail, ok, partial, retry } from '../../../src/dispatch/result.ts';
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
      trail.attempted('a', [entry(a), entry(b)], ok(), { delivered: [entry(a), entry(b)], duplicates: 0, deadLetters: [], again: [], alone: [], spentAlone: [], retried: 0 }, 0, 1.5);
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
    trail.attempted('a', [entry(a)], ok(), { delivered: [entry(a)], duplicates: 0, deadLetters: [], again: [], alone: [], spentAlone: [], retried: 0 }, 7, 1.26);
    expect(failures).toEqual([]);
    expect(store.get('u1')?.outputs[0]).toMatchObject({ state: 'delivered', stateAt: 7, attempts: [{ at: 7, latencyMs: 1.3, outcome: 'ok', detail: 'ok', batch: 1 }] });
  });

  it('records a request once per run of alerts it left alike, in batch order, each alert in its own state', () => {
    const calls: [string[], string, string, string | undefined, string][] = [];
    const store = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 20, outputs: ['a'], explain: () => '' });
    const spy = Object.assign(store, {
      attempt: (uuids: readonly string[], _output: string, attempt: { detail: string; batch: number }, state: string, reason?: string) => {
        calls.push([[...uuids], attempt.detail, state, reason, `batch ${attempt.batch}`]);
      },
    });
    const trail = new Trail(spy, new Activity(), new FakeClock());
    const [a, b, c, d, e, f] = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((u) => entry(alert(u))) as QueueEntry[];
    const batch = [a, b, c, d, e, f] as QueueEntry[];
    const result = partial([ok(), ok(), retry('503'), fail('mapping'), ok({ duplicate: true }), ok()]);
    const verdict = { delivered: [a, b, e, f] as QueueEntry[], duplicates: 1, deadLetters: [{ entry: d as QueueEntry, reason: 'rejected' as const, detail: 'mapping' }], again: [c] as QueueEntry[], alone: [{ entry: c as QueueEntry, reason: '503' }], spentAlone: [], retried: 1 };
    trail.attempted('a', batch, result, verdict, 7, 2);
    expect(calls).toEqual([
      [['u1', 'u2'], 'ok', 'delivered', undefined, 'batch 6'],
      [['u3'], '503', 'retrying', '503', 'batch 6'],
      [['u4'], 'mapping', 'dead_lettered', 'rejected: mapping', 'batch 6'],
      [['u5'], 'duplicate', 'delivered', undefined, 'batch 6'],
      [['u6'], 'ok', 'delivered', undefined, 'batch 6'],
    ]);
  });

  it('says an alert of a batch that failed whole goes again in smaller requests, and why', () => {
    const calls: unknown[][] = [];
    const store = new MemoryTrailStore({ maxalerts: 10, maxbytes: 1 << 20, outputs: ['a'], explain: () => '' });
    const spy = Object.assign(store, {
      attempt: (uuids: readonly string[], _output: string, attempt: { outcome: string }, state: string, reason?: string) => {
        calls.push([[...uuids], attempt.outcome, state, reason]);
      },
    });
    const batch = ['u1', 'u2', 'u3'].map((u) => entry(alert(u)));
    new Trail(spy, new Activity(), new FakeClock()).attempted('a', batch, fail('HTTP 400: bad'), { delivered: [], duplicates: 0, deadLetters: [], again: batch, split: 2, alone: [], spentAlone: [], retried: 0 }, 7, 2);
    expect(calls).toEqual([[['u1', 'u2', 'u3'], 'fail', 'retrying', 'HTTP 400: bad (failed whole with other alerts: sent again in smaller requests, to find the alert at fault)']]);
  });
});
