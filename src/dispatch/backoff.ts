// Exponential backoff with full jitter (AWS architecture blog), capped; Retry-After wins.

export interface BackoffPolicy {
  initialbackoffms: number;
  maxbackoffms: number;
}

/** Delay before the next attempt after `failures` consecutive failures (1 = first failure). */
export function backoffMs(policy: BackoffPolicy, failures: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(policy.maxbackoffms, Math.max(0, retryAfterMs));
  const ceiling = Math.min(policy.maxbackoffms, policy.initialbackoffms * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(random() * ceiling);
}
