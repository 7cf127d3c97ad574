// Connects an output's plugin, retrying with the output's backoff until it works or the worker
// closes. Alerts wait in the queue meanwhile. Time comes from the injected clock.
import type { BackoffPolicy } from './backoff.ts';
import { backoffMs } from './backoff.ts';
import type { Clock } from './clock.ts';

export interface ConnectorDeps {
  backoff: BackoffPolicy;
  clock: Clock;
  random: () => number;
  /** Told about every failure, with the delay before the next try. */
  onFailure(err: unknown, failures: number, retryInMs: number): void;
}

export class Connector<Client> {
  private timer: unknown;
  private wake: (() => void) | undefined;
  private cancelled = false;
  private readonly deps: ConnectorDeps;

  constructor(deps: ConnectorDeps) {
    this.deps = deps;
  }

  /** The connected client, or `undefined` when cancel() came first. Never throws. */
  async run(connect: () => Promise<Client> | Client): Promise<{ client: Client } | undefined> {
    let failures = 0;
    while (!this.cancelled) {
      try {
        return { client: await connect() };
      } catch (err) {
        failures++;
        const delay = backoffMs(this.deps.backoff, failures, this.deps.random);
        this.deps.onFailure(err, failures, delay);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = this.deps.clock.setTimeout(resolve, delay);
        });
      }
    }
    return undefined;
  }

  cancel(): void {
    this.cancelled = true;
    this.deps.clock.clearTimeout(this.timer);
    this.wake?.();
  }
}
