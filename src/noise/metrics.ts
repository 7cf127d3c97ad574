// Noise-control metrics, on the app's registry. Labels are bounded: output and reason, never the key.
import { Gauge } from '../telemetry/prom.ts';
import { FastCounter } from '../telemetry/series.ts';
import type { Metrics } from '../telemetry/metrics.ts';

export type SuppressReason = 'dedupe' | 'ratelimit' | 'silence';
export const SUPPRESS_REASONS: readonly SuppressReason[] = ['dedupe', 'ratelimit', 'silence'];

export interface NoiseGauges {
  /** Open dedupe windows (memory store) or windows this replica owns (redis store), per output. */
  activeKeys(): Record<string, number>;
  activeSilences(): number;
}

export class NoiseMetrics {
  readonly suppressed: FastCounter<'output' | 'reason'>;
  readonly evicted: FastCounter<'output'>;
  readonly storeErrors: FastCounter<'output'>;
  readonly summaries: FastCounter<'output'>;

  constructor(metrics: Metrics, gauges: NoiseGauges) {
    const registers = [metrics.registry];
    this.suppressed = new FastCounter({
      name: 'peregrine_suppressed_total',
      help: 'Alerts routed to an output and held back there by noise control, by reason (dedupe, ratelimit, silence). Counted, never lost: dedupe and ratelimit counts reach the output in the window summary.',
      labelNames: ['output', 'reason'],
      registers,
    });
    this.evicted = new FastCounter({
      name: 'peregrine_dedupe_evicted_total',
      help: 'Dedupe keys evicted because dedupe.maxkeys keys were tracked (the oldest goes; its summary is sent early).',
      labelNames: ['output'],
      registers,
    });
    this.storeErrors = new FastCounter({
      name: 'peregrine_dedupe_store_errors_total',
      help: 'Redis dedupe calls that failed or timed out; the alert was delivered (fail open).',
      labelNames: ['output'],
      registers,
    });
    this.summaries = new FastCounter({
      name: 'peregrine_dedupe_summaries_total',
      help: 'Summary alerts sent at the end of dedupe windows that held repeats back.',
      labelNames: ['output'],
      registers,
    });
    new Gauge({
      name: 'peregrine_dedupe_active_keys',
      help: 'Open dedupe windows per output (redis store: the windows this replica owns).',
      labelNames: ['output'],
      registers,
      collect() {
        this.reset();
        for (const [output, n] of Object.entries(gauges.activeKeys())) this.set({ output }, n);
      },
    });
    new Gauge({
      name: 'peregrine_silences_active',
      help: 'Silences in force (config and API).',
      registers,
      collect() {
        this.set(gauges.activeSilences());
      },
    });
  }
}
