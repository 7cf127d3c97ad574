// Spaces messages to one webhook at the service's pace (Slack: about one per second) and holds them
// while the service asked for a wait. Waiting is bounded by the request deadline (the signal) and
// runs on the injected clock: rate limiting, not a retry.
import { abortReason, type Clock } from '../../src/plugin/index.ts';

const SLACK_INTERVAL_MS = 1000;

export class Pacer {
  private nextAt = -Infinity;
  /** Messages the service's rate window has left (as its last answer said), until windowEndsAt. */
  private left = Infinity;
  private windowEndsAt = -Infinity;
  private readonly clock: Clock;
  private readonly intervalMs: number;

  constructor(clock: Clock, intervalMs = SLACK_INTERVAL_MS) {
    this.clock = clock;
    this.intervalMs = intervalMs;
  }

  /** How long the next slot is away, ms (0: now). */
  waitMs(): number {
    return Math.max(0, this.nextAt - this.clock.now());
  }

  /** Takes the next slot, waiting for it. Rejects with the signal's reason when it aborts first. */
  async take(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const now = this.clock.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.intervalMs;
    if (at > now) await sleep(this.clock, at - now, signal);
  }

  /** The service asked us to wait (a 429's Retry-After, a spent rate window): nothing goes out before then. */
  holdFor(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.clock.now() + ms);
  }

  /** The service's rate window has `remaining` messages left for the next `resetInMs`. */
  noteWindow(remaining: number, resetInMs: number): void {
    this.left = remaining;
    this.windowEndsAt = this.clock.now() + resetInMs;
  }

  /** Messages that may go now before the window is spent: Infinity when the service keeps no window, or it has reset. */
  room(): number {
    return this.clock.now() < this.windowEndsAt ? this.left : Infinity;
  }
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clock.clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
