// One priority's part of an output's queue (src/dispatch/queue.ts), in seq order: first the entries
// near the head as objects ("hot"), then, behind them, a deep backlog held in column blocks
// (cold-block.ts) that make an entry again only when it leaves. Every hot entry is older than every
// cold one: once a lane holds cold alerts, new ones join them.
import type { Priority } from '../alert/priority.ts';
import { ColdBlock } from './cold-block.ts';
import type { QueueEntry, SpoolReader } from './queue-entry.ts';

export interface ColdSettings {
  /** Alerts per block. */
  perBlock: number;
  /** Where an alert the spool holds is read back from; undefined when the spool is off. */
  read: SpoolReader | undefined;
  /** Told of each block that takes no more alerts (the queue packs it after the turn). */
  filled: (block: ColdBlock) => void;
}

export class Lane {
  private readonly priority: Priority;
  private readonly settings: ColdSettings;
  private items: QueueEntry[] = [];
  private head = 0;
  private readonly cold: ColdBlock[] = [];
  private coldCount = 0;

  constructor(priority: Priority, settings: ColdSettings) {
    this.priority = priority;
    this.settings = settings;
  }

  get length(): number {
    return this.items.length - this.head + this.coldCount;
  }

  /** seq of the oldest entry, or undefined when empty. */
  headSeq(): number | undefined {
    if (this.items.length > this.head) return (this.items[this.head] as QueueEntry).seq;
    return this.cold[0]?.headSeq();
  }

  /** Bytes of the oldest entry (the lane is not empty). */
  headBytes(): number {
    if (this.items.length > this.head) return (this.items[this.head] as QueueEntry).bytes;
    return (this.cold[0] as ColdBlock).headBytes();
  }

  /** The oldest entry when it is held as an object, else undefined (entries in column blocks never failed). */
  headEntry(): QueueEntry | undefined {
    return this.items[this.head];
  }

  /** When the oldest entry arrived, or undefined when empty. */
  headReceivedAt(): number | undefined {
    if (this.items.length > this.head) return (this.items[this.head] as QueueEntry).receivedAt;
    return this.cold[0]?.headReceivedAt();
  }

  /** Adds the newest entry: as an object while the lane holds no cold alerts and `deep` is false, else in a block. */
  push(entry: QueueEntry, deep: boolean): void {
    if (!deep && this.coldCount === 0) {
      this.items.push(entry);
      return;
    }
    let block = this.cold.at(-1);
    if (block === undefined || block.full) {
      block = new ColdBlock(this.priority, this.settings.read, this.settings.perBlock);
      this.cold.push(block);
    }
    block.push(entry);
    this.coldCount++;
    if (block.full) this.settings.filled(block);
  }

  shift(): QueueEntry | undefined {
    const entry = this.items[this.head];
    if (entry === undefined) return this.shiftCold();
    this.items[this.head++] = undefined as unknown as QueueEntry;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  pop(): QueueEntry | undefined {
    const block = this.cold.at(-1);
    if (block === undefined) return this.items.length > this.head ? this.items.pop() : undefined;
    const entry = block.pop();
    this.coldCount--;
    if (block.length === 0) this.cold.pop();
    return entry;
  }

  /** Takes out the entry with this spool id (the newest first: the spool evicts the newest); undefined when not here. */
  takeSpooled(spoolId: number): QueueEntry | undefined {
    for (let i = this.cold.length - 1; i >= 0; i--) {
      const block = this.cold[i] as ColdBlock;
      const entry = block.take(spoolId);
      if (entry === undefined) continue;
      this.coldCount--;
      if (block.length === 0) this.cold.splice(i, 1);
      return entry;
    }
    for (let at = this.items.length - 1; at >= this.head; at--) {
      const entry = this.items[at] as QueueEntry;
      if (entry.spoolId !== spoolId) continue;
      if (at === this.head) this.shift();
      else this.items.splice(at, 1);
      return entry;
    }
    return undefined;
  }

  /** Puts an entry back in seq order; O(1) when it is older than everything here, as retries are. */
  restore(entry: QueueEntry): void {
    // Retried entries were taken from the head, so they are older than any cold one; an entry handed
    // over by a config reload may not be, and then the cold alerts become objects again to make room.
    const coldHead = this.cold[0]?.headSeq();
    if (coldHead !== undefined && entry.seq > coldHead) this.thaw();
    const first = this.items[this.head];
    if (first === undefined || entry.seq < first.seq) {
      if (this.head > 0) this.items[--this.head] = entry;
      else this.items.unshift(entry);
      return;
    }
    this.items.splice(this.indexOf(entry.seq), 0, entry);
  }

  private shiftCold(): QueueEntry | undefined {
    const block = this.cold[0];
    if (block === undefined) return undefined;
    const entry = block.shift();
    this.coldCount--;
    if (block.length === 0) this.cold.shift();
    return entry;
  }

  /** Every cold alert becomes an object at the end of the hot entries. */
  private thaw(): void {
    for (let entry = this.shiftCold(); entry !== undefined; entry = this.shiftCold()) this.items.push(entry);
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
}
