// An alert that fails alone while its destination takes the others (one an SDK cannot encode, one a
// server fails on) must not hold its output's queue until its retry budget ends (retry.maxagems,
// 1 h by default): the queue is sent oldest first, and a paused output probes with its oldest alert.
// An alert fails alone when it fails with an error of its own: alone in its request (halving,
// retry-policy.ts, leaves it so), or answered apart in a batch answered per alert (Elasticsearch's
// bulk items, one webhook request per alert). This file notices when such an alert keeps failing
// while others are delivered, and sets it aside: out of the queue, tried again alone on a backoff of
// its own until it is delivered or its budget ends, while the rest flows.
//
// The evidence (evidence.ts), so that an outage sets nothing aside: the alert failed alone, a request
// that started after that delivered alerts, and then the alert failed alone again. A destination that
// was down fails every alert; once it is back, an alert that failed alone as a probe goes with the
// others. Other alerts delivered in the same request are not that evidence: a batch sent as several
// calls (SQS, one webhook request per alert) can meet an outage between two of them.
import type { Logger } from 'pino';
import { backoffMs, type BackoffPolicy } from './backoff.ts';
import type { Clock } from './clock.ts';
import type { Evidence } from './evidence.ts';
import type { QueueEntry } from './queue-entry.ts';
import type { Verdict } from './retry-policy.ts';

/**
 * Alerts held aside at most. They are held parsed, outside the queue's bounds, so many of them (a
 * kind of alert the destination's SDK can never encode) would grow memory without limit. Past this,
 * an alert that fails alone holds its output as any failure does: the output shows failing, which
 * says what is wrong better than thousands of alerts set aside.
 */
const MAX_HELD = 1000;

interface Held {
  entry: QueueEntry;
  dueAt: number;
  /** When it was set aside (this time). */
  at: number;
}

export class SetAside {
  /** In order of dueAt. */
  private held: Held[] = [];
  private heldBytes = 0;
  private timer: unknown;
  private readonly clock: Clock;
  private readonly evidence: Evidence;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly due: (entries: QueueEntry[]) => void;
  private readonly log: Logger;
  private readonly maxHeld: number;
  private fullLogged = false;

  /** `due`: alerts whose own backoff ended; the worker queues them again, alone in their requests. */
  constructor(deps: {
    clock: Clock;
    evidence: Evidence;
    backoff: BackoffPolicy;
    random: () => number;
    log: Logger;
    due: (entries: QueueEntry[]) => void;
    maxHeld?: number;
  }) {
    this.clock = deps.clock;
    this.evidence = deps.evidence;
    this.backoff = deps.backoff;
    this.random = deps.random;
    this.log = deps.log;
    this.due = deps.due;
    this.maxHeld = deps.maxHeld ?? MAX_HELD;
  }

