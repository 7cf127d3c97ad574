// An output's side of the durable spool: which of its queued or in-flight entries the spool holds
// (by spool id, so a spool eviction can take one out of the queue), and what it tells the spool's
// journal: this delivery is done, or it will be retried then. Without the spool, entries carry no
// spool id and nothing is held here.
import type { DeliveryJournal } from './delivery.ts';
import type { QueueEntry, SpoolReader } from './queue.ts';

export class SpoolLink {
  private readonly bySpoolId = new Map<number, QueueEntry>();
  private readonly output: string;
  private readonly journal: DeliveryJournal | undefined;

  constructor(output: string, journal: DeliveryJournal | undefined) {
    this.output = output;
    this.journal = journal;
  }

  /** Where an entry held compact by its spool id reads its alert back (queue.ts); undefined when the spool is off. */
  reader(): SpoolReader | undefined {
    const journal = this.journal;
    return journal ? (spoolId) => journal.json(spoolId) : undefined;
  }

  /** The entry is queued (or in flight) here. */
  track(entry: QueueEntry): void {
    if (entry.spoolId !== undefined) this.bySpoolId.set(entry.spoolId, entry);
  }

  /** The entry left this output another way (a dead letter, handed over on reload): the journal is not told. */
  untrack(entry: QueueEntry): void {
    if (entry.spoolId !== undefined) this.bySpoolId.delete(entry.spoolId);
  }

  /** Takes out the entry with this spool id (the spool evicted it); undefined when none is held here. */
  take(spoolId: number): QueueEntry | undefined {
    const entry = this.bySpoolId.get(spoolId);
    if (entry) this.bySpoolId.delete(spoolId);
    return entry;
  }

  /** The alert is done here (delivered or dropped): the spool forgets this delivery. */
  complete(entry: QueueEntry): void {
    if (entry.spoolId === undefined) return;
    this.bySpoolId.delete(entry.spoolId);
    this.journal?.complete(this.output, entry.spoolId);
  }

  /** The entries will be retried, not before `nextAt`: their attempts and that time survive a restart. */
  reschedule(entries: readonly QueueEntry[], nextAt: number): void {
    const journal = this.journal;
    if (!journal) return;
    for (const entry of entries) if (entry.spoolId !== undefined) journal.reschedule(this.output, entry.spoolId, entry.attempts, nextAt);
  }
}
