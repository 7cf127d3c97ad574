// One worker per output instance. It owns everything about delivery: the bounded queue, batching,
// the concurrency limit, the request deadline, retry with backoff, the retry budget, the
// dead-letter store, health and metrics. The plugin only builds requests and classifies outcomes.
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import type { AnyOutputPlugin, ConnectContext, HealthResult } from '../plugin/types.ts';
import type { Metrics } from '../telemetry/metrics.ts';
import { backoffMs } from './backoff.ts';
import type { Clock } from './clock.ts';
import type { DeadLetterReason, DeadLetterStore } from './dead-letter.ts';
import { AlertQueue, QueueEntry } from './queue.ts';
import { outcomeAt, type Outcome, type SendResult } from './result.ts';

/** The resolved core settings of one output (plugin defaults applied). */
export interface DeliverySettings {
  timeoutms: number;
  maxconcurrency: number;
  retry: { initialbackoffms: number; maxbackoffms: number; maxattempts: number; maxagems: number };
  queue: { maxalerts: number; maxbytes: number };
  batch: { maxevents: number; maxbytes: number; flushms: number };
}

/** Where a worker records progress when the durable spool is on (see src/spool/). */
export interface DeliveryJournal {
  /** Delivered, or dropped for good: the spool forgets the delivery. */
  complete(output: string, spoolId: number): void;
  /** Will be retried: attempts and the next-retry time survive a restart. */
  reschedule(output: string, spoolId: number, attempts: number, nextAt: number): void;
  /** The alert's JSON as stored, for a queued entry held compact; undefined when it is not there. */
  json(spoolId: number): string | undefined;
}

export interface WorkerDeps {
  clock: Clock;
  journal?: DeliveryJournal;
  metrics: Metrics;
  log: Logger;
  deadLetters: DeadLetterStore;
  connect: Omit<ConnectContext, 'name' | 'log' | 'timeoutMs' | 'concurrency' | 'clock'>;
  random?: () => number;
  /** How often healthcheck() runs while the output is up (ms). */
  healthIntervalMs?: number;
  /**
   * The instance's enrichment overlay (its own customfields/templatedfields), applied to each alert
   * as it is sent. Queue, spool and dead-letter store hold the shared alert, so a restart or a
   * replay gets the overlay again from the config of the day.
   */
  derive?: (alert: Alert) => Alert;
}

export type OutputState = 'ok' | 'retrying' | 'failing';

export interface OutputHealth {
  state: OutputState;
  queued: number;
  queuedBytes: number;
  inflight: number;
  oldestAgeMs: number;
  consecutiveFailures: number;
  /** Why the output is not ok (no secrets: reasons come from classifications and error messages). */
  lastError?: string;
  lastErrorAt?: string;
  delivered: number;
  deadLettered: number;
  dropped: number;
}

const FAILING_AFTER = 3;

export class OutputWorker {
  readonly name: string;
  readonly plugin: AnyOutputPlugin;
  readonly settings: DeliverySettings;
  private readonly options: Record<string, unknown>;
  private readonly deps: WorkerDeps;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly queue: AlertQueue;

  private client: unknown;
  private connected = false;
  private closed = false;
  private draining = false;
  private seq = 0;
  private inflightAlerts = 0;
  private inflightRequests = 0;
  private readonly controllers = new Set<AbortController>();
  private pausedUntil = 0;
  private consecutiveFailures = 0;
  private authFailing = false;
  private health: HealthResult = { ok: true };
  private lastError: { message: string; at: number } | undefined;
  private flushTimer: unknown;
  private flushDue = false;
  private wakeTimer: unknown;
  private healthTimer: unknown;
  private idleWaiters: (() => void)[] = [];
  private counts = { delivered: 0, deadLettered: 0, dropped: 0 };
  /** Queued or in-flight entries by spool id, so a spool eviction can take one out of the queue. */
  private readonly bySpoolId = new Map<number, QueueEntry>();
  private shedBurst = 0;

