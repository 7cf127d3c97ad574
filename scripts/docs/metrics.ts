// docs/metrics.md's table, read from the metrics registry itself: every metric Peregrine registers
// (Node's default process metrics aside; noise control's included), with its type, labels and help text.
import { NoiseMetrics } from '../../src/noise/metrics.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';
import { cell, code, table } from './markdown.ts';

interface Described {
  name: string;
  help: string;
  type?: string;
  labelNames?: readonly string[];
}

export function metricsMarkdown(): string {
  const registry = new Metrics({ defaultMetrics: false });
  new NoiseMetrics(registry, { activeKeys: () => ({}), activeSilences: () => 0 });
  const metrics = registry.registry.getMetricsAsArray() as unknown as Described[];
  const rows = [...metrics]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => [code(m.name), m.type ?? '', (m.labelNames ?? []).map(code).join(', '), cell(m.help)]);
  return table(['metric', 'type', 'labels', 'meaning'], rows);
}
