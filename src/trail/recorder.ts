// The one interface the hot path calls: ingest (received), the worker (attempted, ended) and, with
// noise control, the router (suppressed). It turns those calls into trail store writes and the
// per-output activity counters. With the trail off and the console off, nothing is installed and
// the callers' `trail?.` costs one check.
import type { Alert } from '../alert/alert.ts';
import type { Clock } from '../dispatch/clock.ts';
import type { QueueEntry } from '../dispatch/queue-entry.ts';
import { outcomeAt, type SendResult } from '../dispatch/result.ts';
import type { Verdict } from '../dispatch/retry-policy.ts';
import type { Activity } from './activity.ts';
import type { TrailStore } from './store.ts';
import type { Attempt, OutputState } from './types.ts';

export interface TrailRecorder {
  /** Ingest accepted the alert (JSON `bytes`) and queued it on `taken`; `from` is the client address. */
  received(alert: Alert, bytes: number, at: number, taken: readonly { name: string }[], from?: string, spoolId?: number): void;
  /** One request of an output and what the retry policy made of each of its alerts. */
  attempted(output: string, batch: readonly QueueEntry[], result: SendResult, verdict: Verdict, at: number, latencyMs: number): void;
  /** The output is done with these alerts without delivering them. */
  ended(output: string, entries: readonly QueueEntry[], state: Extract<OutputState, 'shed' | 'dropped' | 'dead_lettered'>, reason: string): void;
  /** Noise control kept the alert from this output (a silence, a dedup window). */
  suppressed(alert: Alert, output: string, reason: string): void;
}

/** A store call that threw, and how many alerts it was about. */
export type TrailFailure = (err: unknown, alerts: number) => void;

/**
 * The recorder. Its callers are ingest and the output workers, so none of its calls throws: the
 * trail is history, and a failing store (a bug, a full disk) must not turn a delivery into a crash
 * or a 500. What a store throws goes to `onFailure` (counted and logged by createTrail).
 */
export class Trail implements TrailRecorder {
  readonly store: TrailStore | undefined;
  readonly activity: Activity;
  private readonly clock: Clock;
  private readonly onFailure: TrailFailure;

  constructor(store: TrailStore | undefined, activity: Activity, clock: Clock, onFailure: TrailFailure = () => {}) {
    this.store = store;
    this.activity = activity;
    this.clock = clock;
    this.onFailure = onFailure;
  }

  received(alert: Alert, bytes: number, at: number, taken: readonly { name: string }[], from = '', spoolId?: number): void {
    try {
      const names = taken.map((t) => t.name);
      for (const name of names) this.activity.of(name).add(at, 'routed', 1);
      this.store?.received(alert, at, from, names, bytes, spoolId);
    } catch (err) {
      this.onFailure(err, 1);
    }
  }

  attempted(output: string, batch: readonly QueueEntry[], result: SendResult, verdict: Verdict, at: number, latencyMs: number): void {
    try {
      this.recordAttempt(output, batch, result, verdict, at, latencyMs);
    } catch (err) {
      this.onFailure(err, batch.length);
    }
  }

  ended(output: string, entries: readonly QueueEntry[], state: 'shed' | 'dropped' | 'dead_lettered', reason: string): void {
    try {
      this.recordEnd(output, entries, state, reason);
    } catch (err) {
      this.onFailure(err, entries.length);
    }
  }

  suppressed(alert: Alert, output: string, reason: string): void {
    try {
      this.store?.state(alert.uuid, output, 'suppressed', this.clock.now(), reason);
    } catch (err) {
      this.onFailure(err, 1);
    }
  }

  private recordAttempt(output: string, batch: readonly QueueEntry[], result: SendResult, verdict: Verdict, at: number, latencyMs: number): void {
    const now = this.clock.now();
    const activity = this.activity.of(output);
    if (verdict.delivered.length) activity.add(now, 'delivered', verdict.delivered.length);
    if (verdict.deadLetters.length) activity.add(now, 'deadLettered', verdict.deadLetters.length);
    const failed = batch.length - verdict.delivered.length;
    if (failed > 0) {
      activity.add(now, 'failed', failed);
      const first = verdict.retry?.reason ?? verdict.deadLetters[0]?.detail ?? 'failed';
      activity.error(now, first, failed);
    }
    const store = this.store;
    if (!store) return;
    const dead = verdict.deadLetters.length ? new Map(verdict.deadLetters.map((d) => [d.entry, d])) : undefined;
    const latency = Math.round(latencyMs * 10) / 10;
    // One store call per run of alerts the request left alike (most requests: one run, the whole
    // batch), all sharing one Attempt: per alert, only its uuid is recorded.
    let run: string[] = [];
    let attempt: Attempt | undefined;
    let state: OutputState = 'delivered';
    let reason: string | undefined;
    for (let index = 0; index < batch.length; index++) {
      const entry = batch[index] as QueueEntry;
      const uuid = entry.uuid();
      if (uuid === undefined) continue;
      const outcome = outcomeAt(result, index);
      const detail = outcome.kind === 'ok' ? (outcome.duplicate ? 'duplicate' : 'ok') : outcome.reason;
      const deadLetter = outcome.kind === 'ok' ? undefined : dead?.get(entry);
      const nextState: OutputState = outcome.kind === 'ok' ? 'delivered' : deadLetter ? 'dead_lettered' : 'retrying';
      const nextReason = outcome.kind === 'ok' ? undefined : deadLetter ? `${deadLetter.reason}: ${deadLetter.detail}` : retried(outcome.reason, verdict.split);
      if (attempt === undefined || attempt.outcome !== outcome.kind || attempt.detail !== detail || state !== nextState || reason !== nextReason) {
        if (attempt !== undefined) {
          store.attempt(run, output, attempt, state, reason);
          run = [];
        }
        attempt = { at, latencyMs: latency, outcome: outcome.kind, detail, batch: batch.length };
        state = nextState;
        reason = nextReason;
      }
      run.push(uuid);
    }
    if (attempt !== undefined) store.attempt(run, output, attempt, state, reason);
  }

  private recordEnd(output: string, entries: readonly QueueEntry[], state: 'shed' | 'dropped' | 'dead_lettered', reason: string): void {
    if (entries.length === 0) return;
    const now = this.clock.now();
    this.activity.of(output).add(now, state === 'dead_lettered' ? 'deadLettered' : 'dropped', entries.length);
    const store = this.store;
    if (!store) return;
    for (const entry of entries) {
      const uuid = entry.uuid();
      if (uuid !== undefined) store.state(uuid, output, state, now, reason);
      else if (entry.spoolId !== undefined) store.stateBySpoolId(entry.spoolId, output, state, now, reason);
    }
  }
}

/** Why an alert is tried again; a batch that failed whole says it goes again in smaller requests. */
function retried(reason: string, split: number | undefined): string {
  return split === undefined ? reason : `${reason} (failed whole with other alerts: sent again in smaller requests, to find the alert at fault)`;
}