  constructor(name: string, plugin: AnyOutputPlugin, options: Record<string, unknown>, settings: DeliverySettings, deps: WorkerDeps) {
    this.name = name;
    this.plugin = plugin;
    this.options = options;
    this.settings = settings;
    this.deps = deps;
    this.log = deps.log;
    this.random = deps.random ?? Math.random;
    // Alerts more than a few batches deep are held compact until taken: by their spool id alone when
    // the spool is on, else as their JSON.
    const journal = deps.journal;
    const hotDepth = Math.max(1024, 2 * settings.batch.maxevents * settings.maxconcurrency);
    this.queue = new AlertQueue(settings.queue, hotDepth, journal ? (spoolId) => journal.json(spoolId) : undefined);
    deps.metrics.watchQueue(name, () => {
      const h = this.healthSnapshot();
      return { queued: h.queued, queuedBytes: h.queuedBytes, oldestAgeMs: h.oldestAgeMs, inflight: h.inflight };
    });
  }

  /** Connects the plugin (retrying with backoff until it works) and starts delivering. Never throws. */
  async start(): Promise<void> {
    let failures = 0;
    while (!this.closed && !this.connected) {
      try {
        this.client = await this.plugin.connect?.(this.options, {
          ...this.deps.connect,
          name: this.name,
          log: this.log,
          timeoutMs: this.settings.timeoutms,
          concurrency: this.settings.maxconcurrency,
          clock: this.deps.clock,
        });
        this.connected = true;
      } catch (err) {
        failures++;
        this.noteError(`cannot connect: ${errorMessage(err)}`);
        this.health = { ok: false, message: `cannot connect: ${errorMessage(err)}` };
        const delay = backoffMs(this.settings.retry, failures, this.random);
        if (failures === 1 || failures % 10 === 0) this.log.error({ err: errorMessage(err), retryInMs: delay, attempt: failures }, 'output cannot connect; alerts wait in its queue');
        await new Promise<void>((resolve) => {
          this.wakeTimer = this.deps.clock.setTimeout(resolve, delay);
        });
      }
    }
    if (this.closed) return;
    await this.runHealthcheck(true);
    this.scheduleHealthcheck();
    this.pump();
  }

  /** Queues an alert for delivery. Returns false when the queue shed it right away. */
  enqueue(alert: Alert, bytes: number, receivedAt: number = this.deps.clock.now(), spooled?: { spoolId: number; attempts?: number }): boolean {
    const entry = new QueueEntry(alert, { bytes, seq: this.seq++, receivedAt, attempts: spooled?.attempts ?? 0, spoolId: spooled?.spoolId });
    if (entry.spoolId !== undefined) this.bySpoolId.set(entry.spoolId, entry);
    const shed = this.queue.push(entry);
    this.recordShed(shed);
    this.pump();
    return !shed.includes(entry);
  }

  healthSnapshot(): OutputHealth {
    const oldest = this.queue.oldestReceivedAt();
    const snapshot: OutputHealth = {
      state: this.state(),
      queued: this.queue.size,
      queuedBytes: this.queue.bytes,
      inflight: this.inflightAlerts,
      oldestAgeMs: oldest === undefined ? 0 : Math.max(0, this.deps.clock.now() - oldest),
      consecutiveFailures: this.consecutiveFailures,
      ...this.counts,
    };
    if (this.lastError && snapshot.state !== 'ok') {
      snapshot.lastError = this.lastError.message;
      snapshot.lastErrorAt = new Date(this.lastError.at).toISOString();
    }
    return snapshot;
  }

  /** The spool evicted this alert to stay under spool.maxbytes: drop it from the queue (counted by the caller). */
  discard(spoolId: number): void {
    const entry = this.bySpoolId.get(spoolId);
    if (!entry) return;
    this.bySpoolId.delete(spoolId);
    if (this.queue.remove(entry)) this.counts.dropped++;
  }

