// Review repro: with the falcosidekick alias Service on (migration from falcosidekick) and a ServiceMonitor,
// the ServiceMonitor selects both Services: every pod is scraped twice (job=<release>-peregrine and
// job=falco-falcosidekick), so every sum() in the dashboard doubles and each Falco*EventsRateHigh alert fires twice.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { findHelm } from '../../helm/helm.ts';

const chart = join(import.meta.dirname, '../../../helm/peregrine');
const helm = findHelm();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function matches(selector: Any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

describe.skipIf(!helm)('ServiceMonitor and the falcosidekick alias Service', () => {
  it('scrapes each pod through one Service only', () => {
    const res = spawnSync(helm as string, ['template', 'r', chart, '--set', 'falcosidekickService.enabled=true', '--set', 'metrics.serviceMonitor.enabled=true'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    const docs = YAML.parseAllDocuments(res.stdout).map((d) => d.toJS() as Any).filter(Boolean);
    const sm = docs.find((d) => d.kind === 'ServiceMonitor');
    const scraped = docs
      .filter((d) => d.kind === 'Service' && matches(sm.spec.selector, d.metadata.labels ?? {}))
      .filter((d) => d.spec.ports.some((p: Any) => sm.spec.endpoints.some((e: Any) => e.port === p.name)))
      .map((d) => d.metadata.name);
    expect(scraped).toEqual(['r-peregrine']);
  });
});

describe.skipIf(!helm)('PeregrineDown with the falcosidekick chart key serviceMonitor.enabled', () => {
  it('alerts on absence whenever the chart renders a ServiceMonitor', () => {
    const res = spawnSync(helm as string, ['template', 'r', chart, '--set', 'serviceMonitor.enabled=true', '--set', 'metrics.prometheusRule.enabled=true'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    const docs = YAML.parseAllDocuments(res.stdout).map((d) => d.toJS() as Any).filter(Boolean);
    expect(docs.some((d) => d.kind === 'ServiceMonitor')).toBe(true);
    const rules = docs.find((d) => d.kind === 'PrometheusRule').spec.groups.flatMap((g: Any) => g.rules);
    expect(rules.find((r: Any) => r.alert === 'PeregrineDown').expr).toContain('absent(');
  });
});
