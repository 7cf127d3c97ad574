// A bounded queue of alerts for one output. Bounded by count and bytes; when over a bound, the
// newest alert of the lowest priority present is shed, so a Critical never makes way for a Debug.
// Delivery order is arrival order (retried alerts go back to the front).
//
// Memory: an alert queued deep in a backlog (a destination down for hours) is not held parsed. With
// the spool on it is not held at all: the entry keeps its spool id and reads the JSON back when it is
// taken (~130 bytes of live heap per alert, the output's spool-id map included). Without the spool
// its JSON is deflated with the JSONs of the alerts queued next to it (src/alert/packed.ts): ~0.3 KB
// per alert, entry included, against ~0.8 KB as its JSON and ~1.7 KB parsed
// (bench/packed-backlog.ts). The entries near the head, which the next batches take, stay parsed.
import type { Alert } from '../alert/alert.ts';
import { PRIORITIES, priorityRank, type Priority } from '../alert/priority.ts';
import { serializeAlert, thawAlert } from '../alert/serialize.ts';
import { Lane } from './lane.ts';
import { leadingUuid, PACK_ALERTS, PackedBlock, Packer, type Packable } from '../alert/packed.ts';

/** Reads an alert's JSON back from the spool; undefined when the spool no longer has it. */
export type SpoolReader = (spoolId: number) => string | undefined;

/** The spool could not give back the alert of a queued entry. */
export class SpoolReadError extends Error {}

/**
 * Arrival times are held as an offset from this process's start. A time in ms since 1970 is not a
 * small integer to V8, so each entry would keep it in a 16-byte box of its own (every output's entry
 * of every queued alert: bench/packed-backlog.ts); an offset is a small integer for ±24.8 days of
 * uptime (±12.4 in a V8 built with pointer compression, which Node's releases are not), and past
 * that boxed again, still exact.
 */
const TIME_BASE = Date.now();

/** One alert queued for one output. */
export class QueueEntry implements Packable {
  readonly priority: Priority;
  readonly bytes: number;
  /** Arrival order across all priorities. */
  readonly seq: number;
  /** When Peregrine accepted the alert, as ms after TIME_BASE. */
  private readonly receivedOffset: number;
  attempts: number;
  /** The alert's id in the durable spool, when the spool is on. */
  readonly spoolId?: number;
  /**
   * The alert; while the entry is compact, its JSON, or the block its JSON is packed in (at `slot`),
   * or the spool's reader when the spool holds it.
   */
  private held: Alert | string | PackedBlock | SpoolReader;
  private slot = 0;

  constructor(alert: Alert, init: { bytes: number; seq: number; receivedAt: number; attempts?: number; spoolId?: number | undefined }) {
    this.held = alert;
    this.priority = alert.priority;
    this.bytes = init.bytes;
    this.seq = init.seq;
    this.receivedOffset = init.receivedAt - TIME_BASE;
    this.attempts = init.attempts ?? 0;
    if (init.spoolId !== undefined) this.spoolId = init.spoolId;
  }

  /** When Peregrine accepted the alert (ms since 1970), for age metrics and the retry budget. */
  get receivedAt(): number {
    return this.receivedOffset + TIME_BASE;
  }

  /**
   * The alert; parsed back from its JSON (read from the spool first, when it holds the alert) once,
   * if the entry was compact. Throws SpoolReadError, or the spool's own error, when that read fails:
   * a method, not a property, because it may do IO and fail.
   */
  load(): Alert {
    if (this.held instanceof PackedBlock) this.held = this.held.json(this.slot);
    else if (typeof this.held === 'function') {
      const json = this.held(this.spoolId as number);
      if (json === undefined) throw new SpoolReadError(`alert ${this.spoolId} is no longer in the spool`);
      this.held = json;
    }
    if (typeof this.held === 'string') this.held = thawAlert(this.held);
    return this.held;
  }

  /**
   * The alert's uuid without parsing it back (the delivery trail): undefined only for an entry held
   * by its spool id alone.
   */
  uuid(): string | undefined {
    const held = this.held;
    if (typeof held === 'function') return undefined;
    if (typeof held === 'string') return leadingUuid(held) || this.load().uuid;
    if (held instanceof PackedBlock) return held.uuid(this.slot) ?? this.load().uuid;
    return held.uuid;
  }

  get isCompact(): boolean {
    return typeof this.held !== 'object' || this.held instanceof PackedBlock;
  }

  /** True while the entry's JSON is packed in a block. */
  get isPacked(): boolean {
    return this.held instanceof PackedBlock;
  }

  heldJson(): string | undefined {
    return typeof this.held === 'string' ? this.held : undefined;
  }

