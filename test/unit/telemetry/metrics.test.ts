// The per-alert counters count in plain Maps and reach prom-client at scrape time: what a scrape
// shows must equal what was counted, scrape after scrape, and the events series stay bounded.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alert/alert.ts';
import { Metrics } from '../../../src/telemetry/metrics.ts';
import { metricSum } from '../../support/metrics.ts';

const INPUTS = 'falcosecurity_falcosidekick_inputs_total';
const EVENTS = 'falcosecurity_falcosidekick_falco_events_total';

function alert(rule: string, fields: Record<string, unknown> = {}): Alert {
  return { uuid: 'u', output: '', priority: 'Warning', rule, time: '2026-11-20T10:21:36Z', output_fields: fields, source: 'syscalls', tags: [], hostname: 'node-1' };
}

describe('Metrics counters', () => {
  it('inputs_total shows every accepted and rejected alert, and scraping twice does not double it', async () => {
    const m = new Metrics({ defaultMetrics: false });
    for (let i = 0; i < 5; i++) m.countInput('requestbody', 'accepted');
    m.countInput('requestbody', 'rejected');
    m.countInput('test', 'accepted');
    expect(await metricSum(m.registry, INPUTS, { source: 'requestbody', status: 'accepted' })).toBe(5);
    expect(await metricSum(m.registry, INPUTS, { source: 'requestbody', status: 'rejected' })).toBe(1);
    m.countInput('requestbody', 'accepted');
    expect(await metricSum(m.registry, INPUTS, { source: 'requestbody', status: 'accepted' })).toBe(6);
    expect(await metricSum(m.registry, INPUTS)).toBe(8);
  });

  it('falco_events_total has one series per rule/priority/host/namespace, with big-integer namespaces as digits', async () => {
    const m = new Metrics({ defaultMetrics: false });
    m.countEvent(alert('Shell', { 'k8s.ns.name': 'default' }), 'Warning');
    m.countEvent(alert('Shell', { 'k8s.ns.name': 'default' }), 'Warning');
    m.countEvent(alert('Shell', { 'k8s.ns.name': 'prod' }), 'warning');
    m.countEvent(alert('Odd', { 'k8s.ns.name': JSON.rawJSON('12345678901234567890') }), 'Warning');
    expect(await metricSum(m.registry, EVENTS, { rule: 'Shell', k8s_ns_name: 'default', priority_raw: 'Warning' })).toBe(2);
    expect(await metricSum(m.registry, EVENTS, { rule: 'Shell', k8s_ns_name: 'prod', priority_raw: 'warning' })).toBe(1);
    expect(await metricSum(m.registry, EVENTS, { rule: 'Odd', k8s_ns_name: '12345678901234567890' })).toBe(1);
    expect(await metricSum(m.registry, EVENTS, { hostname: 'node-1', priority: 'Warning' })).toBe(4);
  });

  it('folds new series into "_other" past 2,000 and still counts every alert', async () => {
    const m = new Metrics({ defaultMetrics: false });
    for (let i = 0; i < 2_100; i++) m.countEvent(alert(`rule-${i}`), 'Warning');
    m.countEvent(alert('rule-5'), 'Warning'); // an existing series keeps counting on its own
    const values = (await m.registry.getMetricsAsJSON()).find((x) => x.name === EVENTS)?.values ?? [];
    expect(values).toHaveLength(2_001);
    expect(await metricSum(m.registry, EVENTS, { rule: '_other', hostname: '_other', k8s_ns_name: '_other' })).toBe(100);
    expect(await metricSum(m.registry, EVENTS, { rule: 'rule-5' })).toBe(2);
    expect(await metricSum(m.registry, EVENTS)).toBe(2_101);
  });
});
