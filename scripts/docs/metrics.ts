// docs/metrics.md's table, read from the metrics registry itself: every metric Peregrine registers
// (Node's default process metrics aside), with its type, labels and help text.
import { Metrics } from '../../src/telemetry/metrics.ts';
import { cell, code, table } from './markdown.ts';

interface Described {
  name: string;
  help: string;
  type?: string;
  labelNames?: readonly string[];
}

export function metricsMarkdown(): string {
  const metrics = new Metrics({ defaultMetrics: false }).registry.getMetricsAsArray() as unknown as Described[];
  const rows = [...metrics]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => [code(m.name), m.type ?? '', (m.labelNames ?? []).map(code).join(', '), cell(m.help)]);
  return table(['metric', 'type', 'labels', 'meaning'], rows);
}
