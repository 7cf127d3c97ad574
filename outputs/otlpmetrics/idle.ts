// The counter exported again while no alert comes, as falcosidekick's OTel SDK does every minute: a
// Prometheus backend marks a series stale five minutes after its last point, and increase() then
// misses a lone alert after a quiet spell. When no export started for `intervalMs` (the output's
// batch.flushms), `exportIdle` runs (it exports the committed counts, if any, after the export in
// progress). Its failures are logged, once per run of failures, and touch no alert: the next
// export carries the same counts again.
import type { Clock, ConnectContext, Outcome } from '../../src/plugin/index.ts';

export interface IdleDeps {
  clock: Clock;
  log: ConnectContext['log'];
  intervalMs: number;
  /** The deadline of one re-export (the output's timeoutms). */
  timeoutMs: number;
  /** When the last export started (clock ms). */
  lastExportAt: () => number;
  /** Exports the committed counts; undefined when it did not (nothing counted yet, or an export just happened). */
  exportIdle: (signal: AbortSignal) => Promise<Outcome | undefined>;
}

/** The re-export interval: the output's batch.flushms, at least a second; 60 s when batches flush at once (0). */
export const idleIntervalMs = (flushms: number | undefined, fallback: number) => (flushms === undefined || flushms <= 0 ? fallback : Math.max(1000, flushms));

export class IdleExport {
  private readonly deps: IdleDeps;
  private timer: unknown;
  private stopped = false;
  private failing = false;
  private inFlight: AbortController | undefined;

  constructor(deps: IdleDeps) {
    this.deps = deps;
  }

  start(): void {
    this.schedule();
  }

  /** No more re-exports; the one in flight is aborted. */
  stop(): void {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
    this.inFlight?.abort(new Error('the output is closing'));
  }

  /** Until the interval after the last export has passed (a full interval when that is past). */
  private dueIn(): number {
    const due = this.deps.lastExportAt() + this.deps.intervalMs - this.deps.clock.now();
    return due > 0 ? due : this.deps.intervalMs;
  }

  private schedule(ms = this.dueIn()): void {
    if (!this.stopped) this.timer = this.deps.clock.setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    const { clock, intervalMs, timeoutMs, log } = this.deps;
    if (clock.now() - this.deps.lastExportAt() < intervalMs) return this.schedule();
    const controller = new AbortController();
    this.inFlight = controller;
    const deadline = clock.setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    let outcome: Outcome | undefined;
    try {
      outcome = await this.deps.exportIdle(controller.signal);
    } catch (err) {
      outcome = { kind: 'retry', reason: err instanceof Error ? err.message : String(err) };
    } finally {
      clock.clearTimeout(deadline);
      this.inFlight = undefined;
    }
    if (this.stopped) return;
    if (outcome?.kind === 'ok') {
      if (this.failing) log.info('the metric is exported again while no alerts come');
      this.failing = false;
    } else if (outcome && !this.failing) {
      this.failing = true;
      log.warn({ reason: outcome.reason }, 'the metric could not be exported again while no alerts come; the next export carries the same counts (no alert is affected)');
    }
    this.schedule();
  }
}
