// One worker per output instance. It orchestrates delivery and owns nothing else: the queue bounds
// and sheds (queue.ts), the batcher says when a batch is ready (batcher.ts), the pacer whether the
// output may send (pacer.ts), and next-send.ts what goes next. The sender makes one attempt and
// judges it (sender.ts), the settlement applies the verdict (settlement.ts): a failed attempt backs
// off (failure-streak.ts), an alert that fails alone while others are delivered waits apart
// (set-aside.ts). Whether a failure was the destination's is weighed in one place (evidence.ts), the
// connection holds the plugin's client (connection.ts), the health tracker says
// ok/retrying/failing (output-health.ts), and every ending is recorded in one place (endings.ts).
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { Accounting } from './accounting.ts';
import { Batcher } from './batcher.ts';
import { Connection } from './connection.ts';
import type { DeliverySettings, OutputHealth, WorkerDeps } from './delivery.ts';
import { Endings } from './endings.ts';
import { Evidence } from './evidence.ts';
import { FailureStreak } from './failure-streak.ts';
import { InFlight } from './in-flight.ts';
import { OutputHealthTracker } from './output-health.ts';
import { Pacer } from './pacer.ts';
import { AlertQueue } from './queue.ts';
import { QueueEntry } from './queue-entry.ts';
import { readBack, type Loaded } from './read-back.ts';
import type { Verdict } from './retry-policy.ts';
import { buildScrubber, secretValues } from './scrub.ts';
import { NextSend } from './next-send.ts';
import { Sender } from './sender.ts';
import { SetAside } from './set-aside.ts';
import { Settlement } from './settlement.ts';
import { abortInFlight, within } from './shutdown.ts';
import { SpoolLink } from './spool-link.ts';

export type { DeliveryJournal, DeliverySettings, OutputHealth, WorkerDeps } from './delivery.ts';

export class OutputWorker {
  readonly name: string;
  readonly plugin: AnyOutputPlugin;
  readonly settings: DeliverySettings;
  private readonly deps: WorkerDeps;
  private readonly log: Logger;
  private readonly queue: AlertQueue;
  private readonly batcher: Batcher;
  private readonly pacer: Pacer;
  private readonly health: OutputHealthTracker;
  private readonly accounting: Accounting;
  private readonly spool: SpoolLink;
  private readonly endings: Endings;
  private readonly connection: Connection;
  private readonly sender: Sender;
  private readonly aside: SetAside;
  private readonly settlement: Settlement;
  private readonly next: NextSend;
  private readonly evidence = new Evidence();
  private readonly inFlight = new InFlight();
  private readonly stopWatching: () => void;

  private closed = false;
  private draining = false;
  private seq = 0;
  private idleWaiters: (() => void)[] = [];
  private pumpScheduled = false;
  /** Set by retire() (hot reload): where alerts enqueued on this retired worker go instead. */
  private forward: ((entry: QueueEntry) => void) | undefined;
  /** Hot reload: the instance this one replaces, while it hands its queue over (takeOver, adopt). */
  private predecessor: OutputWorker | undefined;
  /** Spool ids of alerts the spool evicted while a request carried them (discard, dropEvicted). */
  private readonly evictedInFlight = new Set<number>();
  /** Hot reload: this instance retired and its queue went to the caller (retire). */
  private handedOver = false;

  constructor(name: string, plugin: AnyOutputPlugin, options: Record<string, unknown>, settings: DeliverySettings, deps: WorkerDeps) {
    this.name = name;
    this.plugin = plugin;
    this.settings = settings;
    this.deps = deps;
    this.log = deps.log;
    // Replaces this output's configured secrets in destination error text (reasons, logs, /healthz, dead letters).
    const scrub = buildScrubber(secretValues(plugin.schema, options));
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
    this.connection = new Connection(name, { plugin, options, settings, scrub, health: this.health }, deps);
    this.sender = new Sender(name, { plugin, options, settings, scrub }, deps);
    const random = deps.random ?? Math.random;
    const failures = new FailureStreak(name, { backoff: settings.retry, random, health: this.health, pacer: this.pacer, metrics: deps.metrics, log: this.log, clock: deps.clock });
    this.aside = new SetAside({ clock: deps.clock, evidence: this.evidence, backoff: settings.retry, random, log: this.log, due: (entries) => this.requeue(entries) });
    this.settlement = new Settlement(name, {
      endings: this.endings,
      evidence: this.evidence,
      aside: this.aside,
      failures,
      health: this.health,
      pacer: this.pacer,
      spool: this.spool,
      metrics: deps.metrics,
      log: this.log,
      restore: (entries) => this.shed(this.queue.restore(entries)),
      requeue: (entries) => this.requeue(entries),
      queued: () => this.queue.size,
    });
    const { queue, batcher, pacer, evidence, aside, inFlight } = this;
    this.next = new NextSend({ batch: settings.batch, clock: deps.clock, queue, batcher, pacer, evidence, aside, inFlight });
    this.stopWatching = deps.metrics.watchQueue(name, () => {
      const h = this.healthSnapshot();
      return { queued: h.queued, queuedBytes: h.queuedBytes, setAside: h.setAside, oldestAgeMs: h.oldestAgeMs, inflight: h.inflight, state: h.state };
    });
  }

