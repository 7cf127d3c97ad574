// What one count or observation costs on the per-alert path: prom-client's Counter and Histogram
// against FastCounter and FastHistogram (src/telemetry/series.ts), the calls a Falco-like alert
// makes (two outputs, one alert per send), interleaved rounds: `node bench/metrics.ts [--rounds 5]`.
import { parseArgs } from 'node:util';
import * as PromClient from 'prom-client';
import { FastCounter, FastHistogram } from '../src/telemetry/series.ts';
import { machineCpu, stealShare } from './proc.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, alerts: { type: 'string', default: '200000' } } });
const ROUNDS = Number(values.rounds);
const ALERTS = Number(values.alerts);
const SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const INGEST_BUCKETS = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

type Count = { inc(labels: Record<string, string>, n?: number): void };
type Observe = { observe(labels: Record<string, string>, v: number): void; observe(v: number): void };

/** The metrics Peregrine's send and ingest paths touch, made with one library's classes. */
function metricsOf(counter: (name: string, labelNames: string[]) => Count, histogram: (name: string, labelNames: string[], buckets: number[]) => Observe) {
  return {
    delivered: counter('b_delivered_total', ['output', 'duplicate']),
    outputs: counter('b_outputs_total', ['destination', 'status']),
    duration: histogram('b_send_duration_seconds', ['output', 'outcome'], SECONDS_BUCKETS),
    size: histogram('b_batch_alerts', ['output'], [1, 5, 10, 50, 100, 250, 500, 1000, 5000]),
    ingest: histogram('b_ingest_duration_seconds', [], INGEST_BUCKETS),
  };
}

/** One Falco-like alert's calls: ingest's duration, then a one-alert send to each of two outputs. */
function alertCalls(m: ReturnType<typeof metricsOf>, i: number): void {
  m.ingest.observe(0.00005 + (i % 7) * 0.00002);
  for (const output of ['webhook', 'stdout']) {
    m.duration.observe({ output, outcome: 'ok' }, 0.0003 + (i % 11) * 0.0001);
    m.size.observe({ output }, 1);
    m.delivered.inc({ output, duplicate: 'false' }, 1);
    m.outputs.inc({ destination: output, status: 'ok' }, 1);
  }
}

const builds: [string, () => ReturnType<typeof metricsOf>][] = [
  [
    'prom-client Counter, Histogram',
    () => {
      const registers = [new PromClient.Registry()];
      return metricsOf(
        (name, labelNames) => new PromClient.Counter({ name, help: name, labelNames, registers }),
        (name, labelNames, buckets) => new PromClient.Histogram({ name, help: name, labelNames, buckets, registers }) as unknown as Observe,
      );
    },
  ],
  [
    'FastCounter, FastHistogram',
    () => {
      const registers = [new PromClient.Registry()];
      return metricsOf(
        (name, labelNames) => new FastCounter({ name, help: name, labelNames, registers }),
        (name, labelNames, buckets) => new FastHistogram({ name, help: name, labelNames, buckets, registers }) as unknown as Observe,
      );
    },
  ],
];

const before = machineCpu();
const results = new Map<string, number[]>(builds.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, build] of builds) {
    const m = build();
    for (let i = 0; i < 20_000; i++) alertCalls(m, i); // warm-up: the JIT, and every series made
    const t0 = performance.now();
    for (let i = 0; i < ALERTS; i++) alertCalls(m, i);
    results.get(name)?.push(((performance.now() - t0) * 1000) / ALERTS);
  }
}
const steal = stealShare(before, machineCpu());
console.log(`Node ${process.version}; ${ROUNDS} interleaved rounds of ${ALERTS.toLocaleString('en')} Falco-like alerts (9 calls each); steal ${(100 * steal).toFixed(1)} %\n`);
console.log('| classes | µs per alert, each round | per call, median |');
console.log('|---|---|---|');
for (const [name, us] of results) {
  const median = [...us].sort((a, b) => a - b)[Math.floor(us.length / 2)] as number;
  console.log(`| ${name} | ${us.map((u) => u.toFixed(2)).join(' / ')} | ${((median * 1000) / 9).toFixed(0)} ns |`);
}
