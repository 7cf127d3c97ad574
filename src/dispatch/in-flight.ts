// The requests an output has in flight: how many, the alerts they carry, and their abort
// controllers, so shutdown can abort them and wait for them to settle.
import type { QueueEntry } from './queue-entry.ts';

export class InFlight {
  requests = 0;
  alerts = 0;
  private readonly controllers = new Map<AbortController, readonly { entry: QueueEntry }[]>();
  private waiters: (() => void)[] = [];
  private readonly given = new Set<AbortController>();

  /** A request of these alerts starts: its controller aborts it on timeout or shutdown. */
  begin(batch: readonly { entry: QueueEntry }[]): AbortController {
    const controller = new AbortController();
    this.controllers.set(controller, batch);
    this.requests++;
    this.alerts += batch.length;
    return controller;
  }

  /** Whether a request in flight carries the alert of this spool id (a scan: the spool evicted it, rare). */
  carries(spoolId: number): boolean {
    for (const batch of this.controllers.values()) for (const { entry } of batch) if (entry.spoolId === spoolId) return true;
    return false;
  }

  /** The request settled (whatever the outcome). */
  end(controller: AbortController, alerts: number): void {
    this.controllers.delete(controller);
    this.given.delete(controller);
    this.requests--;
    this.alerts -= alerts;
    if (this.requests === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /**
   * Shutdown, past the abort's grace: the alerts of the requests still in flight, which are given up
   * on (their late answer is ignored: see abandoned()).
   */
  abandon(): QueueEntry[] {
    const entries: QueueEntry[] = [];
    for (const [controller, batch] of this.controllers) {
      this.given.add(controller);
      for (const { entry } of batch) entries.push(entry);
    }
    return entries;
  }

  /** Whether shutdown gave this request up (abandon()). */
  abandoned(controller: AbortController): boolean {
    return this.given.size > 0 && this.given.has(controller);
  }

  abortAll(reason: Error): void {
    for (const controller of this.controllers.keys()) controller.abort(reason);
  }

  /** Resolves when no request is in flight. */
  settled(): Promise<void> {
    if (this.requests === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
