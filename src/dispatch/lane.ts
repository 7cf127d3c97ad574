// One priority's part of an output's queue (src/dispatch/queue.ts): a FIFO sorted by seq, with cheap
// push, shift, pop and (usually) unshift.
import type { QueueEntry } from './queue.ts';

export class Lane {
  private items: QueueEntry[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  peek(): QueueEntry | undefined {
    return this.items[this.head];
  }
  push(entry: QueueEntry): void {
    this.items.push(entry);
  }
  shift(): QueueEntry | undefined {
    const entry = this.items[this.head];
    if (entry === undefined) return undefined;
    this.items[this.head++] = undefined as unknown as QueueEntry;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }
  pop(): QueueEntry | undefined {
    if (this.length === 0) return undefined;
    return this.items.pop();
  }
  remove(entry: QueueEntry): boolean {
    const at = this.indexOf(entry.seq);
    if (this.items[at] !== entry) return false;
    if (at === this.head) this.shift();
    else this.items.splice(at, 1);
    return true;
  }
  private indexOf(seq: number): number {
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as QueueEntry).seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** Puts an entry back in seq order; O(1) when it is older than everything here, as retries are. */
  restore(entry: QueueEntry): void {
    const first = this.peek();
    if (first === undefined || entry.seq < first.seq) {
      if (this.head > 0) this.items[--this.head] = entry;
      else this.items.unshift(entry);
      return;
    }
    this.items.splice(this.indexOf(entry.seq), 0, entry);
  }
}
