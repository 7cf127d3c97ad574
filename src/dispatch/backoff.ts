// Exponential backoff with full jitter (AWS architecture blog), capped; a Retry-After above 0 wins.

export interface BackoffPolicy {
  initialbackoffms: number;
  maxbackoffms: number;
}

/** Delay before the next attempt after `failures` consecutive failures (1 = first failure). */
export function backoffMs(policy: BackoffPolicy, failures: number, random: () => number, retryAfterMs?: number): number {
  // "Retry-After: 0" answered again and again would be a busy loop: 0 is read as no Retry-After.
  if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.min(policy.maxbackoffms, retryAfterMs);
  const ceiling = Math.min(policy.maxbackoffms, policy.initialbackoffms * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(random() * ceiling);
}
