// Runs an output's healthcheck() at start and then every `intervalMs` while the worker lives, each
// run bounded by the output's timeout. Results go to the health tracker.
import type { HealthResult } from '../plugin/types.ts';
import type { Clock } from './clock.ts';
import { errorMessage } from './errors.ts';

export class HealthcheckLoop {
  private timer: unknown;
  private closed = false;
  private readonly check: (signal: AbortSignal) => Promise<HealthResult>;
  private readonly report: (result: HealthResult, atStart: boolean) => void;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly intervalMs: number;

  constructor(opts: {
    check: (signal: AbortSignal) => Promise<HealthResult>;
    report: (result: HealthResult, atStart: boolean) => void;
    clock: Clock;
    timeoutMs: number;
    intervalMs: number;
  }) {
    this.check = opts.check;
    this.report = opts.report;
    this.clock = opts.clock;
    this.timeoutMs = opts.timeoutMs;
    this.intervalMs = opts.intervalMs;
  }

  /** The first check (awaited by the worker before it sends), then the periodic ones. */
  async start(): Promise<void> {
    await this.run(true);
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.timer);
  }

  private async run(atStart: boolean): Promise<void> {
    if (this.closed) return;
    const controller = new AbortController();
    const timer = this.clock.setTimeout(() => controller.abort(new Error('healthcheck timed out')), this.timeoutMs);
    let result: HealthResult;
    try {
      result = await this.check(controller.signal);
    } catch (err) {
      result = { ok: false, message: errorMessage(err) };
    } finally {
      this.clock.clearTimeout(timer);
    }
    if (!this.closed) this.report(result, atStart);
  }

  private schedule(): void {
    if (this.closed || this.intervalMs <= 0) return;
    this.timer = this.clock.setTimeout(() => {
      void this.run(false).then(() => this.schedule());
    }, this.intervalMs);
    (this.timer as { unref?: () => void } | undefined)?.unref?.();
  }
}
