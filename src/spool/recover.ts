// On start: every undelivered (alert, output) pair in the spool goes back into its output's queue
// with its attempt count and next-retry time. Outputs that are no longer configured have their
// backlog dead-lettered and reported — never silently dropped.
import type { Logger } from 'pino';
import type { Clock } from '../dispatch/clock.ts';
import type { DeadLetterStore } from '../dispatch/dead-letter.ts';
import type { OutputWorker } from '../dispatch/worker.ts';
import { thawAlert } from '../alert/serialize.ts';
import type { Spool } from './spool.ts';

export function recoverSpool(
  spool: Spool,
  workers: readonly OutputWorker[],
  deadLetters: DeadLetterStore,
  clock: Clock,
  log: Logger,
  countRemoved: (output: string, n: number) => void,
  countUnreadable: (output: string) => void = () => {},
): void {
  const backlog = spool.backlog();
  const now = clock.now();
  // One JSON string per alert, shared by the outputs that hold it near the head of their queues;
  // past a queue's hot depth an entry keeps only its spool id (dispatch/queue.ts), as before the restart.
  const jsonById = new Map<number, string>();
  for (const worker of workers) {
    const pending = spool.pending(worker.name);
    let resumeAt = 0;
    let recovered = 0;
    for (const row of pending) {
      let json = jsonById.get(row.id);
      if (json === undefined) jsonById.set(row.id, (json = row.json));
      let alert;
      try {
        alert = thawAlert(json);
      } catch (err) {
        // One damaged row must not stop every start: it goes to the dead-letter store, named.
        const detail = `spool row ${row.id} is not readable JSON (${(err as Error).message}); its text is kept in the dead letter`;
        const deadLetterId = spool.deadLetterUnreadable(worker.name, row.id, detail, row.attempts, now);
        countUnreadable(worker.name);
        log.error({ output: worker.name, spoolId: row.id, deadLetterId, err: (err as Error).message }, 'unreadable alert in the spool: moved to the dead-letter store (peregrine dlq list)');
        continue;
      }
      recovered++;
      worker.enqueue(alert, row.bytes, row.receivedAt, { spoolId: row.id, attempts: row.attempts });
      if (row.attempts > 0 && row.nextAt > now) resumeAt = resumeAt === 0 ? row.nextAt : Math.min(resumeAt, row.nextAt);
    }
    if (resumeAt > 0) worker.pauseUntil(resumeAt);
    if (recovered) log.info({ output: worker.name, recovered }, 'recovered undelivered alerts from the spool');
  }
  const configured = new Set(workers.map((w) => w.name));
  for (const [output, count] of Object.entries(backlog)) {
    if (configured.has(output)) continue;
    let removed = 0;
    for (const row of spool.pending(output)) {
      let alert;
      try {
        alert = thawAlert(row.json);
      } catch (err) {
        spool.deadLetterUnreadable(output, row.id, `spool row ${row.id} is not readable JSON (${(err as Error).message})`, row.attempts, now);
        countUnreadable(output);
        continue;
      }
      deadLetters.add({ output, alert, reason: 'output_removed', detail: `output "${output}" is no longer configured`, attempts: row.attempts, at: now, spoolId: row.id });
      removed++;
    }
    countRemoved(output, removed);
    log.error({ output, deadLettered: count }, 'spool holds alerts for an output that is no longer configured: moved to the dead-letter store (peregrine dlq list)');
  }
}
