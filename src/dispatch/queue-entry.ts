// One alert queued for one output, as the worker sends it and every ending records it. Near the
// head of the queue an entry holds its alert parsed; an entry made again from a deep backlog's
// columns (cold-block.ts) holds it compact: its JSON, the deflated block its JSON is in, or nothing
// but its spool id, and parses it back once when it is loaded.
import type { Alert } from '../alert/alert.ts';
import type { Priority } from '../alert/priority.ts';
import { serializeAlert, thawAlert } from '../alert/serialize.ts';
import { leadingUuid, PackedBlock } from '../alert/packed.ts';

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

export interface EntryInit {
  bytes: number;
  seq: number;
  receivedAt: number;
  attempts?: number;
  spoolId?: number | undefined;
}

/** What a compact entry holds instead of its parsed alert. */
type Compact = string | PackedBlock | SpoolReader;

export class QueueEntry {
  readonly priority: Priority;
  readonly bytes: number;
  /** Arrival order across all priorities. */
  readonly seq: number;
  /** When Peregrine accepted the alert, as ms after TIME_BASE. */
  private readonly receivedOffset: number;
  attempts: number;
  /**
   * At most this many alerts may go with this one in a request; 0: the output's batch.maxevents.
   * Set when a batch it was in failed whole (retry-policy.ts), to find the alert at fault.
   */
  maxBatch = 0;
  /**
   * -1, or the mark (evidence.ts) of the last failure with an error (not a refusal) of a batch it was
   * in, as one. Another such failure after a later request delivered halves it (retry-policy.ts).
   */
  failedWholeAt = -1;
  /**
   * Set when it failed alone (set-aside.ts): the mark of that failure (evidence.ts), and how many
   * times it was set aside since.
   */
  suspicion: { since: number; times: number } | undefined = undefined;
  /** The alert's id in the durable spool, when the spool is on. */
  readonly spoolId: number | undefined;
  /** The alert, or while the entry is compact its JSON, the block its JSON is packed in (at `slot`), or the spool's reader. */
  private held: Alert | Compact;
  private readonly slot: number;

  constructor(alert: Alert, init: EntryInit);
  constructor(held: Compact, init: EntryInit, priority: Priority, slot: number);
  constructor(held: Alert | Compact, init: EntryInit, priority?: Priority, slot = 0) {
    this.priority = priority ?? (held as Alert).priority;
    this.bytes = init.bytes;
    this.seq = init.seq;
    this.receivedOffset = init.receivedAt - TIME_BASE;
    this.attempts = init.attempts ?? 0;
    this.spoolId = init.spoolId;
    this.held = held;
    this.slot = slot;
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

  /** The alert's JSON, without parsing it (an entry the spool holds reads it back). */
  json(): string {
    const held = this.held;
    if (typeof held === 'string') return held;
    if (held instanceof PackedBlock) return held.json(this.slot);
    return serializeAlert(this.load());
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

  /** Clears what its failures said of it (maxBatch, failedWholeAt, suspicion): a hot reload's new destination. */
  forgetFailures(): void {
    this.maxBatch = 0;
    this.failedWholeAt = -1;
    this.suspicion = undefined;
  }

  get isCompact(): boolean {
    return typeof this.held !== 'object' || this.held instanceof PackedBlock;
  }

  /** True while the entry's JSON is packed in a block. */
  get isPacked(): boolean {
    return this.held instanceof PackedBlock;
  }
}
