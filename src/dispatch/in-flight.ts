// The requests an output has in flight: how many, how many alerts they carry, and their abort
// controllers, so shutdown can abort them and wait for them to settle.
export class InFlight {
  requests = 0;
  alerts = 0;
  private readonly controllers = new Set<AbortController>();
  private waiters: (() => void)[] = [];

  /** A request starts: its controller aborts it on timeout or shutdown. */
  begin(alerts: number): AbortController {
    const controller = new AbortController();
    this.controllers.add(controller);
    this.requests++;
    this.alerts += alerts;
    return controller;
  }

  /** The request settled (whatever the outcome). */
  end(controller: AbortController, alerts: number): void {
    this.controllers.delete(controller);
    this.requests--;
    this.alerts -= alerts;
    if (this.requests === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  abortAll(reason: Error): void {
    for (const controller of this.controllers) controller.abort(reason);
  }

  /** Resolves when no request is in flight. */
  settled(): Promise<void> {
    if (this.requests === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
