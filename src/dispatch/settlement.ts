// What one attempt's verdict (retry-policy.ts) does to its output. What ended is recorded
// (endings.ts). An alert at fault is set aside (set-aside.ts). What failed otherwise backs off
// (failure-streak.ts) and goes back to the queue. A batch refused whole goes back at once, to be sent
// in halves. A delivery after a failure streak gives back the alerts set aside during it.
import type { Logger } from 'pino';
import type { Metrics } from '../telemetry/metrics.ts';
import type { Endings } from './endings.ts';
import type { Evidence } from './evidence.ts';
import type { FailureStreak } from './failure-streak.ts';
import type { OutputHealthTracker } from './output-health.ts';
import type { Pacer } from './pacer.ts';
import type { QueueEntry } from './queue-entry.ts';
import type { Verdict } from './retry-policy.ts';
import type { SetAside } from './set-aside.ts';
import type { SpoolLink } from './spool-link.ts';

export interface SettlementDeps {
  endings: Endings;
  evidence: Evidence;
  aside: SetAside;
  failures: FailureStreak;
  /** Told of alerts refused for good and of deliveries (an output refusing every alert is failing). */
  health: OutputHealthTracker;
  pacer: Pacer;
  spool: SpoolLink;
  metrics: Metrics;
  log: Logger;
  /** Puts alerts back in the queue, oldest first (what the queue's bounds shed is the worker's to end). */
  restore: (entries: readonly QueueEntry[]) => void;
  /** Puts alerts back from being set aside, each alone in its request. */
  requeue: (entries: readonly QueueEntry[]) => void;
  /** How many alerts wait in the queue (for the failure log). */
  queued: () => number;
}

export class Settlement {
  private readonly output: string;
  private readonly deps: SettlementDeps;

  constructor(output: string, deps: SettlementDeps) {
    this.output = output;
    this.deps = deps;
  }

  /**
   * Applies the verdict of request `request` (evidence.ts). `closed`: the worker was closed while it
   * was in flight (a drain's deadline aborted it): that failure is the shutdown's, so nothing is set
   * aside.
   */
  apply(verdict: Verdict, request: number, closed: boolean): void {
    const { aside, evidence, endings, failures, spool, metrics, log } = this.deps;
    // Weighed before this request's deliveries count as evidence: an alert delivered just before
    // another failed in the same request does not show the destination was up (set-aside.ts).
    const held = verdict.retry && !closed ? aside.atFault(verdict.alone).map((h) => h.entry) : [];
    evidence.settled(request, verdict.delivered.length > 0, verdict.retry !== undefined);
    endings.settled(verdict);
    if (verdict.deadLetters.length > 0) {
      const refused = verdict.deadLetters.filter((d) => d.reason === 'rejected');
      this.deps.health.refusals(refused.length, verdict.delivered.length, refused[0]?.detail);
    } else if (verdict.delivered.length > 0) this.deps.health.refusals(0, verdict.delivered.length, undefined);
    if (verdict.split !== undefined && verdict.again.length > 0) {
      metrics.splits.inc({ output: this.output });
      log.debug({ alerts: verdict.again.length, perRequest: verdict.split }, 'a batch failed whole: its alerts go again in halves');
    }
    let again = verdict.again;
    if (held.length > 0) {
      // Set aside, the destination being up for others: the output neither backs off nor counts a
      // failure for these. The spool keeps the output's own retry time (a restart must not pause the
      // output for them).
      metrics.retries.inc({ output: this.output, reason: 'error' }, held.length);
      spool.reschedule(held, this.deps.pacer.pausedUntil);
      const aside = new Set(held);
      again = again.filter((entry) => !aside.has(entry));
    }
    // An alert that failed alone and whose budget ended fails the output no more than one set aside,
    // when its fault was shown: it was set aside before, or the same request delivered others.
    const spent = verdict.spentAlone.filter((entry) => verdict.delivered.length > 0 || (entry.suspicion?.times ?? 0) > 0).length;
    if (verdict.retry && held.length + spent < verdict.retried) {
      failures.failed(verdict, again.length, this.deps.queued());
      spool.reschedule(again, this.deps.pacer.pausedUntil);
      this.deps.restore(again);
      return;
    }
    if (again.length > 0) this.deps.restore(again);
    // After a failure streak, alerts set aside during it may have failed for the destination's sake:
    // they go again now (one that is at fault is set aside again at once, at one request's cost).
    // Not those this request set aside: it delivered others.
    if (verdict.delivered.length > 0 && failures.ended()) this.deps.requeue(aside.releaseSince(failures.since, held));
  }
}
