// One export of the counter, one at a time: the counts to export (the committed counts plus a
// batch, or the committed counts alone when idle: idle.ts), never a value lower than one sent before.
import type { Clock, Outcome } from '../../src/plugin/index.ts';
import type { KeyValue } from '../otlp/any-value.ts';
import { exportBatch, type OtlpExporter } from '../otlp/exporter.ts';
import { CARDINALITY_LIMIT, type AttributePlan, type Counts, type Series } from './counter.ts';
import { encodeJson, encodeProtobuf } from './encode.ts';

export interface MetricsState {
  exporter: OtlpExporter;
  plan: AttributePlan;
  resource: readonly KeyValue[];
  /** What the collector has accepted: the alerts counted. */
  counts: Counts;
  /** The highest value sent so far per attribute set, whatever the answer was. */
  sent: Map<string, number>;
  /** When counting started (the data points' start time). */
  startNs: bigint;
  /** The export in progress: the next one waits for it. */
  last: Promise<unknown>;
  /** When the last export started (clock ms). */
  lastExportAt: number;
}

export const nanos = (ms: number) => BigInt(Math.round(ms)) * 1_000_000n;

/** Runs `fn` once the export in progress (if any) has settled, whatever its outcome. */
export function serialised<T>(state: MetricsState, fn: () => Promise<T>): Promise<T> {
  const result = state.last.then(fn, fn);
  state.last = result.catch(() => undefined);
  return result;
}

/**
 * Exports `counts`, each raised to the highest value sent before for its attribute set. The
 * collector may have stored an export whose answer we did not take as ok (a timeout or a reset
 * after it processed the request, a partial success), and the core may then send a different
 * batch (a one-alert probe): exporting the committed counts plus that batch alone would go below
 * what the collector holds, which a backend reads as a counter reset. The cost: an alert that was
 * in such an export and is dead-lettered later stays counted.
 */
export function exportCounts(state: MetricsState, counts: Counts, signal: AbortSignal, clock: Clock): Promise<Outcome> {
  state.lastExportAt = clock.now();
  const series: Series[] = [];
  for (const [key, s] of counts) {
    const count = Math.max(s.count, state.sent.get(key) ?? 0);
    state.sent.set(key, count);
    series.push(count === s.count ? s : { attributes: s.attributes, count });
  }
  // Sets sent but never accepted (refused batches of new sets) could pile up: past twice the
  // cardinality limit, only the accepted ones are kept (a dropped one could then go lower once, if
  // it is accepted later).
  if (state.sent.size > 2 * CARDINALITY_LIMIT) for (const key of state.sent.keys()) if (!state.counts.has(key) && !counts.has(key)) state.sent.delete(key);
  const request = { resource: state.resource, series, startNs: state.startNs, timeNs: nanos(clock.now()) };
  const body = state.exporter.protobuf ? encodeProtobuf(request) : encodeJson(request);
  return exportBatch(state.exporter, body, series.length, signal, clock);
}
