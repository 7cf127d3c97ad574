// Keeps BatchImportFindings under Security Hub's quota (10 calls/s per account and region, burst
// 30) before the service has to throttle us. A token bucket written as GCRA: each caller reserves
// the next slot at once, so waiters go out in arrival order without a queue. Waiting is bounded by
// the caller's AbortSignal (the request deadline): this is rate limiting, not a retry.

export class TokenBucket {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  private readonly now: () => number;
  /** Theoretical arrival time of the next call when the bucket is exactly empty. */
  private tat = 0;
  /** Bumped by drain(): waiters from an older schedule re-queue. */
  private epoch = 0;

  constructor(ratePerSecond: number, burst: number, now: () => number = () => performance.now()) {
    this.intervalMs = 1000 / ratePerSecond;
    this.toleranceMs = (Math.max(1, burst) - 1) * this.intervalMs;
    this.now = now;
  }

  /** Milliseconds the next call has to wait (0 when a token is available). */
  waitMs(): number {
    const now = this.now();
    return Math.max(0, Math.max(this.tat, now) - this.toleranceMs - now);
  }

  /** Takes one token, waiting for it if needed. Rejects with the signal's reason when it aborts first. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const epoch = this.epoch;
      const now = this.now();
      const start = Math.max(this.tat, now);
      const wait = Math.max(0, start - this.toleranceMs - now);
      this.tat = start + this.intervalMs;
      if (wait <= 0) return;
      await sleep(wait, signal);
      // A throttle answer arrived while we waited: our slot belongs to the old schedule, take a new one.
      if (epoch === this.epoch) return;
    }
  }

  /**
   * The service throttled us anyway (another client shares the quota): empty the bucket and send
   * nothing for `pauseMs`, including callers already waiting for a slot.
   */
  drain(pauseMs = 0): void {
    this.epoch++;
    this.tat = Math.max(this.tat, this.now() + pauseMs + this.toleranceMs + this.intervalMs);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted while waiting for the Security Hub rate limit'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.ceil(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const shared = new Map<string, TokenBucket>();

/**
 * One bucket per account + region + endpoint in this process, shared by every output instance
 * that sends there (the quota is the account's, not the instance's). The first instance's rate wins.
 */
export function sharedBucket(key: string, ratePerSecond: number, burst: number): TokenBucket {
  let bucket = shared.get(key);
  if (bucket === undefined) {
    bucket = new TokenBucket(ratePerSecond, burst);
    shared.set(key, bucket);
  }
  return bucket;
}
