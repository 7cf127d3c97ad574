// Up to PACK_ALERTS alerts queued deep in one priority's lane (lane.ts), held as columns instead of
// one QueueEntry object each: an alert queued behind a destination that has been down for an hour
// costs its numbers (40 bytes here) and, without the spool, its share of the block's deflated JSON.
// Until round 26 it cost an 88-byte object, a lane slot and an entry in the output's spool-id map
// (bench/packed-backlog.ts, docs/performance.md). A QueueEntry is made again for an alert only when
// it leaves the block: taken from the head, shed, or evicted by the spool.
//
// Without the spool, the JSONs wait in `texts` until the block is full, then are deflated together
// (PackedBlock, src/alert/packed.ts) after the turn's I/O. An alert the spool holds keeps nothing
// but its spool id: it is read back from the spool when taken.
import type { Priority } from '../alert/priority.ts';
import { PACK_ALERTS, PACK_CHARS, PackedBlock } from '../alert/packed.ts';
import { QueueEntry, type SpoolReader } from './queue-entry.ts';

// Columns, interleaved per alert: seq, arrival time (ms since 1970: exact in a double), bytes,
// attempts, spool id (NaN: none).
const SEQ = 0;
const RECEIVED = 1;
const BYTES = 2;
const ATTEMPTS = 3;
const SPOOL_ID = 4;
const WIDTH = 5;
/** seq of an alert taken out of the middle (the spool evicted it); a worker's seqs start at 0. */
const GONE = -1;

export class ColdBlock {
  private readonly cols: Float64Array;
  private readonly capacity: number;
  private readonly priority: Priority;
  private readonly read: SpoolReader | undefined;
  /** Slots [head, tail) hold alerts, some of them GONE. */
  private head = 0;
  private tail = 0;
  private gone = 0;
  /** Each slot's JSON ('' for an alert the spool holds) until the block is packed; undefined when none needs one. */
  private texts: string[] | undefined;
  private chars = 0;
  private packed: PackedBlock | undefined;

  constructor(priority: Priority, read: SpoolReader | undefined, capacity = PACK_ALERTS) {
    this.priority = priority;
    this.read = read;
    this.capacity = capacity;
    this.cols = new Float64Array(capacity * WIDTH);
  }

  /** Alerts held. */
  get length(): number {
    return this.tail - this.head - this.gone;
  }

  /** No more alerts fit (by count, or by JSON characters), or the block is packed. */
  get full(): boolean {
    return this.tail >= this.capacity || this.chars >= PACK_CHARS || this.packed !== undefined;
  }

  /** Whether packing it now would hold anything in less memory. */
  get packable(): boolean {
    return this.packed === undefined && this.texts !== undefined && this.length > 0;
  }

  /** Adds an alert at the tail (the block is not full). Its entry object is not kept. */
  push(entry: QueueEntry): void {
    const at = this.tail++ * WIDTH;
    this.cols[at + SEQ] = entry.seq;
    this.cols[at + RECEIVED] = entry.receivedAt;
    this.cols[at + BYTES] = entry.bytes;
    this.cols[at + ATTEMPTS] = entry.attempts;
    this.cols[at + SPOOL_ID] = entry.spoolId ?? NaN;
    const json = this.read && entry.spoolId !== undefined ? '' : entry.json();
    if (json === '' && this.texts === undefined) return;
    this.texts ??= new Array<string>(this.tail - 1).fill('');
    this.texts.push(json);
    this.chars += json.length;
  }

  /** seq of the oldest alert held (the block is not empty). */
  headSeq(): number {
    this.skipGone();
    return this.cols[this.head * WIDTH + SEQ] as number;
  }

  headBytes(): number {
    this.skipGone();
    return this.cols[this.head * WIDTH + BYTES] as number;
  }

  headReceivedAt(): number {
    this.skipGone();
    return this.cols[this.head * WIDTH + RECEIVED] as number;
  }

  /** Takes the oldest alert out (the block is not empty). */
  shift(): QueueEntry {
    this.skipGone();
    const entry = this.entryAt(this.head);
    if (this.texts && this.packed === undefined) this.texts[this.head] = '';
    this.head++;
    return entry;
  }

  /** Takes the newest alert out (the block is not empty). */
  pop(): QueueEntry {
    while (this.cols[(this.tail - 1) * WIDTH + SEQ] === GONE) this.drop(--this.tail);
    const entry = this.entryAt(--this.tail);
    this.drop(this.tail);
    return entry;
  }

  /** Takes out the alert with this spool id, searching from the newest; undefined when not held here. */
  take(spoolId: number): QueueEntry | undefined {
    for (let slot = this.tail - 1; slot >= this.head; slot--) {
      const at = slot * WIDTH;
      if (this.cols[at + SPOOL_ID] !== spoolId || this.cols[at + SEQ] === GONE) continue;
      if (slot === this.tail - 1) return this.pop();
      if (slot === this.head) return this.shift();
      const entry = this.entryAt(slot);
      if (this.texts && this.packed === undefined) this.texts[slot] = '';
      this.cols[at + SEQ] = GONE;
      this.gone++;
      return entry;
    }
    return undefined;
  }

  /**
   * Deflates the JSONs held (one zlib call); the block takes no more alerts after. A block with a
   * JSON that holds a newline, which parts them in the block (JSON.stringify never writes one), stays
   * as it is.
   */
  pack(): void {
    if (!this.packable || (this.texts as string[]).some((json) => json.includes('\n'))) return;
    this.packed = new PackedBlock((this.texts as string[]).slice(0, this.tail));
    this.texts = undefined;
    this.chars = 0;
  }

  private skipGone(): void {
    while (this.cols[this.head * WIDTH + SEQ] === GONE) {
      this.head++;
      this.gone--;
    }
  }

  /** Forgets the JSON of a slot no longer held at the tail. */
  private drop(slot: number): void {
    if (this.cols[slot * WIDTH + SEQ] === GONE) this.gone--;
    if (this.texts && this.packed === undefined) this.chars -= (this.texts.pop() as string).length;
  }

  private entryAt(slot: number): QueueEntry {
    const at = slot * WIDTH;
    const id = this.cols[at + SPOOL_ID] as number;
    const spoolId = Number.isNaN(id) ? undefined : id;
    // As push() decided: the spool's reader, else the block, else the JSON.
    const held = this.read && spoolId !== undefined ? this.read : (this.packed ?? (this.texts as string[])[slot] as string);
    const init = {
      seq: this.cols[at + SEQ] as number,
      receivedAt: this.cols[at + RECEIVED] as number,
      bytes: this.cols[at + BYTES] as number,
      attempts: this.cols[at + ATTEMPTS] as number,
      spoolId,
    };
    return new QueueEntry(held, init, this.priority, slot);
  }
}
