// Decides which outputs take an alert: each output's filter (minimumpriority and match, compiled
// once at load by src/routing/; see config/instances.ts). The alert is frozen
// before it gets here; every output receives the same object (an output whose backlog holds it
// compact later sends an equal copy parsed from the same JSON; see dispatch/queue.ts).
import type { Alert } from '../alert/alert.ts';
import type { CompiledMatch } from '../routing/compile.ts';
import type { OutputWorker } from './worker.ts';

export interface Route {
  worker: OutputWorker;
  filter: CompiledMatch;
}

export class Router {
  private readonly routes: Route[];

  constructor(routes: readonly Route[]) {
    this.routes = [...routes];
  }

  /**
   * The outputs that take this alert (the spool records them before the alert is queued);
   * `bypassFilter` is for the /test alert only.
   */
  targets(alert: Alert, bypassFilter = false): OutputWorker[] {
    const targets: OutputWorker[] = [];
    for (const route of this.routes) if (bypassFilter || route.filter.test(alert)) targets.push(route.worker);
    return targets;
  }

  /** Queues the alert on each of `targets`, with its spool id when the spool holds it. */
  deliver(targets: readonly OutputWorker[], alert: Alert, bytes: number, receivedAt: number, spoolId?: number): void {
    for (const worker of targets) worker.enqueue(alert, bytes, receivedAt, spoolId === undefined ? undefined : { spoolId });
  }

  get workers(): OutputWorker[] {
    return this.routes.map((r) => r.worker);
  }
}
