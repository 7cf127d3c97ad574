// Where alerts go when an output refused them for good or they ran out of retry budget. Never
// silence: every entry is counted and listed. In memory here; the durable spool persists it.
import type { Alert } from '../alert/alert.ts';

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
  limit?: number;
}

export interface DeadLetterStore {
  add(entry: NewDeadLetter): DeadLetter;
  list(filter?: DeadLetterFilter): DeadLetter[];
  size(): number;
}

export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly entries: DeadLetter[] = [];
  private nextId = 1;
  private readonly maxEntries: number;
  private readonly onEvict: (evicted: DeadLetter) => void;

  constructor(maxEntries: number, onEvict: (evicted: DeadLetter) => void = () => {}) {
    this.maxEntries = maxEntries;
    this.onEvict = onEvict;
  }

  add({ spoolId: _spoolId, ...entry }: NewDeadLetter): DeadLetter {
    const stored = { id: this.nextId++, ...entry };
    this.entries.push(stored);
    while (this.entries.length > this.maxEntries) this.onEvict(this.entries.shift() as DeadLetter);
    return stored;
  }

  list(filter: DeadLetterFilter = {}): DeadLetter[] {
    const matching = this.entries.filter(
      (e) => (filter.output === undefined || e.output === filter.output) && (filter.since === undefined || e.at >= filter.since),
    );
    return filter.limit === undefined ? matching : matching.slice(-filter.limit);
  }

  size(): number {
    return this.entries.length;
  }
}
