// An output's request rate limit (`sendrate.*`): a token bucket on the injected clock. The worker
// asks before each request; with no token it waits for one (a timer) instead of sending and being
// refused. Plugins never sleep for a rate limit: the core owns waiting.

export interface SendRate {
  /** 0 = no limit. */
  requestspersecond: number;
  burst: number;
}

export class RateLimiter {
  private tokens: number;
  private updatedAt: number;
  private readonly perMs: number;
  private readonly burst: number;

  constructor(rate: SendRate, now: number) {
    this.perMs = rate.requestspersecond / 1000;
    this.burst = Math.max(1, rate.burst);
    this.tokens = this.burst;
    this.updatedAt = now;
  }

  /** Takes a token and returns 0, or returns how many ms until one is available (nothing taken). */
  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + Math.max(0, now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / this.perMs);
  }
}

/** A limiter for the settings, or undefined when they set no limit. */
export function rateLimiter(rate: SendRate, now: number): RateLimiter | undefined {
  return rate.requestspersecond > 0 ? new RateLimiter(rate, now) : undefined;
}
