// The splunk output against the HEC test receiver (OpenTelemetry Collector splunkhecreceiver,
// test/infra/splunk/), through a counting proxy that also keeps the raw request bytes.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/plugin/index.ts';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { metricSum } from '../../support/metrics.ts';
import { fixtureText } from '../../support/fixtures.ts';
import { waitFor } from '../../support/receiver.ts';
import { type ReceivedHecEvent, type SplunkInfra, waitForSplunkEvents } from '../../infra/splunk/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { HecProxy } from './hec-proxy.ts';

const ALERT_TIME_NS = 1795170096167531875n; // 2026-11-20T10:21:36.167531875Z, the fixture's time

let app: RunningApp | undefined;
let proxy: HecProxy | undefined;
afterEach(async () => {
  await app?.stop();
  await proxy?.stop();
  app = proxy = undefined;
});

/** The fixture alert with a uuid unique to this test. */
const alertJson = (marker: string, i: number) => falcoAlertJson(i).replace('"uuid":"alert-', `"uuid":"${marker}-`);
const uuidOf = (e: ReceivedHecEvent) => String((e.event as { uuid?: string } | null)?.uuid ?? '');

/** Observations of a histogram for the splunk output (one per request sent). */
function histogramCount(a: RunningApp, name: string): Promise<number> {
  return metricSum(a.metrics.registry, name, { output: 'splunk' }, '_count');
}

