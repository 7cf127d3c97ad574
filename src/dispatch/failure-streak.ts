// An output's streak of failed sends. Each failure counts in the health tracker (output-health.ts),
// pauses the output for its backoff (backoff.ts, pacer.ts), is counted in peregrine_retries_total
// and logged at the streak's milestones; a delivery ends the streak and releases the queue.
import type { Logger } from 'pino';
import type { Metrics } from '../telemetry/metrics.ts';
import { backoffMs, type BackoffPolicy } from './backoff.ts';
import type { Clock } from './clock.ts';
import { FAILING_AFTER, type OutputHealthTracker } from './output-health.ts';
import type { Pacer } from './pacer.ts';
import type { Verdict } from './retry-policy.ts';

export class FailureStreak {
  private readonly output: string;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly health: OutputHealthTracker;
  private readonly pacer: Pacer;
  private readonly metrics: Metrics;
  private readonly log: Logger;
  private readonly clock: Clock;
  /** When the current (or last) streak began. */
  private began = 0;

  constructor(
    output: string,
    deps: { backoff: BackoffPolicy; random: () => number; health: OutputHealthTracker; pacer: Pacer; metrics: Metrics; log: Logger; clock: Clock },
  ) {
    this.output = output;
    this.clock = deps.clock;
    this.backoff = deps.backoff;
    this.random = deps.random;
    this.health = deps.health;
    this.pacer = deps.pacer;
    this.metrics = deps.metrics;
    this.log = deps.log;
  }

  /**
   * An attempt whose verdict has a retry: back off. `again`: its alerts going back to the queue (not
   * those set aside); `queued`: what waits in the queue besides them.
   */
  failed(verdict: Verdict, again: number, queued: number): void {
    const outcome = verdict.retry as NonNullable<Verdict['retry']>;
    if (this.health.consecutiveFailures === 0) this.began = this.clock.now();
    const failures = this.health.sendFailed(outcome.reason, outcome.auth === true);
    const delay = backoffMs(this.backoff, failures, this.random, verdict.retryAfterMs);
    this.pacer.failed(delay, verdict.retryAfterMs !== undefined);
    const reason = outcome.auth ? 'auth' : verdict.retryAfterMs !== undefined ? 'throttled' : 'error';
    this.metrics.retries.inc({ output: this.output, reason }, again);
    if (failures === 1 || failures === FAILING_AFTER || failures % 50 === 0) {
      const failing = failures >= FAILING_AFTER;
      this.log[failing ? 'error' : 'warn'](
        { reason: outcome.reason, failures, retryInMs: delay, queued: queued + again },
        failing ? 'output failing; alerts wait in its queue' : 'output send failed; retrying',
      );
    }
  }

  /** When the current (or last) streak began (ms). */
  get since(): number {
    return this.began;
  }

  /** An attempt delivered alerts: the destination is back, release the queue at full concurrency. True when a streak ended. */
  ended(): boolean {
    this.pacer.succeeded();
    const ended = this.health.sendSucceeded();
    if (ended > 0) this.log.info({ afterFailures: ended }, 'output recovered');
    return ended > 0;
  }
}
