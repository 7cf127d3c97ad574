// A Map that also finds its oldest entry in O(1), for maps that are queues too (bounded stores that
// drop the oldest, windows that end in the order they opened). V8's Map keeps a deleted entry as a
// hole until it rebuilds its table, and `keys().next()` walks every hole at the front: at 10,000
// entries, deleting the oldest that way cost ~13 µs per call on a 2-vCPU Xeon; here a set and an
// eviction together take ~1.4 µs (docs/console.md#cost-on-the-hot-path). A queue of slots in
// insertion order gives the oldest; a slot deleted or replaced since is skipped when it reaches the
// front, and lets its value go at once: the queue may hold as many such slots as live ones (plus
// SLACK) before it is rebuilt, and each kept its value alive until then. In the trail, whose values
// are records of an alert's JSON and states, that held ~45 % more records than the trail kept
// (docs/performance-history.md, round 16).
interface Slot<K, V> {
  readonly key: K;
  /** Undefined once the entry is deleted or replaced. */
  value: V | undefined;
}

/** Slots passed or stale that may wait in the queue before it is rebuilt (amortised O(1) per call). */
const SLACK = 1024;

export class FifoMap<K, V> {
  private readonly map = new Map<K, Slot<K, V>>();
  private queue: Slot<K, V>[] = [];
  private head = 0;

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Adds `key` as the newest entry; a key already present is replaced and becomes the newest. */
  set(key: K, value: V): void {
    const slot: Slot<K, V> = { key, value };
    this.release(key);
    this.map.set(key, slot);
    this.queue.push(slot);
    this.compact();
  }

  delete(key: K): boolean {
    return this.release(key);
  }

  /** The oldest entry, or undefined when empty. */
  oldest(): Readonly<{ key: K; value: V }> | undefined {
    while (this.head < this.queue.length) {
      const slot = this.queue[this.head] as Slot<K, V>;
      // A copy: the slot lets its value go when the caller deletes the entry.
      if (this.map.get(slot.key) === slot) return { key: slot.key, value: slot.value as V };
      this.head++;
    }
    return undefined;
  }

  /** Values, oldest first. */
  *values(): IterableIterator<V> {
    for (const slot of this.map.values()) yield slot.value as V;
  }

  /** Removes `key`'s entry from the map; its slot, still in the queue, no longer holds the value. */
  private release(key: K): boolean {
    const slot = this.map.get(key);
    if (!slot) return false;
    slot.value = undefined;
    return this.map.delete(key);
  }

  /** Rebuilds the queue once the slots it holds for nothing (passed, deleted, replaced) outnumber the live ones. */
  private compact(): void {
    if (this.queue.length - this.map.size <= this.map.size + SLACK) return;
    this.queue = [...this.map.values()];
    this.head = 0;
  }
}
