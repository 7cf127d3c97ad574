// One worker per output instance. It orchestrates delivery and owns nothing else: the queue bounds
// and sheds (queue.ts), the batcher says when to send (batcher.ts), the pacer says whether it may
// (pacer.ts), the sender makes one attempt and judges it (sender.ts), the health tracker says
// ok/retrying/failing (output-health.ts), and every ending is recorded in one place (endings.ts).
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { Accounting } from './accounting.ts';
import { backoffMs } from './backoff.ts';
import { Batcher } from './batcher.ts';
import { Connector } from './connector.ts';
import type { DeliverySettings, OutputHealth, WorkerDeps } from './delivery.ts';
import { Endings } from './endings.ts';
import { errorMessage } from './errors.ts';
import { HealthcheckLoop } from './healthcheck.ts';
import { InFlight } from './in-flight.ts';
import { FAILING_AFTER, OutputHealthTracker } from './output-health.ts';
import { Pacer } from './pacer.ts';
import { AlertQueue, QueueEntry } from './queue.ts';
import { readBack, type Loaded } from './read-back.ts';
import type { Verdict } from './retry-policy.ts';
import { buildScrubber, secretValues, type Scrubber } from './scrub.ts';
import { Sender } from './sender.ts';
import { SpoolLink } from './spool-link.ts';

export type { DeliveryJournal, DeliverySettings, OutputHealth, WorkerDeps } from './delivery.ts';

/** How long shutdown waits for aborted requests to settle before reporting their alerts in doubt. */
const ABORT_GRACE_MS = 2000;

export class OutputWorker {
  readonly name: string;
  readonly plugin: AnyOutputPlugin;
  readonly settings: DeliverySettings;
  private readonly options: Record<string, unknown>;
  private readonly deps: WorkerDeps;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly queue: AlertQueue;
  private readonly batcher: Batcher;
  private readonly health: OutputHealthTracker;
  private readonly accounting: Accounting;
  private readonly spool: SpoolLink;
  private readonly endings: Endings;
  private readonly sender: Sender;
  private readonly inFlight = new InFlight();
  private readonly connector: Connector<unknown>;
  private readonly pacer: Pacer;
  private healthLoop: HealthcheckLoop | undefined;

  private client: unknown;
  private connected = false;
  private closed = false;
  private draining = false;
  private seq = 0;
  private idleWaiters: (() => void)[] = [];
  /** Set by retire() (hot reload): where alerts enqueued on this retired worker go instead. */
  private forward: ((entry: QueueEntry) => void) | undefined;
  private readonly stopWatching: () => void;
  /** Replaces this output's configured secrets in destination error text (reasons, logs, /healthz, dead letters). */
  private readonly scrub: Scrubber;

  constructor(name: string, plugin: AnyOutputPlugin, options: Record<string, unknown>, settings: DeliverySettings, deps: WorkerDeps) {
    this.name = name;
    this.plugin = plugin;
    this.options = options;
    this.settings = settings;
    this.deps = deps;
    this.log = deps.log;
    this.random = deps.random ?? Math.random;
    this.scrub = buildScrubber(secretValues(plugin.schema, options));
    this.spool = new SpoolLink(name, deps.journal);
    // Alerts more than a few batches deep are held compact until taken: by their spool id alone when
    // the spool is on, else as their JSON.
    const hotDepth = Math.max(1024, 2 * settings.batch.maxevents * settings.maxconcurrency);
    this.queue = new AlertQueue(settings.queue, hotDepth, this.spool.reader());
    this.batcher = new Batcher(settings.batch, deps.clock, () => this.pump());
    this.pacer = new Pacer({ probems: settings.retry.probems, sendrate: settings.sendrate, clock: deps.clock, wake: () => this.pump() });
    this.health = new OutputHealthTracker(deps.clock, this.log);
    this.accounting = new Accounting(name, { metrics: deps.metrics, deadLetters: deps.deadLetters, clock: deps.clock, log: this.log });
    this.endings = new Endings(name, { spool: this.spool, accounting: this.accounting, trail: deps.trail, log: this.log });
    this.sender = new Sender(name, { plugin, options, settings, scrub: this.scrub }, deps);
    this.connector = new Connector({
      backoff: settings.retry,
      clock: deps.clock,
      random: this.random,
      onFailure: (err, failures, retryInMs) => {
        this.health.connectFailed(this.scrub(errorMessage(err)));
        if (failures === 1 || failures % 10 === 0) {
          this.log.error({ err: this.scrub(errorMessage(err)), retryInMs, attempt: failures }, 'output cannot connect; alerts wait in its queue');
        }
      },
    });
    this.stopWatching = deps.metrics.watchQueue(name, () => {
      const h = this.healthSnapshot();
      return { queued: h.queued, queuedBytes: h.queuedBytes, oldestAgeMs: h.oldestAgeMs, inflight: h.inflight, state: h.state };
    });
  }

