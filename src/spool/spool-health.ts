// Whether the spool can write, and what went wrong when it cannot (a full disk, an I/O error):
// Peregrine keeps running, refuses new alerts with 503 while commits fail, retries by itself and
// recovers when the disk does. One log line per failure streak and then at most one per interval,
// with how many were not logged; the state is in /healthz ("spool") and the metrics.
import type { Logger } from 'pino';

export type SpoolOp = 'commit' | 'maintain' | 'deadletter';

export interface SpoolHealthSnapshot {
  state: 'ok' | 'degraded';
  /** Ops whose last attempt failed. */
  failing: SpoolOp[];
  lastError?: string;
  /** ISO time the current failure streak began. */
  since?: string;
  errors: Record<SpoolOp, number>;
}

const LOG_EVERY_MS = 10_000;

export class SpoolHealth {
  readonly errors: Record<SpoolOp, number> = { commit: 0, maintain: 0, deadletter: 0 };
  private readonly failing = new Set<SpoolOp>();
  private lastError: string | undefined;
  private since: number | undefined;
  private lastLogAt = -Infinity;
  private unlogged = 0;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Called once per failure (the errors counter). */
  onError: (op: SpoolOp) => void = () => {};

  constructor(log: Logger, now: () => number = Date.now) {
    this.log = log;
    this.now = now;
  }

  get degraded(): boolean {
    return this.failing.size > 0;
  }

  failingOp(op: SpoolOp): boolean {
    return this.failing.has(op);
  }

  failed(op: SpoolOp, err: unknown, consequence: string): void {
    const message = (err as { message?: string }).message ?? String(err);
    this.errors[op]++;
    this.onError(op);
    const now = this.now();
    if (!this.degraded) this.since = now;
    this.failing.add(op);
    this.lastError = message;
    if (now - this.lastLogAt < LOG_EVERY_MS) {
      this.unlogged++;
      return;
    }
    this.log.error({ op, err: message, notLogged: this.unlogged, failingSince: new Date(this.since ?? now).toISOString() }, `spool ${op} failed: ${consequence} (logged at most every ${LOG_EVERY_MS / 1000} s; see /healthz "spool")`);
    this.lastLogAt = now;
    this.unlogged = 0;
  }

  succeeded(op: SpoolOp): void {
    if (!this.failing.delete(op) || this.degraded) return;
    this.log.warn({ failingSinceMs: this.now() - (this.since ?? this.now()), notLogged: this.unlogged }, 'spool writes work again: recovered');
    this.since = undefined;
    this.lastLogAt = -Infinity;
    this.unlogged = 0;
  }

  snapshot(): SpoolHealthSnapshot {
    return {
      state: this.degraded ? 'degraded' : 'ok',
      failing: [...this.failing],
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.since !== undefined ? { since: new Date(this.since).toISOString() } : {}),
      errors: { ...this.errors },
    };
  }
}