  get size(): number {
    return this.held.length;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /** When the oldest alert set aside arrived, or undefined when none is. */
  oldestReceivedAt(): number | undefined {
    let oldest: number | undefined;
    for (const { entry } of this.held) if (oldest === undefined || entry.receivedAt < oldest) oldest = entry.receivedAt;
    return oldest;
  }

  /**
   * True for an alert that failed, alone or in a batch that failed whole, and no request started
   * since has delivered alerts: whether the fault is the alert's, its batch's or the destination's is
   * not known yet, so the output sends another alert first, alone (a probe). Sending the same request
   * again would not tell, and a halving needs the answer (retry-policy.ts).
   */
  unproven(entry: QueueEntry | undefined): boolean {
    if (entry === undefined) return false;
    if (this.awaitingEvidence(entry.suspicion)) return true;
    return entry.failedWholeAt >= 0 && !this.evidence.deliveredSince(entry.failedWholeAt);
  }

  /**
   * Alerts that failed with a plain error of their own (`verdict.alone`: not a Retry-After, not
   * refused credentials) and are to be tried again. Sets aside each whose fault the evidence shows
   * (above) and returns them, each with the time it is held until: the output neither requeues them
   * nor backs off for them. The others may have failed for the destination's sake: the output backs
   * off as for any failure.
   */
  atFault(alone: Verdict['alone']): { entry: QueueEntry; until: number }[] {
    const held: { entry: QueueEntry; until: number }[] = [];
    for (const { entry, reason } of alone) {
      const until = this.failedAlone(entry);
      if (until === undefined) continue;
      held.push({ entry, until });
      const times = entry.suspicion?.times ?? 0;
      if (times === 1 || times % 10 === 0) {
        const alert = entry.load();
        this.log.warn(
          { uuid: alert.uuid, rule: alert.rule, reason, timesSetAside: times, retryInMs: until - this.clock.now() },
          'an alert fails alone while the destination takes others: set aside and retried alone on its own backoff; the rest of the queue flows',
        );
      }
    }
    return held;
  }

  private failedAlone(entry: QueueEntry): number | undefined {
    const suspicion = entry.suspicion;
    if (suspicion === undefined || this.awaitingEvidence(suspicion)) {
      entry.suspicion = { since: this.evidence.mark, times: 0 };
      return undefined;
    }
    if (this.held.length >= this.maxHeld) {
      if (!this.fullLogged) this.log.error({ held: this.held.length }, 'too many alerts set aside: one more that fails alone holds the output as any failure does');
      this.fullLogged = true;
      return undefined;
    }
    this.fullLogged = false;
    suspicion.times++;
    suspicion.since = this.evidence.mark;
    const now = this.clock.now();
    const dueAt = now + backoffMs(this.backoff, suspicion.times, this.random);
    this.hold({ entry, dueAt, at: now });
    return dueAt;
  }

  /** It failed alone, was never set aside, and no request started since has delivered. */
  private awaitingEvidence(suspicion: QueueEntry['suspicion']): boolean {
    return suspicion !== undefined && suspicion.times === 0 && !this.evidence.deliveredSince(suspicion.since);
  }

  /** Everything held, oldest first, for a drain or a reload handover (each is sent once more, with the queue). */
  releaseAll(): QueueEntry[] {
    return this.releaseSince(-Infinity);
  }

  /** The alerts set aside at or after `since` (during a failure streak that has ended) but those in `keep`, oldest first. */
  releaseSince(since: number, keep: readonly QueueEntry[] = []): QueueEntry[] {
    const kept = new Set(keep);
    const during = (h: Held) => h.at >= since && !kept.has(h.entry);
    const released = this.held.filter(during);
    if (released.length === 0) return [];
    this.held = this.held.filter((h) => !during(h));
    for (const { entry } of released) this.heldBytes -= entry.bytes;
    this.arm();
    return released.map((h) => h.entry).sort((a, b) => a.seq - b.seq);
  }

  /** Takes out the held alert with this spool id (the spool evicted it); undefined when none is held. */
  takeSpooled(spoolId: number): QueueEntry | undefined {
    const at = this.held.findIndex((h) => h.entry.spoolId === spoolId);
    if (at < 0) return undefined;
    const [{ entry }] = this.held.splice(at, 1) as [Held];
    this.heldBytes -= entry.bytes;
    return entry;
  }

  close(): void {
    this.clearTimer();
  }

  private hold(held: Held): void {
    let at = this.held.length;
    while (at > 0 && (this.held[at - 1] as Held).dueAt > held.dueAt) at--;
    this.held.splice(at, 0, held);
    this.heldBytes += held.entry.bytes;
    if (at === 0) this.arm();
  }

  private arm(): void {
    this.clearTimer();
    const next = this.held[0];
    if (next === undefined) return;
    this.timer = this.clock.setTimeout(() => this.release(), Math.max(0, next.dueAt - this.clock.now()));
  }

  private release(): void {
    this.timer = undefined;
    const now = this.clock.now();
    let count = 0;
    while (count < this.held.length && (this.held[count] as Held).dueAt <= now) count++;
    const ready = this.held.splice(0, count).map((h) => h.entry);
    for (const entry of ready) this.heldBytes -= entry.bytes;
    this.arm();
    if (ready.length > 0) this.due(ready);
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * Which queued alert a probe should be (the lowest; next-send.ts): 0 for one that never failed alone,
 * else later the more recently it failed alone, so that probes take turns.
 */
export function probeRank(entry: QueueEntry): number {
  return entry.suspicion === undefined ? 0 : 1 + entry.suspicion.since;
}
