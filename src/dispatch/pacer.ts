// When may an output send? Not while it backs off after a failure (or a restored retry time) —
// except one probe alert every `retry.probems`, never before a Retry-After, whose success ends the
// pause — and never faster than its send rate. The worker asks before each request; when the answer
// is "later", the pacer wakes it then. Time comes from the injected clock.
import type { Clock } from './clock.ts';
import { rateLimiter, type RateLimiter, type SendRate } from './rate-limiter.ts';

/** What the worker may send now: a full batch, a single probe alert, or nothing (it will be woken). */
export type Permit = 'batch' | 'probe' | 'wait';

export class Pacer {
  /** The queue waits until this time… */
  pausedUntil = 0;
  /** …except for probes, one every probems after the last attempt, never before a Retry-After. */
  private lastAttemptAt = 0;
  private throttledUntil = 0;
  private wakeTimer: unknown;
  private readonly rate: RateLimiter | undefined;
  private readonly probems: number;
  private readonly clock: Clock;
  private readonly wake: () => void;

  constructor(opts: { probems: number; sendrate: SendRate; clock: Clock; wake: () => void }) {
    this.probems = opts.probems;
    this.clock = opts.clock;
    this.wake = opts.wake;
    this.rate = rateLimiter(opts.sendrate, opts.clock.now());
  }

  /** Asks to send; `canProbe`: nothing is in flight and something is queued. Takes a rate token when it says yes. */
  permit(canProbe: boolean): Permit {
    const now = this.clock.now();
    if (now < this.pausedUntil) {
      const probeAt = this.probems > 0 ? Math.max(this.lastAttemptAt + this.probems, this.throttledUntil) : Infinity;
      if (now < probeAt) return this.wakeAt(Math.min(this.pausedUntil, probeAt), now);
      // The probe is due but cannot go yet (a request in flight): its settling pumps again, and the pause's end wakes.
      if (!canProbe) return this.wakeAt(this.pausedUntil, now);
      const wait = this.rate?.take(now) ?? 0;
      return wait === 0 ? 'probe' : this.wakeAt(now + wait, now);
    }
    const wait = this.rate?.take(now) ?? 0;
    return wait === 0 ? 'batch' : this.wakeAt(now + wait, now);
  }

  /** A request starts (probes are counted from the last attempt). */
  attempted(): void {
    this.lastAttemptAt = this.clock.now();
  }

  /** The attempt failed: pause for `delayMs`; `throttled` (a Retry-After) also holds the probes back. */
  failed(delayMs: number, throttled: boolean): void {
    const now = this.clock.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + delayMs);
    if (throttled) this.throttledUntil = now + delayMs;
  }

  /** The destination took alerts: it is back, release the queue. */
  succeeded(): void {
    this.pausedUntil = 0;
  }

  /** Restored retry state: send nothing before this time. */
  pauseUntil(at: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, at);
  }

  close(): void {
    this.clock.clearTimeout(this.wakeTimer);
  }

  private wakeAt(at: number, now: number): 'wait' {
    this.clock.clearTimeout(this.wakeTimer);
    this.wakeTimer = this.clock.setTimeout(this.wake, Math.max(0, at - now));
    return 'wait';
  }
}
