// What every trail store does: the recorder writes through these calls, the console reads through
// the others. Two stores: memory (bounded by count and bytes) and the spool's SQLite (by age and size).
import type { Alert } from '../alert/alert.ts';
import { newFields } from '../alert/fields.ts';
import type { Attempt, OutputState, StatsDimension, TrailQuery, TrailRecord, TrailStats, TrailSummary } from './types.ts';

export interface TrailStore {
  /** Ingest accepted the alert (`bytes`: its JSON size) and queued it on `taken` (output names). */
  received(alert: Alert, at: number, from: string, taken: readonly string[], bytes: number, spoolId?: number): void;
  /**
   * One attempt (a request) of an output, and the state it left these alerts in, all alike: the
   * recorder calls it once per run of a batch's alerts with the same outcome. The store may keep
   * `attempt` itself for each of them, so it is never changed after.
   */
  attempt(uuids: readonly string[], output: string, attempt: Attempt, state: OutputState, reason?: string): void;
  /** A state reached without an attempt (shed, dropped, suppressed). */
  state(uuid: string, output: string, state: OutputState, at: number, reason?: string): void;
  /** As state(), for a queued entry known by its spool id only (the spool evicted it). */
  stateBySpoolId(spoolId: number, output: string, state: OutputState, at: number, reason?: string): void;
  get(uuid: string): TrailRecord | undefined;
  list(query: TrailQuery): { alerts: TrailSummary[]; next: number | null };
  stats(dimension: StatsDimension, since: number, bucketMs: number): TrailStats;
  /** Resolves once every event recorded so far is readable (a store that writes in the background); absent: always. */
  ready?(): Promise<void>;
  /** How many alerts and bytes it holds (the console's overview). */
  size(): { alerts: number; bytes: number };
  close(): void;
}

/** The most attempts kept per output of one alert (the count is kept in full). */
export const MAX_ATTEMPTS_KEPT = 20;

/** Keeps the first attempt and the latest ones: how it began and how it is going. */
export function keepAttempt(attempts: Attempt[], attempt: Attempt): void {
  attempts.push(attempt);
  if (attempts.length > MAX_ATTEMPTS_KEPT) attempts.splice(1, 1);
}

/** The time buckets of a stats answer, oldest first. */
export function emptyBuckets(since: number, until: number, bucketMs: number): { at: number; counts: Record<string, number> }[] {
  const first = Math.floor(since / bucketMs) * bucketMs;
  const buckets: { at: number; counts: Record<string, number> }[] = [];
  // Null-prototype counts: they are keyed by rule and namespace, and `counts.constructor ?? 0` found
  // Object's constructor (a namespace may well be named `constructor`).
  for (let at = first; at <= until && buckets.length < 1440; at += bucketMs) buckets.push({ at, counts: newFields<number>() });
  return buckets;
}
