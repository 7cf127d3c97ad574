// Was a failure the destination's, or the request's? Every request of an output is numbered as it
// starts; a failure records how many had started by the time it was judged (its mark), and the
// evidence that the destination works is a delivery by a request that started after that. A request
// already in flight as an outage began, or another call of the same attempt, can still deliver:
// neither is such evidence. Halving a batch that failed whole (retry-policy.ts) and setting aside an
// alert that fails alone (set-aside.ts) both wait for it.
export class Evidence {
  private started = 0;
  private lastDelivered = 0;
  /** True once any attempt has failed and is to be retried: until then no queued alert carries a mark. */
  anyFailed = false;

  /** A request starts: returns its number. */
  begin(): number {
    return ++this.started;
  }

  /** Request `request` was judged: it delivered alerts, and/or has alerts to retry. */
  settled(request: number, delivered: boolean, failed: boolean): void {
    if (delivered && request > this.lastDelivered) this.lastDelivered = request;
    if (failed) this.anyFailed = true;
  }

  /** What a failure judged now records. */
  get mark(): number {
    return this.started;
  }

  /** True when a request that started after the failure that recorded `mark` has delivered alerts. */
  deliveredSince(mark: number): boolean {
    return this.lastDelivered > mark;
  }
}
