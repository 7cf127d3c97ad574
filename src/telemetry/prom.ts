// prom-client's classes and default metrics, required file by file rather than through its index.
// The index also loads the Summary (tdigest, bintrees), the Pushgateway, the cluster aggregator and,
// for the CPU counters' exemplars, @opentelemetry/api (44 modules): none of which Peregrine uses
// (docs/performance.md#idle-rss). The package has no "exports" map, so these paths are reachable;
// test/unit/telemetry/prom.test.ts checks that the default metrics below are prom-client's own.
import { createRequire } from 'node:module';
import type * as Prom from 'prom-client';

const require = createRequire(import.meta.url);
const lib = (path: string): unknown => require(`prom-client/lib/${path}`);

export const Registry = lib('registry') as typeof Prom.Registry;
export type Registry = Prom.Registry;
export const Counter = lib('counter') as typeof Prom.Counter;
export type Counter<T extends string = string> = Prom.Counter<T>;
export const Gauge = lib('gauge') as typeof Prom.Gauge;
export type Gauge<T extends string = string> = Prom.Gauge<T>;

type DefaultMetric = (registry: Prom.Registry, config: { eventLoopMonitoringPrecision: number }) => void;

// prom-client's list (lib/defaultMetrics.js), in its order, after the CPU counters.
const DEFAULT_METRICS = [
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  'processResources',
  'processHandles',
  'processRequests',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
];

/**
 * prom-client's collectDefaultMetrics({ register }): the same metrics, names, help and order. The
 * CPU counters are its processCpuTotal without the exemplar branch (exemplars are off here).
 */
export function collectDefaultMetrics(registry: Prom.Registry): void {
  let last = process.cpuUsage();
  const user = new Counter({
    name: 'process_cpu_user_seconds_total',
    help: 'Total user CPU time spent in seconds.',
    registers: [registry],
    // This one counter's collect sets all three, as prom-client's does.
    collect() {
      const now = process.cpuUsage();
      const userMicros = now.user - last.user;
      const systemMicros = now.system - last.system;
      last = now;
      user.inc(userMicros / 1e6);
      system.inc(systemMicros / 1e6);
      total.inc((userMicros + systemMicros) / 1e6);
    },
  });
  const system = new Counter({ name: 'process_cpu_system_seconds_total', help: 'Total system CPU time spent in seconds.', registers: [registry] });
  const total = new Counter({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', registers: [registry] });
  const config = { eventLoopMonitoringPrecision: 10 };
  for (const name of DEFAULT_METRICS) (lib(`metrics/${name}`) as DefaultMetric)(registry, config);
}
