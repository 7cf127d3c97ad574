// ratelimit: at most `max` alerts per key per period (the period starts at the key's first alert).
// Keys live in insertion order = period start order, so expired ones are dropped from the front and
// the oldest is evicted first when the map is full.
import { FifoMap } from '../fifo-map.ts';

export interface RateEntry {
  start: number;
  sent: number;
}

export interface RateJournal {
  /** The entry changed (undefined: it is gone). */
  rate(key: string, entry: RateEntry | undefined): void;
}

export class RateLimiter {
  private readonly entries = new FifoMap<string, RateEntry>();
  private readonly max: number;
  private readonly periodMs: number;
  private readonly maxKeys: number;
  private readonly onEvict: () => void;
  journal: RateJournal | undefined;

  constructor(options: { max: number; perms: number; maxkeys: number }, onEvict: () => void) {
    this.max = options.max;
    this.periodMs = options.perms;
    this.maxKeys = options.maxkeys;
    this.onEvict = onEvict;
  }

  get size(): number {
    return this.entries.size;
  }

  /** true: the alert may go out (and is counted); false: the key is over its limit for this period. */
  take(key: string, now: number): boolean {
    this.expire(now);
    let entry = this.entries.get(key);
    if (entry && now - entry.start >= this.periodMs) {
      this.entries.delete(key);
      entry = undefined;
    }
    if (!entry) {
      entry = { start: now, sent: 0 };
      this.entries.set(key, entry);
      if (this.entries.size > this.maxKeys) this.evictOldest();
    }
    if (entry.sent >= this.max) return false;
    entry.sent++;
    this.journal?.rate(key, entry);
    return true;
  }

  /**
   * Gives back the token an alert took (it went out, then the spool refused it). `takenAt`, when
   * known: a period that began after it is left alone (the token was the previous period's).
   */
  refund(key: string, takenAt?: number): void {
    const entry = this.entries.get(key);
    if (!entry || entry.sent === 0 || (takenAt !== undefined && entry.start > takenAt)) return;
    entry.sent--;
    this.journal?.rate(key, entry);
  }

  /** Restores an entry from the spool (at start); false when its period is over (the entry is not kept). */
  restore(key: string, entry: RateEntry, now: number): boolean {
    if (now - entry.start >= this.periodMs) return false;
    this.entries.set(key, entry);
    return true;
  }

  // A couple of expired keys from the front per call keeps the map clean at O(1) per alert.
  private expire(now: number): void {
    for (let i = 0; i < 2; i++) {
      const first = this.entries.oldest();
      if (!first || now - first.value.start < this.periodMs) return;
      this.entries.delete(first.key);
      this.journal?.rate(first.key, undefined);
    }
  }

  private evictOldest(): void {
    const oldest = this.entries.oldest();
    if (!oldest) return;
    this.entries.delete(oldest.key);
    this.journal?.rate(oldest.key, undefined);
    this.onEvict();
  }
}
