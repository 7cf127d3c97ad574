// An output's side of the durable spool: where its queue reads back an alert the spool holds, and
// what it tells the spool's journal: this delivery is done, or it will be retried then. Without the
// spool, entries carry no spool id and nothing is told.
import type { DeliveryJournal } from './delivery.ts';
import type { QueueEntry, SpoolReader } from './queue-entry.ts';

export class SpoolLink {
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

  /** The alert is done here (delivered or dropped): the spool forgets this delivery. */
  complete(entry: QueueEntry): void {
    if (entry.spoolId !== undefined) this.journal?.complete(this.output, entry.spoolId);
  }

  /** The entries will be retried, not before `nextAt`: their attempts and that time survive a restart. */
  reschedule(entries: readonly QueueEntry[], nextAt: number): void {
    const journal = this.journal;
    if (!journal) return;
    for (const entry of entries) if (entry.spoolId !== undefined) journal.reschedule(this.output, entry.spoolId, entry.attempts, nextAt);
  }
}
