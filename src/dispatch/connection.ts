// An output's connection: the plugin's client, connected with backoff until it works (connector.ts),
// checked by the plugin's healthcheck at start and then periodically (healthcheck.ts), closed at the
// end. What it learns goes to the health tracker (output-health.ts); error text is scrubbed first.
import type { Logger } from 'pino';
import { raceSignal } from '../plugin/abort.ts';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { Connector } from './connector.ts';
import type { DeliverySettings, WorkerDeps } from './delivery.ts';
import { errorMessage } from './errors.ts';
import { HealthcheckLoop } from './healthcheck.ts';
import type { OutputHealthTracker } from './output-health.ts';
import type { Scrubber } from './scrub.ts';
import { ABORT_GRACE_MS } from './sender.ts';

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

  /** Closes the client, when there is one. Never throws, and never waits past the output's timeout and a grace. */
  async close(): Promise<void> {
    if (this.connected) await this.closeClient(this.client);
  }

  private async closeClient(client: unknown): Promise<void> {
    // Real time, as the sender's grace: a client whose peer stopped answering (a half-open
    // connection) can take minutes to close, and a shutdown or reload must not wait for it.
    const boundMs = this.settings.timeoutms + (this.deps.abortGraceMs ?? ABORT_GRACE_MS);
    try {
      await raceSignal(Promise.resolve().then(() => this.plugin.close?.(client)), AbortSignal.timeout(boundMs));
    } catch (err) {
      const late = (err as Error | undefined)?.name === 'TimeoutError';
      this.log.warn({ err: errorMessage(err) }, late ? `output did not close within ${boundMs} ms: left to finish on its own` : 'output did not close cleanly');
    }
  }
}