  /** Restored retry state: send nothing before this time (ms). */
  pauseUntil(at: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, at);
  }

  /** Resolves when nothing is queued or in flight (tests, drain). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Graceful shutdown: send everything now (no batching delay), keep retrying until the deadline,
   * then abort what is in flight. Returns the alerts that were not delivered.
   */
  async drain(deadlineMs: number, keepLeftovers = false): Promise<QueueEntry[]> {
    this.draining = true;
    this.flushDue = true;
    this.pump();
    let timer: unknown;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = this.deps.clock.setTimeout(resolve, deadlineMs)))]);
    this.deps.clock.clearTimeout(timer);
    this.closed = true;
    for (const controller of this.controllers) controller.abort(new Error('shutting down'));
    // Aborted requests settle as retries and come back to the queue; a client that ignores the
    // signal gets 2 s, after which its alerts are reported as in doubt.
    const abortedAt = Date.now();
    while (this.inflightRequests > 0 && Date.now() - abortedAt < 2000) await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.inflightRequests > 0) this.log.error({ inDoubt: this.inflightAlerts }, 'requests still in flight at shutdown: delivery of these alerts is unknown');
    const left = this.queue.drainAll();
    // With the spool on, what is left stays there and is delivered after the restart.
    if (keepLeftovers) return left;
    for (const entry of left) this.deps.metrics.dropped.inc({ output: this.name, reason: 'shutdown', priority: entry.priority });
    this.counts.dropped += left.length;
    return left;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of [this.flushTimer, this.wakeTimer, this.healthTimer]) this.deps.clock.clearTimeout(t);
    for (const controller of this.controllers) controller.abort(new Error('shutting down'));
    if (this.connected) {
      try {
        await this.plugin.close?.(this.client);
      } catch (err) {
        this.log.warn({ err: errorMessage(err) }, 'output did not close cleanly');
      }
    }
  }

  private state(): OutputState {
    if (this.authFailing || !this.health.ok || this.consecutiveFailures >= FAILING_AFTER || (!this.connected && this.lastError)) return 'failing';
    if (this.consecutiveFailures > 0) return 'retrying';
    return 'ok';
  }

  private isIdle(): boolean {
    return this.queue.size === 0 && this.inflightRequests === 0;
  }

  private pump(): void {
    if (this.closed || !this.connected) return;
    const now = this.deps.clock.now();
    if (now < this.pausedUntil) {
      this.deps.clock.clearTimeout(this.wakeTimer);
      this.wakeTimer = this.deps.clock.setTimeout(() => this.pump(), this.pausedUntil - now);
      return;
    }
    const { maxevents, maxbytes, flushms } = this.settings.batch;
    while (this.inflightRequests < this.settings.maxconcurrency && this.queue.size > 0) {
      const full = this.queue.size >= maxevents || this.queue.bytes >= maxbytes;
      if (!full && !this.flushDue && !this.draining && flushms > 0) {
        if (this.flushTimer === undefined) {
          this.flushTimer = this.deps.clock.setTimeout(() => {
            this.flushTimer = undefined;
            this.flushDue = true;
            this.pump();
          }, flushms);
        }
        return;
      }
      this.flushDue = false;
      this.deps.clock.clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      const batch = this.readable(this.queue.take(maxevents, maxbytes));
      if (batch.length > 0) void this.send(batch);
    }
    if (this.isIdle()) this.notifyIdle();
  }

  /**
   * The entries of a batch whose alert can be had. One held compact in the spool is read back here;
   * when the spool cannot give it back, it is dropped, counted (reason "spool_read") and logged.
   */
  private readable(batch: QueueEntry[]): QueueEntry[] {
    return batch.filter((entry) => {
      try {
        return entry.alert !== undefined;
      } catch (err) {
        this.drop([entry], 'spool_read');
        this.log.error(
          { spoolId: entry.spoolId, priority: entry.priority, err: errorMessage(err) },
          'a queued alert could not be read back from the spool: dropped (see peregrine_dropped_total{reason="spool_read"})',
        );
        return false;
      }
    });
  }

  private async send(batch: QueueEntry[]): Promise<void> {
    this.inflightRequests++;
    this.inflightAlerts += batch.length;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = this.deps.clock.setTimeout(() => controller.abort(new Error(`timed out after ${this.settings.timeoutms} ms`)), this.settings.timeoutms);
    const started = performance.now();
    let result: SendResult;
    try {
      const derive = this.deps.derive;
      result = await this.plugin.sendBatch(
        derive ? batch.map((e) => derive(e.alert)) : batch.map((e) => e.alert),
        { options: this.options, client: this.client, signal: controller.signal, log: this.log, clock: this.deps.clock },
      );
    } catch (err) {
      result = { kind: 'retry', reason: controller.signal.aborted ? errorMessage(controller.signal.reason) : errorMessage(err) };
    } finally {
      this.deps.clock.clearTimeout(timer);
      this.controllers.delete(controller);
    }
    const seconds = (performance.now() - started) / 1000;
    this.deps.metrics.sendDuration.observe({ output: this.name, outcome: result.kind }, seconds);
    this.deps.metrics.batchSize.observe({ output: this.name }, batch.length);
    this.settle(batch, result);
    this.inflightRequests--;
    this.inflightAlerts -= batch.length;
    this.pump();
    if (this.isIdle()) this.notifyIdle();
  }

  private settle(batch: QueueEntry[], result: SendResult): void {
    const now = this.deps.clock.now();
    const again: QueueEntry[] = [];
    let retryAfter: number | undefined;
    let retryReason: Outcome | undefined;
    let delivered = 0;
    let duplicates = 0;
    batch.forEach((entry, index) => {
      const outcome = outcomeAt(result, index);
      if (outcome.kind === 'ok') {
        delivered++;
        if (outcome.duplicate) duplicates++;
        this.forget(entry);
        return;
      }
      entry.attempts++;
      if (outcome.kind === 'fail') {
        this.deadLetter(entry, 'rejected', outcome.reason);
        return;
      }
      retryReason ??= outcome;
      if (outcome.afterMs !== undefined) retryAfter = Math.max(retryAfter ?? 0, outcome.afterMs);
      const { maxattempts, maxagems } = this.settings.retry;
      if ((maxattempts > 0 && entry.attempts >= maxattempts) || (maxagems > 0 && now - entry.receivedAt >= maxagems)) {
        this.deadLetter(entry, 'retry_budget', `gave up after ${entry.attempts} attempts: ${outcome.reason}`);
      } else {
        again.push(entry);
      }
    });
    this.counts.delivered += delivered;
    // Once per batch, not per alert: label lookups in prom-client cost more than the rest of settle().
    if (delivered > duplicates) this.deps.metrics.delivered.inc({ output: this.name, duplicate: 'false' }, delivered - duplicates);
    if (duplicates > 0) this.deps.metrics.delivered.inc({ output: this.name, duplicate: 'true' }, duplicates);
    if (delivered > 0) this.deps.metrics.outputs.inc({ destination: this.name, status: 'ok' }, delivered);

    if (retryReason && retryReason.kind === 'retry') {
      this.consecutiveFailures++;
      this.authFailing = retryReason.auth === true;
      const delay = backoffMs(this.settings.retry, this.consecutiveFailures, this.random, retryAfter);
      this.pausedUntil = Math.max(this.pausedUntil, now + delay);
      this.deps.metrics.retries.inc({ output: this.name, reason: retryReason.auth ? 'auth' : retryAfter !== undefined ? 'throttled' : 'error' }, again.length);
      const wasOk = this.consecutiveFailures === 1;
      this.noteError(retryReason.reason);
      if (wasOk || this.consecutiveFailures === FAILING_AFTER || this.consecutiveFailures % 50 === 0) {
        this.log[this.consecutiveFailures >= FAILING_AFTER ? 'error' : 'warn'](
          { reason: retryReason.reason, failures: this.consecutiveFailures, retryInMs: delay, queued: this.queue.size + again.length },
          this.consecutiveFailures >= FAILING_AFTER ? 'output failing; alerts wait in its queue' : 'output send failed; retrying',
        );
      }
      if (this.deps.journal) {
        for (const entry of again) if (entry.spoolId !== undefined) this.deps.journal.reschedule(this.name, entry.spoolId, entry.attempts, this.pausedUntil);
      }
      this.recordShed(this.queue.restore(again));
    } else if (delivered > 0) {
      if (this.consecutiveFailures > 0 || this.authFailing) this.log.info({ afterFailures: this.consecutiveFailures }, 'output recovered');
      this.consecutiveFailures = 0;
      this.authFailing = false;
      this.health = { ok: true };
    }
  }

  private deadLetter(entry: QueueEntry, reason: DeadLetterReason, detail: string): void {
    if (entry.spoolId !== undefined) this.bySpoolId.delete(entry.spoolId);
    this.deps.deadLetters.add({
      output: this.name,
      alert: entry.alert,
      reason,
      detail,
      attempts: entry.attempts,
      at: this.deps.clock.now(),
      ...(entry.spoolId !== undefined ? { spoolId: entry.spoolId } : {}),
    });
    this.deps.metrics.deadLettered.inc({ output: this.name, reason });
    this.deps.metrics.outputs.inc({ destination: this.name, status: 'error' });
    this.counts.deadLettered++;
    this.log.warn({ uuid: entry.alert.uuid, rule: entry.alert.rule, reason, detail, attempts: entry.attempts }, 'alert dead-lettered');
  }

  /** These alerts are given up on here: the spool forgets them, and the drop is counted by priority. */
  private drop(entries: readonly QueueEntry[], reason: 'queue_full' | 'spool_read'): void {
    for (const entry of entries) {
      this.forget(entry);
      this.deps.metrics.dropped.inc({ output: this.name, reason, priority: entry.priority });
    }
    this.deps.metrics.outputs.inc({ destination: this.name, status: 'error' }, entries.length);
    this.counts.dropped += entries.length;
  }

  private recordShed(shed: QueueEntry[]): void {
    if (shed.length === 0) {
      this.shedBurst = 0;
      return;
    }
    this.drop(shed, 'queue_full');
    // One log line per burst: the first shed after a calm period, then every 10,000.
    if (this.shedBurst === 0 || Math.floor((this.shedBurst + shed.length) / 10_000) > Math.floor(this.shedBurst / 10_000)) {
      this.log.error(
        { shed: shed.length, lowestShedPriority: shed[0]?.priority, queued: this.queue.size, limits: this.settings.queue },
        'output queue full: shedding lowest-priority alerts (see peregrine_dropped_total)',
      );
    }
    this.shedBurst += shed.length;
  }

  private async runHealthcheck(atStart: boolean): Promise<void> {
    if (!this.plugin.healthcheck || this.closed) return;
    const controller = new AbortController();
    const timer = this.deps.clock.setTimeout(() => controller.abort(new Error('healthcheck timed out')), this.settings.timeoutms);
    let result: HealthResult;
    try {
      result = await this.plugin.healthcheck({ options: this.options, client: this.client, signal: controller.signal, clock: this.deps.clock });
    } catch (err) {
      result = { ok: false, message: errorMessage(err) };
    } finally {
      this.deps.clock.clearTimeout(timer);
    }
    const changed = result.ok !== this.health.ok;
    this.health = result;
    if (!result.ok) this.noteError(`healthcheck: ${result.message ?? 'failed'}`);
    if (atStart || changed) {
      if (result.ok) this.log.info({ healthcheck: 'ok' }, atStart ? 'output ready' : 'output healthcheck ok again');
      else this.log.error({ healthcheck: result.message }, 'output healthcheck failed');
    }
  }

  private scheduleHealthcheck(): void {
    const interval = this.deps.healthIntervalMs ?? 30_000;
    if (!this.plugin.healthcheck || this.closed || interval <= 0) return;
    this.healthTimer = this.deps.clock.setTimeout(() => {
      void this.runHealthcheck(false).then(() => this.scheduleHealthcheck());
    }, interval);
    (this.healthTimer as { unref?: () => void } | undefined)?.unref?.();
  }

  /** The alert is done here (delivered or dropped): the spool forgets this delivery. */
  private forget(entry: QueueEntry): void {
    if (entry.spoolId === undefined) return;
    this.bySpoolId.delete(entry.spoolId);
    this.deps.journal?.complete(this.name, entry.spoolId);
  }

  private noteError(message: string): void {
    this.lastError = { message, at: this.deps.clock.now() };
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${code && !err.message.includes(code) ? `${code} ` : ''}${err.message}${cause}`;
  }
  return String(err);
}