async function postAll(target: RunningApp, marker: string, count: number, parallel = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        const res = await target.post(alertJson(marker, i));
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${res.body}`);
      }
    }),
  );
}

describe.skipIf(infraSkipped('splunk'))('splunk output against the HEC receiver', () => {
  let hec: SplunkInfra;
  beforeAll(async () => {
    hec = await useInfra<SplunkInfra>('splunk');
  });

  it('5,000 alerts arrive in batches with time, index, source, sourcetype, host, indexed fields and the full event', async () => {
    const marker = randomUUID();
    const index = `falco-${marker.slice(0, 8)}`;
    proxy = await new HecProxy(hec.url).start();
    app = await startApp(
      `customfields:\n  environment: production\nsplunk:\n  hostport: ${proxy.url}\n  token: ${hec.token}\n  index: ${index}\n  source: falco\n  indexedfields: [rule, priority, source, environment]\n`,
      {},
    );
    const count = 5000;
    const started = performance.now();
    await postAll(app, marker, count);
    const ingestSeconds = (performance.now() - started) / 1000;
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total', { output: 'splunk' })) === count, 60_000, 'delivered');
    const seconds = (performance.now() - started) / 1000;
    const got = await waitForSplunkEvents(hec, (e) => e.index === index, { count, timeoutMs: 30_000 });

    expect(got).toHaveLength(count);
    expect(new Set(got.map(uuidOf)).size).toBe(count);
    const expected = JSON.parse(alertJson(marker, 0)) as Alert;
    for (const e of got) {
      expect(e).toMatchObject({ host: 'node-1', source: 'falco', sourcetype: 'falcosidekick', index });
      expect(e.fields).toEqual({ rule: 'Terminal shell in container', priority: 'Notice', source: 'syscall', environment: 'production' });
      // The receiver turns seconds into nanoseconds through a float64: exact to the microsecond.
      expect(Number(BigInt(e.timeUnixNano ?? '0') - ALERT_TIME_NS)).toBeLessThan(1000);
      expect(Number(BigInt(e.timeUnixNano ?? '0') - ALERT_TIME_NS)).toBeGreaterThan(-1000);
      const event = e.event as Alert;
      expect(event).toMatchObject({ rule: expected.rule, priority: 'Notice', source: 'syscall', hostname: 'node-1', tags: expected.tags, time: expected.time, output: expected.output });
      expect(event.output_fields).toMatchObject({ 'container.id': '1f0a2e5c8d3b', 'proc.aname[2]': null, environment: 'production' });
    }

    // Big integers: the receiver decodes JSON numbers as float64, so check the bytes Peregrine sent.
    const posts = proxy.eventPosts();
    const sent = posts.map((p) => p.body.toString('utf8')).join('\n');
    for (let i = 0; i < count; i += 499) expect(sent).toContain(`"uuid":"${marker}-${i}",`);
    for (let i = 0; i < count; i++) {
      if (!sent.includes(`"evt.time":${1700000000167531875n + BigInt(i)},`)) throw new Error(`evt.time of alert ${i} not sent exactly`);
    }
    expect(sent).toMatch(/^\{"time":1795170096\.167531875,"host":"node-1","source":"falco","sourcetype":"falcosidekick","index":"falco-/);

    // Batched: far fewer requests than alerts.
    const batches = await histogramCount(app, 'peregrine_batch_alerts');
    console.log(`[splunk] ${count} alerts posted in ${ingestSeconds.toFixed(2)} s, delivered (HEC answered) in ${seconds.toFixed(2)} s (${Math.round(count / seconds)} alerts/s), ${posts.length} HEC requests (${(posts.length / count).toFixed(4)} requests/alert)`);
    expect(posts.length).toBeLessThan(count / 20);
    expect(batches).toBe(posts.length);
    expect(app.deadLetters.size()).toBe(0);
  });

  it('a wrong token: 401 from HEC, /healthz failing, alerts kept queued, all delivered once HEC accepts', async () => {
    const marker = randomUUID();
    const index = `falco-${marker.slice(0, 8)}`;
    proxy = await new HecProxy(hec.url).start();
    let fixed = false;
    // The app runs with a wrong token; "fixing" it = the proxy swapping in the right one.
    proxy.decide = () => (fixed ? { kind: 'forward', headers: { authorization: `Splunk ${hec.token}` } } : { kind: 'forward' });
    app = await startApp(
      `splunk:\n  hostport: ${proxy.url}\n  token: 00000000-0000-0000-0000-000000000000\n  index: ${index}\n  timeoutms: 2000\n  retry:\n    initialbackoffms: 50\n    maxbackoffms: 500\n  queue:\n    maxalerts: 1000\n`,
      { healthIntervalMs: 200 },
    );
    await postAll(app, marker, 200);
    const worker = app.workers.find((w) => w.name === 'splunk');
    // Failing from the healthcheck's token probe first, and from refused sends as well.
    await waitFor(() => worker?.healthSnapshot().state === 'failing' && worker.healthSnapshot().consecutiveFailures >= 2, 10_000, 'failing');
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { status: string; outputs: { splunk: { state: string; queued: number; inflight: number; lastError: string } } };
    expect(health.status).toBe('degraded');
    expect(health.outputs.splunk.state).toBe('failing');
    expect(health.outputs.splunk.queued + health.outputs.splunk.inflight).toBe(200);
    expect(health.outputs.splunk.lastError).toMatch(/401|token refused/);
    expect(health.outputs.splunk.lastError).toContain('check splunk.token');
    expect(JSON.stringify(health)).not.toContain(hec.token);
    expect(app.deadLetters.size()).toBe(0);
    expect(proxy.eventPosts().length).toBeGreaterThan(0); // it did try, and HEC refused

    fixed = true;
    const got = await waitForSplunkEvents(hec, (e) => e.index === index, { count: 200, timeoutMs: 20_000 });
    expect(new Set(got.map(uuidOf)).size).toBe(200);
    await waitFor(() => app?.workers.find((w) => w.name === 'splunk')?.healthSnapshot().state === 'ok', 10_000, 'ok again');
    expect(app.deadLetters.size()).toBe(0);
  });

  it('with useack: alerts count as delivered only after HEC acknowledges them', async () => {
    const marker = randomUUID();
    const index = `falco-${marker.slice(0, 8)}`;
    proxy = await new HecProxy(hec.ackUrl).start();
    let hold = true;
    // While held, the proxy answers ack polls "not yet" itself; then it lets them reach the receiver.
    proxy.decide = (req) => {
      if (hold && req.url === '/services/collector/ack') {
        const ids = (JSON.parse(req.body.toString()) as { acks: number[] }).acks;
        return { kind: 'answer', status: 200, body: JSON.stringify({ acks: Object.fromEntries(ids.map((id) => [String(id), false])) }) };
      }
      return { kind: 'forward' };
    };
    app = await startApp(
      `splunk:\n  hostport: ${proxy.url}\n  token: ${hec.token}\n  index: ${index}\n  useack: true\n  ackpollms: 50\n  acktimeoutms: 20000\n  timeoutms: 30000\n  batch:\n    maxevents: 50\n    flushms: 5000\n`,
      {},
    );
    await postAll(app, marker, 50);
    // The events reach the receiver, yet none counts as delivered while the ack is withheld.
    await waitForSplunkEvents(hec, (e) => e.index === index, { count: 50, timeoutMs: 10_000 });
    await waitFor(() => (proxy?.requests.filter((r) => r.url === '/services/collector/ack').length ?? 0) >= 5, 10_000, 'ack polls');
    expect(await metricValue(app, 'peregrine_delivered_total', { output: 'splunk' })).toBe(0);
    expect(app.workers.find((w) => w.name === 'splunk')?.healthSnapshot().inflight).toBe(50);

    hold = false;
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total', { output: 'splunk' })) === 50, 10_000, 'delivered after ack');
    const posts = proxy.eventPosts();
    expect(posts).toHaveLength(1);
    const channel = posts[0]?.headers['x-splunk-request-channel'];
    expect(channel).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(proxy.requests.filter((r) => r.url === '/services/collector/ack').every((r) => r.headers['x-splunk-request-channel'] === channel)).toBe(true);
  });

  it('with useack: an ack that never comes makes Peregrine re-send the batch (at-least-once)', async () => {
    const marker = randomUUID();
    const index = `falco-${marker.slice(0, 8)}`;
    proxy = await new HecProxy(hec.ackUrl).start();
    let polls = 0;
    // The first request's ack is "lost": every poll for it says false until acktimeoutms passes.
    proxy.decide = (req) => {
      if (req.url !== '/services/collector/ack') return { kind: 'forward' };
      const ids = (JSON.parse(req.body.toString()) as { acks: number[] }).acks;
      if (proxy?.eventPosts().length === 1) {
        polls++;
        return { kind: 'answer', status: 200, body: JSON.stringify({ acks: Object.fromEntries(ids.map((id) => [String(id), false])) }) };
      }
      return { kind: 'forward' };
    };
    app = await startApp(
      `splunk:\n  hostport: ${proxy.url}\n  token: ${hec.token}\n  index: ${index}\n  useack: true\n  ackpollms: 50\n  acktimeoutms: 500\n  timeoutms: 5000\n  retry:\n    initialbackoffms: 20\n  batch:\n    maxevents: 10\n    flushms: 5000\n`,
      {},
    );
    await postAll(app, marker, 10, 1);
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total', { output: 'splunk' })) === 10, 15_000, 'delivered');
    expect(polls).toBeGreaterThanOrEqual(3);
    // The batch failed whole: one alert goes alone first (is HEC taking events? src/dispatch/set-aside.ts),
    // then the other nine together. Not halved: nothing was delivered between its failures.
    expect(proxy.eventPosts().map((post) => post.body.toString().match(/"uuid":"/g)?.length)).toEqual([10, 1, 9]);
    // Every send reached the receiver: HEC never said the first was lost, so this is at-least-once.
    const got = await waitForSplunkEvents(hec, (e) => e.index === index, { count: 20, timeoutMs: 10_000 });
    expect(new Set(got.map(uuidOf)).size).toBe(10);
  });

  it('the user\'s seed block (test/fixtures/config/seed.yaml) works unchanged, only hostport/token pointed at the receiver', async () => {
    const seed = fixtureText('config/seed.yaml');
    const block = /^splunk:\n(?: {2}.*\n)+/m.exec(seed)?.[0] ?? '';
    const globals = /^customfields:\n(?: {2}.*\n)+templatedfields:\n(?: {2}.*\n)+/m.exec(seed)?.[0] ?? '';
    expect(block).toContain('sourcetype: "_json"');
    const yaml = block
      .replace(/hostport: ".*"/, `hostport: "${hec.url}"`)
      .replace(/token: ".*"/, `token: "${hec.token}"`);
    expect(yaml.split('\n').filter((l) => !/hostport|token/.test(l))).toEqual(block.split('\n').filter((l) => !/hostport|token/.test(l)));
    app = await startApp(`${globals}${yaml}`);
    const marker = randomUUID();
    await postAll(app, marker, 3, 1);
    const got = await waitForSplunkEvents(hec, (e) => uuidOf(e).startsWith(marker), { count: 3, timeoutMs: 15_000 });
    for (const e of got) {
      expect(e).toMatchObject({ index: 'falco', source: 'falco', sourcetype: '_json', host: 'node-1', fields: {} });
      expect((e.event as Alert).output_fields).toMatchObject({ environment: 'production', cluster_name: 'us-east-1-prod', team: 'platform', data_classification: 'internal', severity_score: '1' });
    }
  });
});
