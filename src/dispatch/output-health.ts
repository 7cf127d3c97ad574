// An output's health as /healthz and the logs tell it: ok, retrying (a send failed, alerts wait for
// the retry), failing (3 failures in a row, refused credentials, a failed healthcheck, no connection
// yet after a failed attempt or after `timeoutms` of a first one, or 3 alerts in a row refused for
// good with none delivered: a wrong path, a mapping error),
// with the last error. The worker reports events; this decides the state.
import type { Logger } from 'pino';
import type { HealthResult } from '../plugin/types.ts';
import type { Clock } from './clock.ts';

export type OutputState = 'ok' | 'retrying' | 'failing';

/** Consecutive failed sends after which an output is "failing" rather than "retrying". */
export const FAILING_AFTER = 3;

export class OutputHealthTracker {
  /** Failed sends since the last delivery. */
  consecutiveFailures = 0;
  /** Alerts refused for good (dead-lettered as rejected) since the last delivery. */
  private refusedInARow = 0;
  private authFailing = false;
  private connected = false;
  /** When the first connection attempt started, and how long it may take before the output is failing. */
  private connecting: { since: number; graceMs: number } | undefined;
  private check: HealthResult = { ok: true };
  private lastError: { message: string; at: number } | undefined;
  private readonly clock: Clock;
  private readonly log: Logger;

  constructor(clock: Clock, log: Logger) {
    this.clock = clock;
    this.log = log;
  }

  state(): OutputState {
    if (this.authFailing || !this.check.ok || this.consecutiveFailures >= FAILING_AFTER || this.refusedInARow >= FAILING_AFTER || (!this.connected && (this.lastError || this.connectOverdue()))) {
      return 'failing';
    }
    if (this.consecutiveFailures > 0) return 'retrying';
    return 'ok';
  }

  /** Why the output is not ok, for /healthz (empty while it is ok). */
  lastErrorFields(): { lastError?: string; lastErrorAt?: string } {
    if (this.state() === 'ok') return {};
    if (!this.lastError && this.connecting && this.connectOverdue()) {
      const { since, graceMs } = this.connecting;
      return { lastError: `not connected: the first connection attempt has taken more than ${graceMs / 1000} s (timeoutms)`, lastErrorAt: new Date(since + graceMs).toISOString() };
    }
    if (!this.lastError) return {};
    return { lastError: this.lastError.message, lastErrorAt: new Date(this.lastError.at).toISOString() };
  }

  /** The first connection attempt starts: until it ends, the output is ok for `graceMs` (its timeoutms), then failing. */
  connectStarted(graceMs: number): void {
    this.connecting ??= { since: this.clock.now(), graceMs };
  }

  private connectOverdue(): boolean {
    return this.connecting !== undefined && this.clock.now() - this.connecting.since >= this.connecting.graceMs;
  }

  connectFailed(message: string): void {
    this.noteError(`cannot connect: ${message}`);
    this.check = { ok: false, message: `cannot connect: ${message}` };
  }

  connectSucceeded(): void {
    this.connected = true;
  }

  /** A send will be retried. Returns the number of failures in a row. */
  sendFailed(reason: string, auth: boolean): number {
    this.consecutiveFailures++;
    this.authFailing = auth;
    this.noteError(reason);
    return this.consecutiveFailures;
  }

  /**
   * A send's alerts refused for good (`refused`, the first one's `reason`) and delivered. Refusals
   * with none delivered since the last delivery make the output failing from FAILING_AFTER on; that
   * change is logged once, and so is its end.
   */
  refusals(refused: number, delivered: number, reason: string | undefined): void {
    if (delivered > 0) {
      if (this.refusedInARow >= FAILING_AFTER) this.log.info({ refusedInARow: this.refusedInARow }, 'output delivers again after refusing every alert');
      this.refusedInARow = 0;
      return;
    }
    if (refused === 0) return;
    const before = this.refusedInARow;
    this.refusedInARow += refused;
    this.noteError(`refused: ${reason ?? 'the destination refused the alerts'}`);
    if (before < FAILING_AFTER && this.refusedInARow >= FAILING_AFTER) {
      this.log.error({ reason, refusedInARow: this.refusedInARow }, 'output refuses every alert: each is dead-lettered (peregrine dlq list); check its address, credentials and the destination\'s answer');
    }
  }

  /** A send delivered alerts. Returns how many failures in a row it ends (0 when it was ok). */
  sendSucceeded(): number {
    const ended = this.consecutiveFailures > 0 || this.authFailing ? Math.max(1, this.consecutiveFailures) : 0;
    this.consecutiveFailures = 0;
    this.authFailing = false;
    this.check = { ok: true };
    return ended;
  }

  /** The plugin's healthcheck answered. Logs only changes (and the first answer). */
  healthcheck(result: HealthResult, atStart: boolean): void {
    const changed = result.ok !== this.check.ok;
    this.check = result;
    if (!result.ok) this.noteError(`healthcheck: ${result.message ?? 'failed'}`);
    if (!atStart && !changed) return;
    if (result.ok) this.log.info({ healthcheck: 'ok' }, atStart ? 'output ready' : 'output healthcheck ok again');
    else this.log.error({ healthcheck: result.message }, 'output healthcheck failed');
  }

  private noteError(message: string): void {
    this.lastError = { message, at: this.clock.now() };
  }
}