  /** Connects the plugin (retrying with backoff until it works) and starts delivering. Never throws. Not once retired. */
  async start(): Promise<void> {
    if (this.forward) return;
    if (await this.connection.open(() => this.closed)) this.pump();
  }

  /**
   * Queues an alert for delivery. `carried`: its spool id, and the attempts it already made (restored
   * from the spool, or handed over by a hot reload). Returns false when the queue shed it right away.
   */
  enqueue(alert: Alert, bytes: number, receivedAt: number = this.deps.clock.now(), carried?: { spoolId?: number | undefined; attempts?: number }): boolean {
    const entry = new QueueEntry(alert, { bytes, seq: this.seq++, receivedAt, attempts: carried?.attempts ?? 0, spoolId: carried?.spoolId });
    if (this.forward) {
      this.forward(entry);
      return true;
    }
    const shed = this.queue.push(entry);
    this.shed(shed);
    this.pumpAfterTurn();
    return !shed.includes(entry);
  }

  /** What /healthz and the queue metrics show; during a hot reload's handover, the retiring instances' queues too. */
  healthSnapshot(): OutputHealth {
    // Reloads A→B→C: B may hand over to C while A still waits for its requests; A's queue is still this output's.
    while (this.predecessor?.handedOver) this.predecessor = this.predecessor.predecessor;
    const before = this.predecessor?.healthSnapshot();
    const now = this.deps.clock.now();
    const oldest = earliest(this.queue.oldestReceivedAt(), this.aside.oldestReceivedAt());
    const age = oldest === undefined ? 0 : Math.max(0, now - oldest);
    return {
      state: this.health.state(),
      queued: this.queue.size + this.aside.size + (before?.queued ?? 0),
      queuedBytes: this.queue.bytes + this.aside.bytes + (before?.queuedBytes ?? 0),
      setAside: this.aside.size + (before?.setAside ?? 0),
      inflight: this.inFlight.alerts + (before?.inflight ?? 0),
      oldestAgeMs: Math.max(age, before?.oldestAgeMs ?? 0),
      consecutiveFailures: this.health.consecutiveFailures,
      ...this.accounting.counts,
      ...this.health.lastErrorFields(),
    };
  }

