// influxdb against VictoriaMetrics' InfluxDB line-protocol API (/write and /api/v2/write): 1,000
// alerts come back as 1,000 points with their alert times; an alert with every character the line
// protocol escapes comes back with the exact labels; the precision unit and the timestamps agree.
// VictoriaMetrics is not InfluxDB: it keeps no string field text (line.test.ts checks the `value`
// field against the line-protocol rules) and never answers 401/404 (classify.test.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochNanos } from '../../../src/alert/time.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { postInOrder } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { waitForPoints, type VictoriaMetricsInfra } from '../../infra/victoriametrics/state.ts';


describe.skipIf(infraSkipped('victoriametrics'))('influxdb against VictoriaMetrics', () => {
  let vm: VictoriaMetricsInfra;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    vm = await useInfra<VictoriaMetricsInfra>('victoriametrics');
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
  });

  async function start(run: string, section: string): Promise<RunningApp> {
    const app = await startApp(`customfields:\n  run: "${run}"\ninfluxdb:\n  hostport: ${vm.url}\n  batch:\n    flushms: 50\n${section}`);
    apps.push(app);
    return app;
  }

  it('/write (1.x): 1,000 alerts arrive as 1,000 points at their alert times, labelled as falcosidekick tags them', { timeout: 60_000 }, async () => {
    const run = `v1-${randomUUID().slice(0, 8)}`;
    const times = Array.from({ length: 1000 }, (_, i) => new Date(Date.parse('2026-11-20T10:21:36Z') + i).toISOString().replace('Z', '531875Z'));
    const app = await start(run, '');
    await postInOrder(app, run, 1000, { time: (i) => times[i] as string });
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 1000, 30_000, '1,000 deliveries');
    const series = await waitForPoints(vm, `{__name__="events_value",run="${run}"}`, 1000);
    expect(series).toHaveLength(1);
    expect(series[0]?.metric).toEqual({
      __name__: 'events_value',
      db: 'falco',
      rule: 'Terminal_shell_in_container',
      priority: 'Notice',
      source: 'syscall',
      'container.id': '1f0a2e5c8d3b',
      'k8s.ns.name': 'default',
      'k8s.pod.name': 'web-7d9',
      'proc.cmdline': 'sh_-c_id',
      'user.name': 'root',
      run,
      hostname: 'node-1',
      tags: 'T1059_container_mitre_execution_shell',
    });
    // VictoriaMetrics keeps milliseconds: each alert's time, once.
    expect([...(series[0]?.timestamps ?? [])].sort((a, b) => a - b)).toEqual(times.map((t) => Number(epochNanos(t) / 1_000_000n)));
    expect(app.deadLetters.size()).toBe(0);
  });

  it('every character the line protocol escapes comes back exactly in the labels', async () => {
    const run = `esc-${randomUUID().slice(0, 8)}`;
    const app = await start(run, '');
    const alert = {
      uuid: run,
      output: 'out "quoted" \\ back\nslash',
      priority: 'critical',
      rule: 'Rule, with = signs',
      time: '2026-11-20T10:21:36.5Z',
      source: 'k8s audit',
      hostname: 'host name,1',
      tags: ['a b', 'c=d'],
      output_fields: { 'key with space': 'v,1', 'k=2': 'ends\\', path: 'C:\\Windows', 'multi.line': 'x\ny', n: 42, z: null, empty: '' },
    };
    expect((await app.post(JSON.stringify(alert))).status).toBe(200);
    const [series] = await waitForPoints(vm, `{__name__="events_value",run="${run}"}`, 1);
    expect(series?.metric).toEqual({
      __name__: 'events_value',
      db: 'falco',
      rule: 'Rule,_with_=_signs',
      priority: 'Critical',
      source: 'k8s audit',
      'k=2': 'ends\\',
      'key with space': 'v,1',
      'multi.line': 'x_y',
      path: 'C:\\Windows',
      run,
      hostname: 'host name,1',
      tags: 'a b_c=d',
    });
    expect(series?.timestamps).toEqual([Date.parse('2026-11-20T10:21:36.500Z')]);
  });

  it('/api/v2/write (organization, bucket, token) with precision s: the timestamps are whole seconds of the alert time', async () => {
    const run = `v2-${randomUUID().slice(0, 8)}`;
    const app = await start(run, '  organization: falco-org\n  bucket: alerts\n  token: not-checked-by-victoriametrics\n  precision: s\n');
    await postInOrder(app, run, 3, { time: (i) => `2026-11-20T10:21:3${i}.987654321Z` });
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 3, 20_000, '3 deliveries');
    const series = await waitForPoints(vm, `{__name__="events_value",run="${run}"}`, 3);
    expect(series.map((s) => s.metric.db)).toEqual([undefined]);
    expect(series[0]?.timestamps).toEqual([0, 1, 2].map((i) => Date.parse(`2026-11-20T10:21:3${i}Z`)));
  });

  it('precision ms over /write: millisecond timestamps read as such', async () => {
    const run = `ms-${randomUUID().slice(0, 8)}`;
    const app = await start(run, '  precision: ms\n');
    await postInOrder(app, run, 2, { time: (i) => `2026-11-20T10:21:36.12${i}999999Z` });
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 2, 20_000, '2 deliveries');
    const series = await waitForPoints(vm, `{__name__="events_value",run="${run}"}`, 2);
    expect(series[0]?.timestamps).toEqual([Date.parse('2026-11-20T10:21:36.120Z'), Date.parse('2026-11-20T10:21:36.121Z')]);
  });
});