  pack(block: PackedBlock, slot: number): void {
    this.held = block;
    this.slot = slot;
  }

  /**
   * Lets go of the parsed alert. A spooled entry given `read` keeps nothing (the spool has the JSON);
   * any other keeps the alert's JSON, shared with every output that serialized the same alert.
   */
  compact(read?: SpoolReader): void {
    const held = this.held;
    if (typeof held !== 'object' || held instanceof PackedBlock) return;
    this.held = read && this.spoolId !== undefined ? read : serializeAlert(held);
  }
}

export interface QueueLimits {
  maxalerts: number;
  maxbytes: number;
}

export class AlertQueue {
  private readonly lanes = PRIORITIES.map(() => new Lane());
  private count = 0;
  private byteCount = 0;
  private readonly limits: QueueLimits;
  private readonly hotDepth: number;
  private readonly read: SpoolReader | undefined;
  private readonly packer: Packer | undefined;

  /**
   * `hotDepth`: alerts pushed behind this many queued ones are held compact (see QueueEntry);
   * `read`: where compact entries that the spool holds read their alert back; `packAlerts`: how many
   * compact entries held as JSON are packed in one block (0: none are).
   */
  constructor(limits: QueueLimits, hotDepth = Infinity, read?: SpoolReader, packAlerts = PACK_ALERTS) {
    this.limits = limits;
    this.hotDepth = hotDepth;
    this.read = read;
    this.packer = packAlerts > 0 ? new Packer({ perBlock: packAlerts }) : undefined;
  }

  get size(): number {
    return this.count;
  }
  get bytes(): number {
    return this.byteCount;
  }

  /** Adds an alert; returns what was shed to stay within bounds (possibly the new alert itself). */
  push(entry: QueueEntry): QueueEntry[] {
    const deep = this.count >= this.hotDepth;
    if (deep) entry.compact(this.read);
    this.insert(entry, false);
    const shed = this.shed();
    // A full queue sheds the alert just pushed, most often: it is not worth packing.
    if (deep && this.packer && !shed.includes(entry)) this.packer.add(entry);
    return shed;
  }

  /** Puts alerts back after a failed attempt (they keep their place in arrival order). */
  restore(entries: readonly QueueEntry[]): QueueEntry[] {
    for (const entry of entries) this.insert(entry, true);
    return this.shed();
  }

  /** Takes the oldest alerts, up to maxevents and maxbytes (always at least one). */
  take(maxevents: number, maxbytes: number): QueueEntry[] {
    const batch: QueueEntry[] = [];
    let bytes = 0;
    while (batch.length < maxevents && this.count > 0) {
      const lane = this.oldestLane() as Lane;
      const next = lane.peek() as QueueEntry;
      if (batch.length > 0 && bytes + next.bytes > maxbytes) break;
      lane.shift();
      this.count--;
      this.byteCount -= next.bytes;
      bytes += next.bytes;
      batch.push(next);
    }
    return batch;
  }

  /** Removes one queued entry (the spool evicted it); false when it is not queued (e.g. in flight). */
  remove(entry: QueueEntry): boolean {
    const lane = this.lanes[priorityRank(entry.priority)] as Lane;
    if (!lane.remove(entry)) return false;
    this.count--;
    this.byteCount -= entry.bytes;
    return true;
  }

  /** Everything, oldest first (shutdown reporting and tests). */
  drainAll(): QueueEntry[] {
    return this.take(Infinity, Infinity);
  }

  /** When the oldest queued alert was received, or undefined when empty. */
  oldestReceivedAt(): number | undefined {
    let oldest: number | undefined;
    for (const lane of this.lanes) {
      const head = lane.peek();
      if (head && (oldest === undefined || head.receivedAt < oldest)) oldest = head.receivedAt;
    }
    return oldest;
  }

  private insert(entry: QueueEntry, restoring: boolean): void {
    const lane = this.lanes[priorityRank(entry.priority)] as Lane;
    if (restoring) lane.restore(entry);
    else lane.push(entry);
    this.count++;
    this.byteCount += entry.bytes;
  }

  private oldestLane(): Lane | undefined {
    let best: Lane | undefined;
    for (const lane of this.lanes) {
      const head = lane.peek();
      if (head && (best === undefined || head.seq < (best.peek() as QueueEntry).seq)) best = lane;
    }
    return best;
  }

  private shed(): QueueEntry[] {
    const shed: QueueEntry[] = [];
    while (this.count > this.limits.maxalerts || this.byteCount > this.limits.maxbytes) {
      const lane = this.lanes.find((l) => l.length > 0) as Lane;
      const victim = lane.pop() as QueueEntry;
      this.count--;
      this.byteCount -= victim.bytes;
      shed.push(victim);
    }
    return shed;
  }
}
