// FastCounter and FastHistogram must show on /metrics exactly as prom-client's Counter and Histogram
// would for the same calls: dashboards and the bench read that text.
import * as PromClient from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastCounter, FastHistogram } from '../../../src/telemetry/series.ts';

const BUCKETS = [0.0001, 0.001, 0.01, 0.1, 1, 5];

/** The same metrics on two registries: prom-client's classes on one, ours on the other. */
function pair() {
  const theirs = new PromClient.Registry();
  const ours = new PromClient.Registry();
  const make = (registers: PromClient.Registry[], fast: boolean) => {
    const counter = (name: string, labelNames: string[]) => (fast ? new FastCounter({ name, help: `${name} help`, labelNames, registers }) : new PromClient.Counter({ name, help: `${name} help`, labelNames, registers }));
    const histogram = (name: string, labelNames: string[]) =>
      fast ? new FastHistogram({ name, help: `${name} help`, labelNames, buckets: BUCKETS, registers }) : new PromClient.Histogram({ name, help: `${name} help`, labelNames, buckets: BUCKETS, registers });
    return {
      sends: counter('t_sends_total', ['output', 'status']),
      plain: counter('t_plain_total', []),
      unused: counter('t_unused_total', ['output']),
      duration: histogram('t_duration_seconds', ['output', 'outcome']),
      ingest: histogram('t_ingest_seconds', []),
      idle: histogram('t_idle_seconds', ['output']),
    };
  };
  return { theirs, ours, a: make([theirs], false), b: make([ours], true) };
}

describe('FastCounter and FastHistogram', () => {
  it('render the same /metrics text and JSON as prom-client for the same calls', async () => {
    const { theirs, ours, a, b } = pair();
    for (const m of [a, b]) {
      m.sends.inc({ output: 'webhook', status: 'ok' }, 3);
      m.sends.inc({ output: 'kafka', status: 'ok' });
      m.sends.inc({ output: 'webhook', status: 'error' }, 2);
      m.sends.inc({ output: 'webhook', status: 'ok' }, 0.5);
      m.sends.labels({ output: 'a"b\\c\nd', status: 'ok' }).inc();
      m.plain.inc();
      m.plain.inc(4);
      // On a bound, inside the first bucket, past the last bound, and zero.
      for (const v of [0.0001, 0.00005, 0.003, 0.1, 7, 0, 1, 5]) m.duration.observe({ output: 'webhook', outcome: 'ok' }, v);
      m.duration.observe({ output: 'kafka', outcome: 'retry' }, 0.02);
      m.ingest.observe(0.0002);
      m.ingest.observe(12);
    }
    const text = await ours.metrics();
    expect(text).toContain('t_duration_seconds_bucket{le="+Inf",output="webhook",outcome="ok"} 8');
    expect(text).toContain('t_plain_total 5');
    expect(text).toBe(await theirs.metrics());
    // prom-client's JSON also carries `exemplar: null` (exemplars are off): the rest is the same.
    const withoutExemplars = (metrics: PromClient.MetricObjectWithValues<PromClient.MetricValue<string>>[]) =>
      metrics.map((m) => ({ ...m, values: m.values.map(({ exemplar: _, ...v }: PromClient.MetricValue<string> & { exemplar?: unknown }) => v) }));
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(withoutExemplars(await theirs.getMetricsAsJSON()));
  });

  it('show counters and histograms without labels at 0 before their first call, and labelled ones not at all', async () => {
    const { theirs, ours } = pair();
    const text = await ours.metrics();
    expect(text).toContain('t_plain_total 0');
    expect(text).toContain('t_ingest_seconds_count 0');
    expect(text).not.toContain('t_unused_total{');
    expect(text).toBe(await theirs.metrics());
  });

  it('reset() forgets every series, as prom-client does', async () => {
    const { theirs, ours, a, b } = pair();
    for (const m of [a, b]) {
      m.sends.inc({ output: 'webhook', status: 'ok' });
      m.duration.observe({ output: 'webhook', outcome: 'ok' }, 1);
      m.sends.reset();
      m.duration.reset();
      m.plain.inc();
      m.plain.reset();
    }
    expect(await ours.metrics()).not.toContain('webhook');
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('refuse what prom-client refuses: a decrease, a value that is not a finite number', () => {
    const { b } = pair();
    expect(() => b.sends.inc({ output: 'webhook', status: 'ok' }, -1)).toThrow(/decrease/);
    expect(() => b.sends.inc({ output: 'webhook', status: 'ok' }, Number.NaN)).toThrow(/not a valid number/);
    expect(() => b.duration.observe({ output: 'webhook', outcome: 'ok' }, Number.POSITIVE_INFINITY)).toThrow(/not a valid number/);
  });

  it('make no series for a refused value', async () => {
    const { theirs, ours, a, b } = pair();
    for (const m of [a, b]) {
      expect(() => m.sends.inc({ output: 'refused', status: 'ok' }, -1)).toThrow();
      expect(() => m.duration.observe({ output: 'refused', outcome: 'ok' }, Number.NaN)).toThrow();
    }
    expect(await ours.metrics()).not.toContain('refused');
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('refuse a name already registered', () => {
    const registry = new PromClient.Registry();
    new FastCounter({ name: 't_once_total', help: 'h', registers: [registry] });
    expect(() => new FastHistogram({ name: 't_once_total', help: 'h', buckets: [1], registers: [registry] })).toThrow(/already been registered/);
  });
});
