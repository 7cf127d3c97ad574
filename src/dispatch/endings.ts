// How an alert's delivery ends for one output, recorded everywhere at once: the spool forgets it
// (spool-link.ts), accounting counts it (accounting.ts), and the delivery trail names the ending.
// A sent batch gets its trail record from the attempt (sender.ts); everything else ends here.
import type { Logger } from 'pino';
import type { TrailRecorder } from '../trail/recorder.ts';
import type { Accounting } from './accounting.ts';
import { errorMessage } from './errors.ts';
import type { QueueLimits } from './queue.ts';
import type { QueueEntry } from './queue-entry.ts';
import type { Verdict } from './retry-policy.ts';
import type { SpoolLink } from './spool-link.ts';

export class Endings {
  private readonly output: string;
  private readonly spool: SpoolLink;
  private readonly accounting: Accounting;
  private readonly trail: TrailRecorder | undefined;
  private readonly log: Logger;

  constructor(output: string, deps: { spool: SpoolLink; accounting: Accounting; trail: TrailRecorder | undefined; log: Logger }) {
    this.output = output;
    this.spool = deps.spool;
    this.accounting = deps.accounting;
    this.trail = deps.trail;
    this.log = deps.log;
  }

  /** A judged attempt: its delivered alerts and its dead letters end (the retried ones do not). */
  settled(verdict: Verdict): void {
    for (const entry of verdict.delivered) this.spool.complete(entry);
    this.accounting.delivered(verdict.delivered.length, verdict.duplicates);
    // The dead-letter store drops the spool's pending delivery itself, in the same step.
    for (const { entry, reason, detail } of verdict.deadLetters) this.accounting.deadLetter(entry, reason, detail);
  }

  /** The queue shed these to stay within queue.maxalerts / queue.maxbytes (called after every push, even with none). */
  shed(shed: QueueEntry[], queued: number, limits: QueueLimits): void {
    for (const entry of shed) this.spool.complete(entry);
    this.accounting.shed(shed, queued, limits);
    if (shed.length) this.trail?.ended(this.output, shed, 'shed', 'queue full (queue.maxalerts / queue.maxbytes): lowest priority shed first');
  }

  /** The spool could not give back a queued alert: dropped, counted (reason "spool_read") and logged. */
  unreadable(entry: QueueEntry, err: unknown): void {
    this.spool.complete(entry);
    this.accounting.dropped([entry], 'spool_read');
    this.trail?.ended(this.output, [entry], 'dropped', 'could not be read back from the spool');
    this.log.error(
      { spoolId: entry.spoolId, priority: entry.priority, err: errorMessage(err) },
      'a queued alert could not be read back from the spool: dropped (see peregrine_dropped_total{reason="spool_read"})',
    );
  }

  /** The spool evicted an alert this output still had to send, to stay under spool.maxbytes. */
  evicted(entry: QueueEntry): void {
    this.accounting.evicted(entry);
    this.trail?.ended(this.output, [entry], 'dropped', 'evicted from the full spool (spool.maxbytes)');
  }

  /** Not delivered before the shutdown deadline, with no spool to keep them. */
  shutdown(entries: QueueEntry[]): void {
    this.accounting.dropped(entries, 'shutdown');
    this.trail?.ended(this.output, entries, 'dropped', 'not delivered before the shutdown deadline (memory-only mode)');
  }

  /** Queued for an output the new config removed (hot reload): a dead letter each, named. */
  removed(entry: QueueEntry): void {
    const detail = `output "${this.output}" was removed by a config reload`;
    this.accounting.deadLetter(entry, 'output_removed', detail);
    this.trail?.ended(this.output, [entry], 'dead_lettered', detail);
  }
}
