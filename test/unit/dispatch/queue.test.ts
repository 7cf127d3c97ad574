import { describe, expect, it } from 'vitest';
import { AlertQueue, type QueueEntry } from '../../../src/dispatch/queue.ts';
import type { Alert } from '../../../src/ingest/alert.ts';
import type { Priority } from '../../../src/ingest/priority.ts';

let seq = 0;
function entry(priority: Priority, bytes = 10): QueueEntry {
  const alert = { uuid: `a${seq}`, priority } as Alert;
  return { alert, bytes, seq: seq++, receivedAt: seq, attempts: 0 };
}

describe('AlertQueue', () => {
  it('delivers in arrival order across priorities', () => {
    const q = new AlertQueue({ maxalerts: 10, maxbytes: 1000 });
    const items = [entry('Debug'), entry('Critical'), entry('Notice')];
    items.forEach((e) => q.push(e));
    expect(q.take(10, 1000)).toEqual(items);
    expect(q.size).toBe(0);
  });

  it('sheds the newest lowest-priority alert when full, never a Critical for a Debug', () => {
    const q = new AlertQueue({ maxalerts: 3, maxbytes: 1000 });
    const [d1, d2, c1] = [entry('Debug'), entry('Debug'), entry('Critical')];
    [d1, d2, c1].forEach((e) => expect(q.push(e)).toEqual([]));
    const c2 = entry('Critical');
    expect(q.push(c2)).toEqual([d2]);
    const d3 = entry('Debug');
    expect(q.push(d3)).toEqual([d3]);
    expect(q.take(10, 1000)).toEqual([d1, c1, c2]);
  });

  it('drops a new Critical only when everything queued is Critical', () => {
    const q = new AlertQueue({ maxalerts: 2, maxbytes: 1000 });
    q.push(entry('Critical'));
    q.push(entry('Critical'));
    const late = entry('Critical');
    expect(q.push(late)).toEqual([late]);
  });

  it('bounds bytes as well as count', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 25 });
    const [a, b] = [entry('Warning', 10), entry('Warning', 10)];
    q.push(a);
    q.push(b);
    const c = entry('Warning', 10);
    expect(q.push(c)).toEqual([c]);
    expect(q.bytes).toBe(20);
  });

  it('takes batches within maxevents and maxbytes, at least one alert', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 10_000 });
    const items = [entry('Notice', 40), entry('Notice', 40), entry('Notice', 40)];
    items.forEach((e) => q.push(e));
    expect(q.take(2, 10_000)).toEqual(items.slice(0, 2));
    expect(q.take(10, 10)).toEqual([items[2]]);
  });

  it('restores retried alerts to the front, in arrival order', () => {
    const q = new AlertQueue({ maxalerts: 100, maxbytes: 10_000 });
    const items = [entry('Notice'), entry('Error'), entry('Notice'), entry('Notice')];
    items.forEach((e) => q.push(e));
    const first = q.take(2, 10_000);
    q.push(entry('Notice'));
    q.restore(first);
    expect(q.take(3, 10_000)).toEqual([items[0], items[1], items[2]]);
    expect(q.oldestReceivedAt()).toBe(items[3]?.receivedAt);
  });
});
