// Where every alert an output is done with gets counted: delivered, dead-lettered, dropped (queue
// full, unreadable from the spool, shutdown) — in the metrics, in /healthz's counts, and in the log
// for what a human must see (dead letters, one line per shedding burst). Nothing ends silently.
import type { Logger } from 'pino';
import type { Metrics } from '../telemetry/metrics.ts';
import type { Clock } from './clock.ts';
import type { DeadLetterReason, DeadLetterStore } from './dead-letter.ts';
import type { QueueLimits } from './queue.ts';
import type { QueueEntry } from './queue-entry.ts';

export type DropReason = 'queue_full' | 'spool_read' | 'spool_full' | 'shutdown';

/**
 * Counts alerts of `output` dropped for `reason`: peregrine_dropped_total, and falcosidekick's
 * outputs_total as errors (not at shutdown: with the spool those stay for the next start). Also for
 * what no worker holds (app.ts: spool evictions of an output that is gone).
 */
export function countDropped(metrics: Metrics, output: string, reason: DropReason, priority: string, n: number): void {
  metrics.dropped.inc({ output, reason, priority }, n);
  if (reason !== 'shutdown') metrics.outputs.inc({ destination: output, status: 'error' }, n);
}

/** Counts alerts of `output` dead-lettered for `reason`: peregrine_dead_lettered_total and outputs_total's errors. Also at start (spool/recover.ts). */
export function countDeadLettered(metrics: Metrics, output: string, reason: DeadLetterReason, n: number): void {
  metrics.deadLettered.inc({ output, reason }, n);
  metrics.outputs.inc({ destination: output, status: 'error' }, n);
}

/** At most one log line about dead letters per this many ms, per output. */
const DEAD_LETTER_LOG_MS = 10_000;

export class Accounting {
  /** Since the output started; shared along hot reloads (continueFrom). */
  counts = { delivered: 0, deadLettered: 0, dropped: 0 };
  private shedBurst = 0;
  /** Dead letters since the last line about them, and when that line was written. */
  private deadSinceLog = 0;
  private deadLoggedAt = -Infinity;
  /** What the next line names, and the timer that writes it when the 10 s since the last line end. */
  private deadLatest: { uuid: string; rule: string; reason: DeadLetterReason; detail: string; attempts: number } | undefined;
  private deadTailTimer: unknown;
  private readonly output: string;
  private readonly metrics: Metrics;
  private readonly deadLetters: DeadLetterStore;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(output: string, deps: { metrics: Metrics; deadLetters: DeadLetterStore; clock: Clock; log: Logger }) {
    this.output = output;
    this.metrics = deps.metrics;
    this.deadLetters = deps.deadLetters;
    this.clock = deps.clock;
    this.log = deps.log;
  }

  /**
   * Hot reload: this output's counts go on from those of the instance it replaces, in one object, so
   * what that one still ends (its requests in flight) counts here too, as it does in the metrics.
   */
  continueFrom(predecessor: Accounting): void {
    if (predecessor.counts === this.counts) return;
    predecessor.counts.delivered += this.counts.delivered;
    predecessor.counts.deadLettered += this.counts.deadLettered;
    predecessor.counts.dropped += this.counts.dropped;
    this.counts = predecessor.counts;
  }

  delivered(count: number, duplicates: number): void {
    if (count === 0) return;
    this.counts.delivered += count;
    // Once per batch, not per alert: label lookups in prom-client cost more than the rest of settling.
    if (count > duplicates) this.metrics.delivered.inc({ output: this.output, duplicate: 'false' }, count - duplicates);
    if (duplicates > 0) this.metrics.delivered.inc({ output: this.output, duplicate: 'true' }, duplicates);
    this.metrics.outputs.inc({ destination: this.output, status: 'ok' }, count);
  }

  deadLetter(entry: QueueEntry, reason: DeadLetterReason, detail: string): void {
    const alert = entry.load();
    this.deadLetters.add({
      output: this.output,
      alert,
      reason,
      detail,
      attempts: entry.attempts,
      at: this.clock.now(),
      ...(entry.spoolId !== undefined ? { spoolId: entry.spoolId } : {}),
    });
    countDeadLettered(this.metrics, this.output, reason, 1);
    this.counts.deadLettered++;
    this.log.debug({ uuid: alert.uuid, rule: alert.rule, reason, detail, attempts: entry.attempts }, 'alert dead-lettered');
    // One warn line per 10 s at most (a destination refusing everything would write one per alert),
    // naming the latest dead letter and how many came since the last line. Those that come inside the
    // 10 s get their line when it ends: a burst's tail is never left to the next dead letter.
    this.deadSinceLog++;
    this.deadLatest = { uuid: alert.uuid, rule: alert.rule, reason, detail, attempts: entry.attempts };
    const wait = this.deadLoggedAt + DEAD_LETTER_LOG_MS - this.clock.now();
    if (wait <= 0) this.logDeadLetters();
    else if (this.deadTailTimer === undefined) {
      this.deadTailTimer = this.clock.setTimeout(() => this.logDeadLetters(), wait);
      // Never holds the process open: the count is in peregrine_dead_lettered_total anyway.
      (this.deadTailTimer as { unref?: () => void }).unref?.();
    }
  }

  /** Writes the line about dead letters not logged yet, now (also when the output closes). */
  logDeadLetters(): void {
    if (this.deadTailTimer !== undefined) this.clock.clearTimeout(this.deadTailTimer);
    this.deadTailTimer = undefined;
    if (this.deadSinceLog === 0) return;
    this.log.warn(
      { deadLettered: this.deadSinceLog, ...this.deadLatest },
      this.deadSinceLog === 1 ? 'alert dead-lettered (peregrine dlq list)' : 'alerts dead-lettered since the last such line, the latest named (peregrine dlq list)',
    );
    this.deadLoggedAt = this.clock.now();
    this.deadSinceLog = 0;
  }

  dropped(entries: readonly QueueEntry[], reason: DropReason): void {
    if (entries.length === 0) return;
    for (const entry of entries) countDropped(this.metrics, this.output, reason, entry.priority, 1);
    this.counts.dropped += entries.length;
  }

  /** The spool evicted an alert this output still had to send (spool.maxbytes). */
  evicted(entry: QueueEntry): void {
    this.dropped([entry], 'spool_full');
  }

  /** Counts what the queue shed; one log line per burst: the first shed after a calm push, then every 10,000. */
  shed(shed: readonly QueueEntry[], queued: number, limits: QueueLimits): void {
    if (shed.length === 0) {
      this.shedBurst = 0;
      return;
    }
    this.dropped(shed, 'queue_full');
    if (this.shedBurst === 0 || Math.floor((this.shedBurst + shed.length) / 10_000) > Math.floor(this.shedBurst / 10_000)) {
      this.log.error(
        { shed: shed.length, lowestShedPriority: shed[0]?.priority, queued, limits },
        'output queue full: shedding lowest-priority alerts (see peregrine_dropped_total)',
      );
    }
    this.shedBurst += shed.length;
  }
}