  /**
   * The spool evicted this alert (of priority `rank`) to stay under spool.maxbytes: one queued or set
   * aside is dropped now, counted; one in flight is delivered or dead-lettered as its send ends, and
   * dropped, counted, if that send is to be retried. False when this output holds no such alert (its
   * delivery already ended).
   */
  discard(spoolId: number, rank?: number): boolean {
    const entry = this.queue.takeSpooled(spoolId, rank) ?? this.aside.takeSpooled(spoolId);
    if (entry) {
      this.endings.evicted(entry);
      return true;
    }
    if (!this.inFlight.carries(spoolId)) return false;
    this.evictedInFlight.add(spoolId);
    return true;
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
   * then abort what is in flight (shutdown.ts). Returns the alerts that were not delivered; with
   * `keepLeftovers` (the spool holds them for the next start) they are not counted as dropped.
   */
  async drain(deadlineMs: number, keepLeftovers = false): Promise<QueueEntry[]> {
    this.draining = true;
    this.batcher.flushNow();
    this.pump();
    await within(this.deps.clock, deadlineMs, this.idle());
    this.closed = true;
    const inDoubt = await abortInFlight(this.inFlight, this.deps.clock, this.log);
    const left = [...this.takeAll(), ...inDoubt];
    if (!keepLeftovers) this.endings.shutdown(left);
    return left;
  }

  async close(): Promise<void> {
    this.stop();
    this.inFlight.abortAll(new Error('shutting down'));
    this.accounting.logDeadLetters();
    await this.connection.close();
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
    // The queue goes to the caller in this turn: from here to the successor's adopt() no eviction by
    // the spool can come between (one during a slow close() found the queue in neither worker). The
    // client closes in the background; it never throws.
    const left = this.takeAll();
    this.handedOver = true;
    void this.connection.close();
    return left;
  }

  /**
   * Hot reload: this instance replaces `predecessor` (same name), which retires. Until its queue comes
   * (adopt), what it holds shows in this one's /healthz and metrics, and its counts go on here.
   */
  takeOver(predecessor: OutputWorker): void {
    this.seq = Math.max(this.seq, predecessor.seq);
    this.accounting.continueFrom(predecessor.accounting);
    this.predecessor = predecessor;
  }

  /**
   * Hot reload: the queue of the instance this one replaces, ahead of what arrived since. A second
   * reload may have retired this one before its predecessor's requests settled: the queue then goes
   * where this one's goes (`forward`: its own successor, or the dead letters).
   */
  adopt(predecessor: OutputWorker, entries: readonly QueueEntry[]): void {
    // Still in view: an instance `predecessor` itself was waiting for (healthSnapshot).
    const waiting = predecessor.predecessor;
    if (this.predecessor === predecessor) this.predecessor = waiting;
    if (this.forward) {
      for (const entry of entries) this.forward(entry);
      return;
    }
    this.takeOver(predecessor);
    this.predecessor = waiting;
    // A new config, maybe a new destination: what the old one's failures said of an alert no longer holds.
    for (const entry of entries) entry.forgetFailures();
    this.shed(this.queue.restore(entries));
    this.pump();
  }

  /**
   * Hot reload: passes one of this instance's alerts to `to`, its successor, with its spool id and
   * attempts. One the spool can no longer give back ends here, counted (it must not stop the rest).
   */
  handOff(entry: QueueEntry, to: OutputWorker): void {
    for (const { alert } of this.loaded([entry])) to.enqueue(alert, entry.bytes, entry.receivedAt, { spoolId: entry.spoolId, attempts: entry.attempts });
  }

  /** Hot reload: alerts queued for an instance the new config removed end as dead letters, named. */
  deadLetterRemoved(entries: readonly QueueEntry[]): void {
    for (const { entry } of this.loaded(entries)) this.endings.removed(entry);
  }

  private stop(): void {
    this.closed = true;
    this.connection.stop();
    this.batcher.close();
    this.pacer.close();
    this.aside.close();
  }

  /** Everything queued or set aside, oldest first. */
  private takeAll(): QueueEntry[] {
    return [...this.aside.releaseAll(), ...this.queue.drainAll()].sort((a, b) => a.seq - b.seq);
  }

  /** Nothing queued or in flight; alerts set aside count too, but not for a drain (they are its leftovers). */
  private isIdle(): boolean {
    return this.queue.size === 0 && this.inFlight.requests === 0 && (this.aside.size === 0 || this.draining);
  }

  /**
   * Sends at the end of this turn of the event loop, after ingest's replies: starting a send took
   * ~37 µs of each Falco-like reply's path. The alert is queued already; the turn's alerts share one pump.
   */
  private pumpAfterTurn(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.closed || !this.connection.connected) return;
    while (this.inFlight.requests < this.settings.maxconcurrency && this.queue.size > 0) {
      const next = this.next.choose(this.draining);
      if (next === 'wait') return;
      const alerts = this.loaded(this.next.take(next));
      // A probe goes alone in flight; one that could not be read back (ended, counted) makes way for the next.
      if (alerts.length > 0) void this.send(alerts);
      if (next === 'probe' && alerts.length > 0) return;
    }
    if (this.isIdle()) this.notifyIdle();
  }

  /** Alerts back from being set aside, or released from it by a drain: each goes alone in its request. */
  private requeue(entries: readonly QueueEntry[]): void {
    if (entries.length === 0) return;
    for (const entry of entries) entry.maxBatch = 1;
    this.shed(this.queue.restore(entries));
    this.pump();
  }

  /** The entries' alerts, read back; an unreadable one ends here (endings.ts) and is left out. */
  private loaded(entries: readonly QueueEntry[]): Loaded[] {
    return readBack(entries, (entry, err) => this.endings.unreadable(entry, err));
  }

  private async send(batch: Loaded[]): Promise<void> {
    const controller = this.inFlight.begin(batch);
    const request = this.evidence.begin();
    this.pacer.attempted();
    const verdict = await this.sender.attempt(batch, this.connection.client, controller, this.evidence);
    if (this.inFlight.abandoned(controller)) {
      // Given up on by the shutdown (drain): its alerts already ended with the leftovers.
      this.inFlight.end(controller, batch.length);
      return;
    }
    if (this.evictedInFlight.size > 0) this.dropEvicted(verdict);
    this.settlement.apply(verdict, request, this.closed);
    this.inFlight.end(controller, batch.length);
    this.pump();
    if (this.isIdle()) this.notifyIdle();
  }

  /** Alerts the spool evicted while in flight: those to be sent again end here, dropped (discard). */
  private dropEvicted(verdict: Verdict): void {
    const evicted = this.evictedInFlight;
    for (const entry of verdict.delivered) evicted.delete(entry.spoolId as number);
    for (const { entry } of verdict.deadLetters) evicted.delete(entry.spoolId as number);
    const dropped = new Set(verdict.again.filter((entry) => evicted.delete(entry.spoolId as number)));
    if (dropped.size === 0) return;
    for (const entry of dropped) this.endings.evicted(entry);
    // Nor do they count as failed: one that failed alone would have been set aside, not a backoff.
    verdict.retried -= dropped.size;
    verdict.again = verdict.again.filter((entry) => !dropped.has(entry));
    verdict.alone = verdict.alone.filter(({ entry }) => !dropped.has(entry));
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

function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined || a <= b ? a : b;
}
