// Every label the Grafana dashboard groups by or prints in a legend exists on the metric it queries
// ("Output health (1 = ok)" once grouped peregrine_output_up by a state label the gauge does not have).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NoiseMetrics } from '../../src/noise/metrics.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const TARGET_LABELS = ['namespace', 'job', 'pod', 'instance', 'service', 'container', 'endpoint'];

describe('Grafana dashboard labels', () => {
  it('groups and labels only by labels its metrics have', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    new NoiseMetrics(metrics, { activeKeys: () => ({}), activeSilences: () => 0 });
    const labelsOf = new Map<string, Set<string>>();
    for (const m of await metrics.registry.getMetricsAsJSON()) {
      const names = new Set<string>(((m as Any).labelNames as string[] | undefined) ?? []);
      labelsOf.set(m.name, names);
    }
    // prom-client metrics list labelNames only on their own objects: read them from the class instances.
    for (const m of (metrics.registry as Any)._metrics ? Object.values((metrics.registry as Any)._metrics) : []) {
      labelsOf.set((m as Any).name, new Set(((m as Any).labelNames as string[]) ?? []));
    }
    const dashboard = JSON.parse(readFileSync(join(import.meta.dirname, '../../helm/peregrine/dashboards/peregrine.json'), 'utf8')) as Any;
    const problems: string[] = [];
    const panels: Any[] = [];
    const walk = (ps: Any[]) => ps.forEach((p) => (panels.push(p), p.panels && walk(p.panels)));
    walk(dashboard.panels);
    for (const panel of panels) {
      for (const t of panel.targets ?? []) {
        const used = [...new Set((t.expr as string).match(/\b(?:falcosecurity_falcosidekick|peregrine)_\w+/g) ?? [])].map((n) => n.replace(/_(bucket|sum|count)$/, ''));
        const have = new Set([...TARGET_LABELS, ...used.flatMap((n) => [...(labelsOf.get(n) ?? [])]), ...((t.expr as string).includes('_bucket') ? ['le'] : [])]);
        const grouped = [...(t.expr as string).matchAll(/by \(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(',').map((s) => s.trim()));
        const legend = [...((t.legendFormat as string | undefined) ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] as string);
        for (const name of used) if (!labelsOf.has(name)) problems.push(`${panel.title}: ${name} is no metric of the daemon`);
        for (const label of [...grouped, ...legend]) if (!have.has(label)) problems.push(`${panel.title}: ${label} (on ${used.join(', ')})`);
      }
    }
    expect(problems).toEqual([]);
  });
});
