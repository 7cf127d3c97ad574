// FifoMap: a Map whose oldest entry is found without walking the holes V8 leaves at the front.
// Checked against a plain Map (delete + set = newest) through long random runs that cross the
// queue's rebuilds.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FifoMap } from '../../src/fifo-map.ts';
// A full GC (the test process has no global gc): the daemon's own, as it runs at startup.
import { collectStartupGarbage as collect } from '../../src/heap.ts';

function oldestOf<K, V>(map: Map<K, V>): { key: K; value: V } | undefined {
  const first = map.entries().next();
  return first.done ? undefined : { key: first.value[0], value: first.value[1] };
}

describe('FifoMap', () => {
  it('gives the oldest entry, skipping those deleted or replaced since', () => {
    const m = new FifoMap<string, number>();
    expect(m.oldest()).toBeUndefined();
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    expect(m.oldest()).toEqual({ key: 'a', value: 1 });
    m.set('a', 4); // replaced: now the newest
    expect(m.oldest()).toEqual({ key: 'b', value: 2 });
    m.delete('b');
    expect(m.oldest()).toEqual({ key: 'c', value: 3 });
    expect([...m.values()]).toEqual([3, 4]);
    expect(m.get('a')).toBe(4);
    expect(m.has('b')).toBe(false);
    expect(m.size).toBe(2);
    m.delete('c');
    m.delete('a');
    expect(m.oldest()).toBeUndefined();
    expect(m.size).toBe(0);
  });

  it('agrees with a plain Map through 50,000 random sets, replaces and deletes (queue rebuilt many times)', () => {
    const m = new FifoMap<number, number>();
    const model = new Map<number, number>();
    // mulberry32: 32-bit integer steps, so every op and key comes up about equally often.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const disagreements: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const op = random(10);
      const key = random(1_000);
      if (op < 5) {
        m.set(key, i);
        model.delete(key);
        model.set(key, i);
      } else if (op < 8) {
        if (m.delete(key) !== model.delete(key)) disagreements.push(`delete ${key} at ${i}`);
      } else {
        const oldest = oldestOf(model);
        const got = m.oldest();
        if (got?.key !== oldest?.key || got?.value !== oldest?.value) disagreements.push(`oldest at ${i}: ${JSON.stringify(got)} != ${JSON.stringify(oldest)}`);
        if (oldest && op === 9) {
          m.delete(oldest.key);
          model.delete(oldest.key);
        }
      }
      if (m.size !== model.size) disagreements.push(`size at ${i}: ${m.size} != ${model.size}`);
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect([...m.values()]).toEqual([...model.values()]);
  });

  it('keeps its queue bounded when entries are replaced behind a long-lived oldest one', () => {
    const m = new FifoMap<string, number>();
    m.set('old', 0);
    for (let i = 0; i < 100_000; i++) m.set('hot', i);
    expect(m.oldest()).toEqual({ key: 'old', value: 0 });
    expect([...m.values()]).toEqual([0, 99_999]);
    // Only the live entries and the slack stay queued (the replaced ones are dropped at each rebuild).
    expect((m as unknown as { queue: unknown[] }).queue.length).toBeLessThan(2_000);
  });

  it('lets the value of an entry deleted or replaced go at once, before its slot leaves the queue', async () => {
    const m = new FifoMap<number, { n: number }>();
    const gone: WeakRef<object>[] = [];
    for (let i = 0; i < 300; i++) m.set(i, { n: i });
    for (let i = 0; i < 100; i++) {
      gone.push(new WeakRef(m.get(i) as object));
      m.delete(i); // evicted, as the trail does
    }
    for (let i = 100; i < 200; i++) {
      gone.push(new WeakRef(m.get(i) as object));
      m.set(i, { n: -i }); // replaced (a replayed alert)
    }
    const kept = new WeakRef(m.get(250) as object);
    await sleep(0); // WeakRef targets stay alive until the job that made them ends
    collect();
    expect(gone.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(kept.deref()).toEqual({ n: 250 });
    expect(m.oldest()).toEqual({ key: 200, value: { n: 200 } });
  });
});
