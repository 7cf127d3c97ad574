// The per-alert counters count in plain Maps and reach prom-client at scrape time: what a scrape
// shows must equal what was counted, scrape after scrape, and the events series stay bounded.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alert/alert.ts';
import { Metrics } from '../../../src/telemetry/metrics.ts';
import { metricSum } from '../../support/metrics.ts';

const INPUTS = 'falcosecurity_falcosidekick_inputs_total';
const EVENTS = 'falcosecurity_falcosidekick_falco_events_total';

function alert(rule: string, fields: Record<string, unknown> = {}, priority: Alert['priority'] = 'Warning'): Alert {
  return { uuid: 'u', output: '', priority, rule, time: '2026-11-20T10:21:36Z', output_fields: fields, source: 'syscalls', tags: [], hostname: 'node-1' };
}

describe('Metrics counters', () => {
  it('inputs_total shows every accepted and rejected alert, and scraping twice does not double it', async () => {
    const m = new Metrics({ defaultMetrics: false });
    for (let i = 0; i < 5; i++) m.countInput('requests', 'accepted');
    m.countInput('requests', 'rejected');
    m.countInput('test', 'accepted');
    expect(await metricSum(m.registry, INPUTS, { source: 'requests', status: 'accepted' })).toBe(5);
    expect(await metricSum(m.registry, INPUTS, { source: 'requests', status: 'rejected' })).toBe(1);
    m.countInput('requests', 'accepted');
    expect(await metricSum(m.registry, INPUTS, { source: 'requests', status: 'accepted' })).toBe(6);
    expect(await metricSum(m.registry, INPUTS)).toBe(8);
  });

  it('falco_events_total has falcosidekick\'s labels: priority as a number, priority_raw lower-case, namespace, pod (opt-in)', async () => {
    const m = new Metrics({ defaultMetrics: false });
    m.countEvent(alert('Shell', { 'k8s.ns.name': 'default', 'k8s.pod.name': 'web-1' }));
    m.countEvent(alert('Shell', { 'k8s.ns.name': 'default', 'k8s.pod.name': 'web-2' }));
    m.countEvent(alert('Shell', { 'k8s.ns.name': 'prod' }, 'Informational'));
    m.countEvent(alert('Odd', { 'k8s.ns.name': JSON.rawJSON('12345678901234567890') }));
    expect(await metricSum(m.registry, EVENTS, { rule: 'Shell', k8s_ns_name: 'default', priority: '4', priority_raw: 'warning', k8s_pod_name: '' })).toBe(2);
    expect(await metricSum(m.registry, EVENTS, { rule: 'Shell', k8s_ns_name: 'prod', priority: '2', priority_raw: 'informational' })).toBe(1);
    expect(await metricSum(m.registry, EVENTS, { rule: 'Odd', k8s_ns_name: '12345678901234567890' })).toBe(1);
    expect(await metricSum(m.registry, EVENTS, { hostname: 'node-1', source: 'syscalls' })).toBe(4);

    // Values holding the series key's separator stay apart (alert content may hold U+0000).
    m.countEvent({ ...alert('b\u0000c'), hostname: 'a' });
    m.countEvent({ ...alert('c'), hostname: 'a\u0000b' });
    expect(await metricSum(m.registry, EVENTS, { hostname: 'a', rule: 'b\uFFFDc' })).toBe(1);
    expect(await metricSum(m.registry, EVENTS, { hostname: 'a\uFFFDb', rule: 'c' })).toBe(1);

    const pods = new Metrics({ defaultMetrics: false, events: { podlabel: true } });
    pods.countEvent(alert('Shell', { 'k8s.pod.name': 'web-1' }));
    expect(await metricSum(pods.registry, EVENTS, { k8s_pod_name: 'web-1' })).toBe(1);
  });

  it('falco_events_total has one label per customfield, templatedfield and prometheus.extralabels key (dots → _)', async () => {
    const m = new Metrics({
      defaultMetrics: false,
      events: { customfields: { cluster: 'eu-1', 'bad-key': 'x' }, templatedfields: ['team'], extralabels: ['container.image.repository', 'proc.pid'] },
    });
    m.countEvent(alert('Shell', { team: 'checkout', 'container.image.repository': 'nginx', 'proc.pid': 42 }));
    const series = (await m.registry.getMetricsAsJSON()).find((x) => x.name === EVENTS)?.values ?? [];
    expect(series[0]?.labels).toEqual({
      hostname: 'node-1',
      rule: 'Shell',
      priority: '4',
      priority_raw: 'warning',
      source: 'syscalls',
      k8s_ns_name: '',
      k8s_pod_name: '',
      cluster: 'eu-1',
      team: 'checkout',
      container_image_repository: 'nginx',
      proc_pid: '', // falcosidekick labels only string fields
    });
  });

  it('folds new series into "_other" past 2,000 and still counts every alert', async () => {
    const m = new Metrics({ defaultMetrics: false });
    for (let i = 0; i < 2_100; i++) m.countEvent(alert(`rule-${i}`));
    m.countEvent(alert('rule-5')); // an existing series keeps counting on its own
    const values = (await m.registry.getMetricsAsJSON()).find((x) => x.name === EVENTS)?.values ?? [];
    expect(values).toHaveLength(2_001);
    expect(await metricSum(m.registry, EVENTS, { rule: '_other', hostname: '_other', k8s_ns_name: '_other' })).toBe(100);
    expect(await metricSum(m.registry, EVENTS, { rule: 'rule-5' })).toBe(2);
    expect(await metricSum(m.registry, EVENTS)).toBe(2_101);
  });
});
