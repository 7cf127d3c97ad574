// An output's connection: the plugin's client, connected with backoff until it works (connector.ts),
// checked by the plugin's healthcheck at start and then periodically (healthcheck.ts), closed at the
// end. What it learns goes to the health tracker (output-health.ts); error text is scrubbed first.
import type { Logger } from 'pino';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { Connector } from './connector.ts';
import type { DeliverySettings, WorkerDeps } from './delivery.ts';
import { errorMessage } from './errors.ts';
import { HealthcheckLoop } from './healthcheck.ts';
import type { OutputHealthTracker } from './output-health.ts';
import type { Scrubber } from './scrub.ts';

export class Connection {
  /** The plugin's client, once connected. */
  client: unknown;
  connected = false;
  private healthLoop: HealthcheckLoop | undefined;
  private readonly connector: Connector<unknown>;
  private readonly name: string;
  private readonly plugin: AnyOutputPlugin;
  private readonly options: Record<string, unknown>;
  private readonly settings: DeliverySettings;
  private readonly scrub: Scrubber;
  private readonly health: OutputHealthTracker;
  private readonly deps: WorkerDeps;
  private readonly log: Logger;

  constructor(
    name: string,
    output: { plugin: AnyOutputPlugin; options: Record<string, unknown>; settings: DeliverySettings; scrub: Scrubber; health: OutputHealthTracker },
    deps: WorkerDeps,
  ) {
    this.name = name;
    this.plugin = output.plugin;
    this.options = output.options;
    this.settings = output.settings;
    this.scrub = output.scrub;
    this.health = output.health;
    this.deps = deps;
    this.log = deps.log;
    this.connector = new Connector({
      backoff: output.settings.retry,
      clock: deps.clock,
      random: deps.random ?? Math.random,
      onFailure: (err, failures, retryInMs) => {
        this.health.connectFailed(this.scrub(errorMessage(err)));
        if (failures === 1 || failures % 10 === 0) {
          this.log.error({ err: this.scrub(errorMessage(err)), retryInMs, attempt: failures }, 'output cannot connect; alerts wait in its queue');
        }
      },
    });
  }

  /**
   * Connects (retrying until it works or stop() comes first), then awaits the first healthcheck and
   * starts the periodic ones. False when the worker closed first (`closed()`). Never throws.
   */
  async open(closed: () => boolean): Promise<boolean> {
    this.health.connectStarted(this.settings.timeoutms);
    const connected = await this.connector.run(() =>
      this.plugin.connect?.(this.options, {
        ...this.deps.connect,
        name: this.name,
        log: this.log,
        timeoutMs: this.settings.timeoutms,
        concurrency: this.settings.maxconcurrency,
        clock: this.deps.clock,
      }),
    );
    if (!connected) return false;
    if (closed()) {
      void this.closeClient(connected.client);
      return false;
    }
    this.client = connected.client;
    this.connected = true;
    this.health.connectSucceeded();
    const healthcheck = this.plugin.healthcheck;
    if (healthcheck) {
      this.healthLoop = new HealthcheckLoop({
        check: (signal) => healthcheck({ options: this.options, client: this.client, signal, clock: this.deps.clock }),
        report: (result, atStart) => this.health.healthcheck(result.message === undefined ? result : { ...result, message: this.scrub(result.message) }, atStart),
        clock: this.deps.clock,
        timeoutMs: this.settings.timeoutms,
        intervalMs: this.deps.healthIntervalMs ?? 30_000,
      });
      await this.healthLoop.start();
    }
    return true;
  }

  /** Stops connecting and the healthchecks. */
  stop(): void {
    this.connector.cancel();
    this.healthLoop?.close();
  }

  /** Closes the client, when there is one. Never throws. */
  async close(): Promise<void> {
    if (this.connected) await this.closeClient(this.client);
  }

  private async closeClient(client: unknown): Promise<void> {
    try {
      await this.plugin.close?.(client);
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'output did not close cleanly');
    }
  }
}