  /** Connects the plugin (retrying with backoff until it works) and starts delivering. Never throws. */
  async start(): Promise<void> {
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
    if (!connected) return;
    if (this.closed) return void this.closeClient(connected.client);
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
    this.pump();
  }

  /** Queues an alert for delivery. Returns false when the queue shed it right away. */
  enqueue(alert: Alert, bytes: number, receivedAt: number = this.deps.clock.now(), spooled?: { spoolId: number; attempts?: number }): boolean {
    const entry = new QueueEntry(alert, { bytes, seq: this.seq++, receivedAt, attempts: spooled?.attempts ?? 0, spoolId: spooled?.spoolId });
    if (this.forward) {
      this.forward(entry);
      return true;
    }
    this.spool.track([entry]);
    const shed = this.queue.push(entry);
    this.shed(shed);
    this.pump();
    return !shed.includes(entry);
  }

  healthSnapshot(): OutputHealth {
    const oldest = this.queue.oldestReceivedAt();
    return {
      state: this.health.state(),
      queued: this.queue.size,
      queuedBytes: this.queue.bytes,
      inflight: this.inFlight.alerts,
      oldestAgeMs: oldest === undefined ? 0 : Math.max(0, this.deps.clock.now() - oldest),
      consecutiveFailures: this.health.consecutiveFailures,
      ...this.accounting.counts,
      ...this.health.lastErrorFields(),
    };
  }

  /** The spool evicted this alert to stay under spool.maxbytes: drop it from the queue (counted by the caller). */
  discard(spoolId: number): void {
    const entry = this.spool.take(spoolId);
    if (entry && this.queue.remove(entry)) this.endings.evicted(entry);
  }

  /** Restored retry state: send nothing before this time (ms). */
  pauseUntil(at: number): void {
    this.pacer.pauseUntil(at);
  }

  /** Resolves when nothing is queued or in flight (tests, drain). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Graceful shutdown: send everything now (no batching delay), keep retrying until the deadline,
   * then abort what is in flight. Returns the alerts that were not delivered; with `keepLeftovers`
   * (the spool holds them for the next start) they are not counted as dropped.
   */
  async drain(deadlineMs: number, keepLeftovers = false): Promise<QueueEntry[]> {
    this.draining = true;
    this.batcher.flushNow();
    this.pump();
    await this.within(deadlineMs, this.idle());
    this.closed = true;
    this.inFlight.abortAll(new Error('shutting down'));
    // Aborted requests settle as retries and come back to the queue; a client that ignores the
    // signal gets ABORT_GRACE_MS, after which its alerts are reported as in doubt.
    await this.within(ABORT_GRACE_MS, this.inFlight.settled());
    if (this.inFlight.requests > 0) this.log.error({ inDoubt: this.inFlight.alerts }, 'requests still in flight at shutdown: delivery of these alerts is unknown');
    const left = this.queue.drainAll();
    if (!keepLeftovers) this.endings.shutdown(left);
    return left;
  }

  async close(): Promise<void> {
    this.stop();
    this.inFlight.abortAll(new Error('shutting down'));
    if (this.connected) await this.closeClient(this.client);
  }

  /**
   * Hot reload (src/reload/): this instance is being replaced or removed. It stops sending, lets the
   * requests in flight settle (each ends by its own timeout, and a retry puts its alerts back), then
   * returns everything queued, oldest first. Alerts enqueued on it from then on (accepted under the
   * old config, routed here) go to `forward`.
   */
  async retire(forward: (entry: QueueEntry) => void): Promise<QueueEntry[]> {
    this.forward = forward;
    this.stop();
    this.stopWatching();
    await this.inFlight.settled();
    const left = this.queue.drainAll();
    this.spool.untrack(left);
    if (this.connected) await this.closeClient(this.client);
    return left;
  }

  /** Hot reload: the queue of the instance this one replaces (same name), ahead of what arrived since. */
  adopt(predecessor: OutputWorker, entries: readonly QueueEntry[]): void {
    this.seq = Math.max(this.seq, predecessor.seq);
    this.spool.track(entries);
    this.shed(this.queue.restore(entries));
    this.pump();
  }

