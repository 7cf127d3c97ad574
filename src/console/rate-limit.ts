// A token bucket per client address, so the console (a browser polling, a script looping) never
// takes the CPU that ingest needs. Idle buckets are forgotten; the table is bounded.
const MAX_CLIENTS = 10_000;

export class RateLimiter {
  private readonly rate: number;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `rate` requests per second, bursts of `burst`. */
  constructor(rate: number, burst: number, now: () => number = Date.now) {
    this.rate = rate;
    this.burst = burst;
    this.now = now;
  }

  /** True when the client may go ahead (and takes a token); false: answer 429. */
  take(client: string): boolean {
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (!bucket) {
      if (this.buckets.size >= MAX_CLIENTS) this.sweep(now);
      this.buckets.set(client, (bucket = { tokens: this.burst, at: now }));
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
      bucket.at = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until the client has a token again (Retry-After). */
  retryAfter(client: string): number {
    const bucket = this.buckets.get(client);
    return bucket ? Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate)) : 1;
  }

  private sweep(now: number): void {
    for (const [client, bucket] of this.buckets) if (now - bucket.at > (this.burst / this.rate) * 1000) this.buckets.delete(client);
    if (this.buckets.size >= MAX_CLIENTS) this.buckets.clear();
  }
}
