// alertmanager against two real Alertmanager 0.35 processes (test/infra/alertmanager), read back
// through Alertmanager's own API (GET /api/v2/alerts): labels, annotations, startsAt/endsAt, every
// hostport receiving every alert, Alertmanager's own rejections (410 for v1, 400 for an invalid alert).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeAlert, toAlert } from '../../../src/alert/alert.ts';
import { PRIORITIES } from '../../../src/alert/priority.ts';
import plugin, { type AlertmanagerClient } from '../../../outputs/alertmanager/index.ts';
import { alertmanagerSchema } from '../../../outputs/alertmanager/options.ts';
import type { PostableAlert } from '../../../outputs/alertmanager/payload.ts';
import { fixtureText, fixtureJson } from '../../support/fixtures.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { metricSum } from '../../support/metrics.ts';
import { connectContext, sendContext } from '../../support/plugin-context.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';
import type { AlertmanagerInfra } from '../../infra/alertmanager/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

const SEVERITY = { Debug: 'information', Informational: 'information', Notice: 'information', Warning: 'warning', Error: 'warning', Critical: 'critical', Alert: 'critical', Emergency: 'critical' };

describe.skipIf(infraSkipped('alertmanager'))('alertmanager against Alertmanager 0.35', () => {
  let am: AlertmanagerInfra;
  const apps: RunningApp[] = [];
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    am = await useInfra<AlertmanagerInfra>('alertmanager');
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    for (const r of receivers) await r.stop();
  });

  async function start(hostports: string[], extra = '', batch = 'flushms: 50'): Promise<{ app: RunningApp; run: string }> {
    const run = `it-${randomUUID().slice(0, 8)}`;
    const app = await startApp(
      `alertmanager:\n  hostport: "${hostports.join(',')}"\n  extralabels: "run:${run}"\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 200\n  batch: { ${batch} }\n${extra}`,
    );
    apps.push(app);
    return { app, run };
  }

  /** Alertmanager's view: the alerts carrying the test's run label. */
  async function alertsOf(url: string, run: string): Promise<GettableAlert[]> {
    const res = await fetch(`${url}/api/v2/alerts?filter=${encodeURIComponent(`run="${run}"`)}`);
    expect(res.status).toBe(200);
    return (await res.json()) as GettableAlert[];
  }

  const fixtureAlerts = (): unknown[] => JSON.parse(fixtureText('alerts/by-priority.json').replace(/"evt\.time":\d+/g, '"evt.time":1')) as unknown[];

  it('8 alerts (every priority) reach both hostports with falcosidekick\'s labels and annotations, startsAt = alert time', async () => {
    const { app, run } = await start(am.urls);
    for (const alert of fixtureAlerts()) expect((await app.post(alert)).status).toBe(200);
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 8, 20_000, '8 deliveries');

    for (const url of am.urls) {
      const got = await alertsOf(url, run);
      expect(got).toHaveLength(8);
      for (const priority of PRIORITIES) {
        const a = got.find((g) => g.labels.priority === priority);
        expect(a, `${priority} at ${url}`).toBeDefined();
        expect(a?.labels).toMatchObject({ severity: SEVERITY[priority], source: 'falco', run });
        expect(a?.labels.alertname).toBe(a?.labels.rule);
        expect(a?.status.state).toBe('active');
      }
      // The Notice shell alert: exactly the labels and annotations of the shared fixture (evt.time
      // replaced above), startsAt at Alertmanager's millisecond precision, endsAt = resolve_timeout.
      const expected = fixtureJson<PostableAlert>('alertmanager/notice-postable.json');
      const notice = got.find((g) => g.labels.priority === 'Notice') as GettableAlert;
      expect(notice.labels).toEqual({ ...expected.labels, evt_time: '1', run });
      expect(notice.annotations).toEqual(expected.annotations);
      expect(notice.startsAt).toBe('2026-11-20T10:21:36.167Z');
      expect(Date.parse(notice.endsAt) - Date.now()).toBeGreaterThan(60_000); // now + resolve_timeout (5 min)
    }
  });

  it('1,000 distinct alerts reach both Alertmanagers complete, in a few batches (measured)', async () => {
    const { app, run } = await start(am.urls, '', 'flushms: 200');
    const template = fixtureText('alerts/falco-shell.json');
    const started = performance.now();
    for (let i = 0; i < 1000; i++) await app.post(template.replace('"proc.cmdline":"sh -c id"', `"proc.cmdline":"sh -c id ${i}"`));
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 1000, 60_000, '1,000 deliveries');
    const seconds = (performance.now() - started) / 1000;
    const batches = await metricSum(app.metrics.registry, 'peregrine_batch_alerts', { output: 'alertmanager' }, '_count');
    console.log(`[alertmanager] 1,000 alerts to 2 Alertmanagers in ${seconds.toFixed(2)} s (${Math.round(1000 / seconds)} alerts/s), ${batches} batches`);
    for (const url of am.urls) {
      const got = await alertsOf(url, run);
      expect(got).toHaveLength(1000);
      expect(new Set(got.map((a) => a.labels.proc_cmdline)).size).toBe(1000);
    }
    expect(app.deadLetters.size()).toBe(0);
  });

  it('expiresafter: endsAt = alert time + expiresafter, as Alertmanager stores it', async () => {
    const { app, run } = await start([am.urls[0] as string], '  expiresafter: 3600\n');
    const time = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', '.123456789Z');
    await app.post({ rule: 'Expiring rule', priority: 'Warning', time, output: 'expiring', output_fields: { 'proc.name': 'sh' } });
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 1, 20_000, 'delivery');
    const [a] = await alertsOf(am.urls[0] as string, run);
    expect(a?.startsAt).toBe(time.replace('.123456789Z', '.123Z'));
    expect(Date.parse(a?.endsAt ?? '') - Date.parse(time)).toBe(3_600_000);
    expect(a?.labels).toMatchObject({ alertname: 'Expiring rule', proc_name: 'sh', severity: 'warning', eventsource: 'syscalls' });
  });

  it('endpoint /api/v1/alerts: Alertmanager answers 410, the alert is dead-lettered with the fix, not retried', async () => {
    const { app } = await start([am.urls[0] as string], '  endpoint: /api/v1/alerts\n');
    await app.post(fixtureAlerts()[2]);
    await waitFor(() => app.deadLetters.size() === 1, 20_000, 'dead letter');
    const [dead] = app.deadLetters.list();
    expect(dead).toMatchObject({ output: 'alertmanager', reason: 'rejected', attempts: 1 });
    expect(dead?.detail).toBe(
      `${am.urls[0]}/api/v1/alerts: HTTP 410: {"status":"deprecated","error":"The Alertmanager v1 API was deprecated in version 0.16.0 and is removed as of version 0.27.0 - please use the equivalent route in the v2 API"} (Alertmanager ≥ 0.27 has no v1 API: set endpoint: /api/v2/alerts)`,
    );
  });

  it('a batch with one alert Alertmanager refuses (endsAt before startsAt): 400, dead-lettered with its message; Alertmanager kept the valid one', async () => {
    // Our builder never produces an invalid alert, so the test corrupts one after it: what is under
    // test is Alertmanager's answer to a mixed batch and how it is classified.
    const run = `bad-${randomUUID().slice(0, 8)}`;
    const options = alertmanagerSchema.parse({ hostport: am.urls[0], extralabels: { run } });
    const client = (await plugin.connect?.(options, connectContext('alertmanager'))) as AlertmanagerClient;
    const build = client.body;
    client.body = (alerts, o) => {
      const body = JSON.parse(build(alerts, o)) as PostableAlert[];
      (body[1] as PostableAlert).endsAt = '2020-01-01T00:00:00Z';
      return JSON.stringify(body);
    };
    const alerts = ['Valid rule', 'Invalid rule'].map((rule) => freezeAlert(toAlert({ rule, priority: 'Error', time: new Date().toISOString(), output_fields: { a: 'b' } })));
    try {
      const result = await plugin.sendBatch(alerts, sendContext(options, client));
      expect(result).toEqual({
        kind: 'fail',
        reason: `${am.urls[0]}/api/v2/alerts: HTTP 400: "start time must be before end time" (Alertmanager stored the valid alerts of this batch of 2 and does not say which it refused)`,
      });
      expect((await alertsOf(am.urls[0] as string, run)).map((a) => a.labels.alertname)).toEqual(['Valid rule']);
    } finally {
      await plugin.close?.(client);
    }
  });

  it('one hostport answers 503 twice: the alerts are re-sent to both; the real Alertmanager holds each alert once', async () => {
    const flaky = await new Receiver().start();
    receivers.push(flaky);
    let posts = 0;
    flaky.setBehaviour((req) => (req.method !== 'POST' ? { kind: 'ok', body: 'OK' } : ++posts <= 2 ? { kind: 'status', status: 503, body: 'unavailable' } : { kind: 'ok', body: '' }));
    const { app, run } = await start([am.urls[1] as string, flaky.url('')], '', 'maxevents: 3, flushms: 5000');
    for (const alert of fixtureAlerts().slice(0, 3)) await app.post(alert);
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 3, 20_000, '3 deliveries');
    // The batch of 3 fails (503); the next request is one alert (is it back?), which fails too; then
    // another alert alone, accepted; then the two left together. Nothing halved: only the destination failed.
    expect(posts).toBe(4);
    expect(await metricValue(app, 'peregrine_retries_total', { output: 'alertmanager' })).toBe(4);
    const got = await alertsOf(am.urls[1] as string, run);
    expect(got.map((a) => a.labels.priority).sort()).toEqual(['Debug', 'Informational', 'Notice']);
    expect(app.deadLetters.size()).toBe(0);
  });
});