  /** Hot reload: alerts queued for an instance the new config removed end as dead letters, named. */
  deadLetterRemoved(entries: readonly QueueEntry[]): void {
    for (const { entry } of this.loaded(entries)) this.endings.removed(entry);
  }

  private stop(): void {
    this.closed = true;
    this.connector.cancel();
    this.healthLoop?.close();
    this.batcher.close();
    this.pacer.close();
  }

  private async closeClient(client: unknown): Promise<void> {
    try {
      await this.plugin.close?.(client);
    } catch (err) {
      this.log.warn({ err: errorMessage(err) }, 'output did not close cleanly');
    }
  }

  /** Waits for `promise`, at most `ms` on the worker's clock. */
  private async within(ms: number, promise: Promise<void>): Promise<void> {
    let timer: unknown;
    await Promise.race([promise, new Promise<void>((resolve) => (timer = this.deps.clock.setTimeout(resolve, ms)))]);
    this.deps.clock.clearTimeout(timer);
  }

  private isIdle(): boolean {
    return this.queue.size === 0 && this.inFlight.requests === 0;
  }

  private pump(): void {
    if (this.closed || !this.connected) return;
    const { maxevents, maxbytes } = this.settings.batch;
    while (this.inFlight.requests < this.settings.maxconcurrency && this.queue.size > 0) {
      if (!this.draining && this.pacer.pausedUntil <= this.deps.clock.now() && !this.batcher.ready(this.queue.size, this.queue.bytes)) return;
      const permit = this.pacer.permit(this.inFlight.requests === 0);
      if (permit === 'wait') return;
      // A probe: one alert, alone in flight, whose success releases the whole queue (see pacer.ts).
      if (permit === 'probe') {
        const probe = this.loaded(this.queue.take(1, Infinity));
        if (probe.length > 0) void this.send(probe);
        return;
      }
      this.batcher.taken();
      const batch = this.loaded(this.queue.take(maxevents, maxbytes));
      if (batch.length > 0) void this.send(batch);
    }
    if (this.isIdle()) this.notifyIdle();
  }

  /** The entries' alerts, read back; an unreadable one ends here (endings.ts) and is left out. */
  private loaded(entries: readonly QueueEntry[]): Loaded[] {
    return readBack(entries, (entry, err) => this.endings.unreadable(entry, err));
  }

  private async send(batch: Loaded[]): Promise<void> {
    const controller = this.inFlight.begin(batch.length);
    this.pacer.attempted();
    const verdict = await this.sender.attempt(batch, this.client, controller);
    this.settle(verdict);
    this.inFlight.end(controller, batch.length);
    this.pump();
    if (this.isIdle()) this.notifyIdle();
  }

  private settle(verdict: Verdict): void {
    this.endings.settled(verdict);
    if (verdict.retry) this.retryLater(verdict);
    else if (verdict.delivered.length > 0) {
      this.pacer.succeeded(); // the destination is back: release the queue at full concurrency
      const ended = this.health.sendSucceeded();
      if (ended > 0) this.log.info({ afterFailures: ended }, 'output recovered');
    }
  }

  /** A failed attempt: back off, log the failure streak at its milestones, and put the alerts back. */
  private retryLater(verdict: Verdict): void {
    const outcome = verdict.retry as NonNullable<Verdict['retry']>;
    const failures = this.health.sendFailed(outcome.reason, outcome.auth === true);
    const delay = backoffMs(this.settings.retry, failures, this.random, verdict.retryAfterMs);
    this.pacer.failed(delay, verdict.retryAfterMs !== undefined);
    const reason = outcome.auth ? 'auth' : verdict.retryAfterMs !== undefined ? 'throttled' : 'error';
    this.deps.metrics.retries.inc({ output: this.name, reason }, verdict.again.length);
    if (failures === 1 || failures === FAILING_AFTER || failures % 50 === 0) {
      const failing = failures >= FAILING_AFTER;
      this.log[failing ? 'error' : 'warn'](
        { reason: outcome.reason, failures, retryInMs: delay, queued: this.queue.size + verdict.again.length },
        failing ? 'output failing; alerts wait in its queue' : 'output send failed; retrying',
      );
    }
    this.spool.reschedule(verdict.again, this.pacer.pausedUntil);
    this.shed(this.queue.restore(verdict.again));
  }

  private shed(shed: QueueEntry[]): void {
    this.endings.shed(shed, this.queue.size, this.settings.queue);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
