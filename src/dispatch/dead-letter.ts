// Where alerts go when an output refused them for good or they ran out of retry budget. Never
// silence: every entry is counted and listed. In memory here; the durable spool persists it.
import type { Alert } from '../alert/alert.ts';
import { serializeAlert } from '../alert/serialize.ts';

/** unreadable: a spool row whose JSON no longer parses (kept as its text, never replayed). */
export type DeadLetterReason = 'rejected' | 'retry_budget' | 'output_removed' | 'unreadable';

/** What a worker hands the store; `spoolId` lets a durable store drop the pending delivery in the same step. */
export type NewDeadLetter = Omit<DeadLetter, 'id'> & { spoolId?: number };

export interface DeadLetter {
  id: number;
  output: string;
  alert: Alert;
  reason: DeadLetterReason;
  /** The destination's or the worker's explanation, e.g. "HTTP 400: mapper_parsing_exception …". */
  detail: string;
  attempts: number;
  /** Epoch ms. */
  at: number;
}

export interface DeadLetterFilter {
  output?: string;
  since?: number;
  /** The newest `limit` entries that match (and are older than `before`, when set). */
  limit?: number;
  /** Only entries with a smaller id: the cursor for the next (older) page. */
  before?: number;
  id?: number;
  rule?: string;
}

/** A dead letter taken out of the store to go back into its output's queue. */
export interface ReplayedAlert {
  output: string;
  alert: Alert;
  bytes: number;
  /** Its new pending delivery in the spool, when the store is the spool. */
  spoolId?: number;
}

export interface DeadLetterStore {
  add(entry: NewDeadLetter): DeadLetter;
  list(filter?: DeadLetterFilter): DeadLetter[];
  size(): number;
  /** Takes the matching dead letters out, for their outputs to send again (the spool re-journals them first). */
  replay(filter: DeadLetterFilter): ReplayedAlert[];
  /** Deletes the matching dead letters; returns how many. */
  purge(filter: DeadLetterFilter): number;
}

function matchesDeadLetter(e: DeadLetter, filter: DeadLetterFilter): boolean {
  return (
    (filter.output === undefined || e.output === filter.output) &&
    (filter.since === undefined || e.at >= filter.since) &&
    (filter.id === undefined || e.id === filter.id) &&
    (filter.rule === undefined || e.alert.rule === filter.rule) &&
    (filter.before === undefined || e.id < filter.before)
  );
}

/**
 * Bounded by count and by bytes (the alerts' JSON): 400 refused 1 MiB alerts used to hold 1.37 GiB.
 * The oldest go first, each one counted through onEvict.
 */
export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly entries: DeadLetter[] = [];
  private readonly sizes: number[] = [];
  private bytes = 0;
  private nextId = 1;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly onEvict: (evicted: DeadLetter) => void;

  constructor(maxEntries: number, onEvict: (evicted: DeadLetter) => void = () => {}, maxBytes = Number.MAX_SAFE_INTEGER) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.onEvict = onEvict;
  }

  add({ spoolId: _spoolId, ...entry }: NewDeadLetter): DeadLetter {
    const stored = { id: this.nextId++, ...entry };
    const size = serializeAlert(entry.alert).length + entry.detail.length;
    this.entries.push(stored);
    this.sizes.push(size);
    this.bytes += size;
    while (this.entries.length > this.maxEntries || (this.bytes > this.maxBytes && this.entries.length > 0)) {
      this.bytes -= this.sizes.shift() as number;
      this.onEvict(this.entries.shift() as DeadLetter);
    }
    return stored;
  }

  list(filter: DeadLetterFilter = {}): DeadLetter[] {
    const matching = this.entries.filter((e) => matchesDeadLetter(e, filter));
    return filter.limit === undefined ? matching : matching.slice(-filter.limit);
  }

  replay(filter: DeadLetterFilter): ReplayedAlert[] {
    return this.take(filter).map((e) => ({ output: e.output, alert: e.alert, bytes: serializeAlert(e.alert).length }));
  }

  purge(filter: DeadLetterFilter): number {
    return this.take(filter).length;
  }

  private take(filter: DeadLetterFilter): DeadLetter[] {
    const taken: DeadLetter[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i] as DeadLetter;
      if (matchesDeadLetter(e, filter)) taken.push(...this.entries.splice(i, 1));
    }
    return taken.reverse();
  }

  size(): number {
    return this.entries.length;
  }
}
