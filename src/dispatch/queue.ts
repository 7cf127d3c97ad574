// A bounded queue of alerts for one output. Bounded by count and bytes; when over a bound, the
// newest alert of the lowest priority present is shed, so a Critical never makes way for a Debug.
// Delivery order is arrival order (retried alerts go back to the front).
//
// Memory: an alert queued deep in a backlog (a destination down for hours) is not held as an object.
// Behind `hotDepth` entries, each priority's lane holds its alerts in column blocks of 64
// (cold-block.ts): its numbers, 40 bytes, and with the spool on nothing else (the alert is read back
// from the spool when taken); without the spool, its JSON deflated with the JSONs of the alerts
// queued next to it (src/alert/packed.ts). bench/packed-backlog.ts measures both. The entries near
// the head, which the next batches take, stay parsed.
import { PRIORITIES, priorityRank } from '../alert/priority.ts';
import { PACK_ALERTS } from '../alert/packed.ts';
import type { ColdBlock } from './cold-block.ts';
import { Lane } from './lane.ts';
import type { QueueEntry, SpoolReader } from './queue-entry.ts';

export interface QueueLimits {
  maxalerts: number;
  maxbytes: number;
}

export class AlertQueue {
  private readonly lanes: Lane[];
  private count = 0;
  private byteCount = 0;
  private readonly limits: QueueLimits;
  private readonly hotDepth: number;
  private readonly pack: boolean;
  /** Blocks filled this turn, packed after its I/O. */
  private filled: ColdBlock[] = [];

  /**
   * `hotDepth`: alerts pushed behind this many queued ones are held in column blocks (see above);
   * `read`: where those that the spool holds read their alert back; `packAlerts`: alerts per block,
   * whose JSONs are deflated together once it is full (0: blocks of PACK_ALERTS, never deflated).
   */
  constructor(limits: QueueLimits, hotDepth = Infinity, read?: SpoolReader, packAlerts = PACK_ALERTS) {
    this.limits = limits;
    this.hotDepth = hotDepth;
    this.pack = packAlerts > 0;
    const settings = { perBlock: packAlerts > 0 ? packAlerts : PACK_ALERTS, read, filled: (block: ColdBlock) => this.packLater(block) };
    this.lanes = PRIORITIES.map((priority) => new Lane(priority, settings));
  }

  get size(): number {
    return this.count;
  }
  get bytes(): number {
    return this.byteCount;
  }

  /**
   * Adds an alert; returns what was shed to stay within bounds (possibly the new alert itself, or an
   * equal entry made again from the lane's blocks when it was pushed deep).
   */
  push(entry: QueueEntry): QueueEntry[] {
    const lane = this.lanes[priorityRank(entry.priority)] as Lane;
    lane.push(entry, this.count >= this.hotDepth);
    this.count++;
    this.byteCount += entry.bytes;
    return this.shed();
  }

  /** Puts alerts back after a failed attempt (they keep their place in arrival order). */
  restore(entries: readonly QueueEntry[]): QueueEntry[] {
    for (const entry of entries) {
      (this.lanes[priorityRank(entry.priority)] as Lane).restore(entry);
      this.count++;
      this.byteCount += entry.bytes;
    }
    return this.shed();
  }

  /**
   * Takes the oldest alerts, up to maxevents and maxbytes (always at least one), and never more than
   * any taken alert's own cap (QueueEntry.maxBatch: its last batch failed whole).
   */
  take(maxevents: number, maxbytes: number): QueueEntry[] {
    const batch: QueueEntry[] = [];
    let bytes = 0;
    let limit = maxevents;
    while (batch.length < limit && this.count > 0) {
      const lane = this.oldestLane() as Lane;
      const next = lane.headBytes();
      if (batch.length > 0 && bytes + next > maxbytes) break;
      const cap = lane.headEntry()?.maxBatch ?? 0;
      if (cap > 0) {
        if (batch.length >= cap) break;
        limit = Math.min(limit, cap);
      }
      batch.push(lane.shift() as QueueEntry);
      this.count--;
      this.byteCount -= next;
      bytes += next;
    }
    return batch;
  }

  /**
   * Takes the alert `rank` puts first (the lowest rank; a tie goes to the older) among the oldest
   * `depth` + 1, stopping at the first ranked 0 or below; the others stay in their place. Empty when
   * the queue is.
   */
  takeLowest(rank: (entry: QueueEntry) => number, depth: number): QueueEntry[] {
    const looked: QueueEntry[] = [];
    let best: QueueEntry | undefined;
    let bestRank = Infinity;
    while (looked.length <= depth) {
      const entry = this.take(1, Infinity)[0];
      if (entry === undefined) break;
      looked.push(entry);
      const r = rank(entry);
      if (best === undefined || r < bestRank) [best, bestRank] = [entry, r];
      if (r <= 0) break;
    }
    const rest = looked.filter((entry) => entry !== best);
    if (rest.length > 0) this.restore(rest); // as many as were taken: nothing to shed
    return best ? [best] : [];
  }

  /** The entry the next take starts with, when it is held as an object (any that ever failed is). */
  head(): QueueEntry | undefined {
    return this.oldestLane()?.headEntry();
  }

  /**
   * Takes out the queued alert with this spool id (the spool evicted it), looking in the lane of
   * `rank` (its priority's) when given; undefined when it is not queued (e.g. in flight).
   */
  takeSpooled(spoolId: number, rank?: number): QueueEntry | undefined {
    const lanes = rank === undefined ? this.lanes : this.lanes.slice(rank, rank + 1);
    for (const lane of lanes) {
      const entry = lane.takeSpooled(spoolId);
      if (entry === undefined) continue;
      this.count--;
      this.byteCount -= entry.bytes;
      return entry;
    }
    return undefined;
  }

  /** Everything, oldest first (shutdown reporting and tests). */
  drainAll(): QueueEntry[] {
    const all: QueueEntry[] = [];
    for (let lane = this.oldestLane(); lane !== undefined; lane = this.oldestLane()) all.push(lane.shift() as QueueEntry);
    this.count = 0;
    this.byteCount = 0;
    return all;
  }

  /** When the oldest queued alert was received, or undefined when empty. */
  oldestReceivedAt(): number | undefined {
    let oldest: number | undefined;
    for (const lane of this.lanes) {
      const at = lane.headReceivedAt();
      if (at !== undefined && (oldest === undefined || at < oldest)) oldest = at;
    }
    return oldest;
  }

  private oldestLane(): Lane | undefined {
    let best: Lane | undefined;
    let bestSeq = Infinity;
    for (const lane of this.lanes) {
      const seq = lane.headSeq();
      if (seq !== undefined && seq < bestSeq) {
        best = lane;
        bestSeq = seq;
      }
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

  /**
   * A full block's JSONs are deflated after the I/O of the turn that filled it (~0.1–0.3 ms a block):
   * in that turn's request, it raised the daemon's p99 with a stalled output by 0.1–0.2 ms (round 20).
   */
  private packLater(block: ColdBlock): void {
    if (!this.pack || !block.packable) return;
    this.filled.push(block);
    if (this.filled.length > 1) return;
    setImmediate(() => {
      const filled = this.filled;
      this.filled = [];
      for (const b of filled) b.pack();
    }).unref();
  }
}
