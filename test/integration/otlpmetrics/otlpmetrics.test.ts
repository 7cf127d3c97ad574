// The otlpmetrics output against a real OpenTelemetry Collector (otlpreceiver -> fileexporter,
// test/infra/otelcol/): the cumulative counter falcosecurity_falco_rules_matches_total with
// falcosidekick's resource, scope and attributes, one data point per attribute set, over
// http/protobuf, http/json and grpc, exported again while no alert comes; an export the collector
// never got (503 from a fault proxy in front of it) is sent again without counting its alerts twice.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { distinctAlert } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { postEach } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { attr, type OtelcolInfra, readOtlpMetrics, type ReceivedMetric, waitForOtlpMetrics } from '../../infra/otelcol/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

let app: RunningApp | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  proxy = undefined;
});

const s = (v: string) => ({ stringValue: v });
const TAGS = { arrayValue: { values: ['T1059', 'container', 'mitre_execution', 'shell'].map(s) } };
const runOf = (m: ReceivedMetric) => attr(m.sum?.dataPoints?.[0]?.attributes ?? [], 'run')?.stringValue;
const total = (m: ReceivedMetric) => (m.sum?.dataPoints ?? []).reduce((n, p) => n + Number(p.asInt), 0);

/** The data point of one priority as falcosidekick's SDK exports it (attributes in key order). */
const point = (marker: string, priority: string, count: number, startTimeUnixNano: string, timeUnixNano: string) => ({
  attributes: [
    { key: 'hostname', value: s('node-1') },
    { key: 'priority', value: s(priority) },
    { key: 'proc_cmdline', value: s('sh -c id') },
    { key: 'rule', value: s('Terminal shell in container') },
    { key: 'run', value: s(marker) },
    { key: 'source', value: s('syscall') },
    { key: 'tags', value: TAGS },
    { key: 'user_name', value: s('root') },
    { key: 'k8s_pod_name', value: s('') },
  ].sort((a, b) => a.key.localeCompare(b.key)),
  startTimeUnixNano,
  timeUnixNano,
  asInt: String(count),
});

/** The whole metric as the collector wrote it. */
const metric = (points: unknown[]) => ({
  resource: [
    { key: 'service.name', value: s('falco') },
    { key: 'service.version', value: s('0.1.0') },
    { key: 'service.instance.id', value: s(hostname()) },
  ],
  schemaUrl: 'https://opentelemetry.io/schemas/1.23.1',
  scope: { name: 'falcosecurity.falco.otlpmetrics.meter' },
  name: 'falcosecurity_falco_rules_matches_total',
  sum: { dataPoints: points, aggregationTemporality: 2, isMonotonic: true },
});

const config = (endpoint: string, protocol: string, marker: string) =>
  `customfields:\n  run: ${marker}\notlp:\n  metrics:\n    endpoint: ${endpoint}\n    protocol: ${protocol}\n    extraattributes: "proc.cmdline, user.name,k8s.pod.name"\n    batch:\n      flushms: 200\n    retry:\n      initialbackoffms: 200\n`;

describe.skipIf(infraSkipped('otelcol'))('otlpmetrics output against the OpenTelemetry Collector', () => {
  let otel: OtelcolInfra;
  beforeAll(async () => {
    otel = await useInfra<OtelcolInfra>('otelcol');
  });

  it.each(['http/protobuf', 'http/json', 'grpc'])('%s: cumulative counts per attribute set, whole data points', async (protocol) => {
    const marker = randomUUID();
    const before = BigInt(Date.now()) * 1_000_000n;
    app = await startApp(config(protocol === 'grpc' ? otel.grpcEndpoint : `${otel.httpUrl}/v1/metrics`, protocol, marker));
    const mine = (m: ReceivedMetric) => runOf(m) === marker;

    // k8s.pod.name is not text in these alerts' output fields: "" (falcosidekick's rule)
    const json = (i: number, p: 'Notice' | 'Critical') => distinctAlert(marker, i, p).json.replace('"k8s.pod.name":"web-7d9"', '"k8s.pod.name":7');
    await postEach(app, [json(0, 'Notice'), json(1, 'Critical'), json(2, 'Notice')]);
    await waitForOtlpMetrics(otel, (m) => mine(m) && total(m) === 3, { timeoutMs: 30_000 });
    await postEach(app, [json(3, 'Notice'), json(4, 'Notice')]);
    // Then the same counts again while no alert comes (every batch.flushms, at least 1 s).
    await waitForOtlpMetrics(otel, (m) => mine(m) && total(m) === 5, { count: 2, timeoutMs: 30_000 });
    const got = readOtlpMetrics(otel).filter(mine);

    const start = got[0]?.sum?.dataPoints?.[0]?.startTimeUnixNano ?? '';
    expect(BigInt(start)).toBeGreaterThanOrEqual(before);
    const times = got.map((m) => m.sum?.dataPoints?.[0]?.timeUnixNano ?? '');
    expect(times.map(BigInt)).toEqual([...times.map(BigInt)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const last = got.at(-1) as ReceivedMetric;
    const t = last.sum?.dataPoints?.[0]?.timeUnixNano ?? '';
    expect(last).toEqual(metric([point(marker, 'Notice', 4, start, t), point(marker, 'Critical', 1, start, t)]));
    // Every export is the whole counter so far: never more than was posted, never decreasing.
    const totals = got.map(total);
    expect(totals.at(-1)).toBe(5);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(got.every((m) => m.sum?.dataPoints?.every((p) => p.startTimeUnixNano === start))).toBe(true);
  }, 90_000);

  it('an export refused with 503 is sent again and its alerts counted once', async () => {
    const marker = randomUUID();
    let refused = 0;
    // A fault proxy in front of the collector: the first export gets 503, later ones go through.
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (refused++ === 0) {
          res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":14,"message":"injected"}');
          return;
        }
        void request(`${otel.httpUrl}${req.url ?? ''}`, { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: Buffer.concat(chunks) }).then(async (up) => {
          res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type']) }).end(Buffer.from(await up.body.arrayBuffer()));
        });
      });
    });
    await new Promise<void>((resolve) => (proxy as Server).listen(0, '127.0.0.1', resolve));
    const port = ((proxy as Server).address() as AddressInfo).port;
    app = await startApp(config(`http://127.0.0.1:${port}/v1/metrics`, 'http/protobuf', marker));
    const mine = (m: ReceivedMetric) => runOf(m) === marker;

    await postEach(app, [0, 1, 2].map((i) => distinctAlert(marker, i).json));
    await waitForOtlpMetrics(otel, (m) => mine(m) && total(m) === 3, { timeoutMs: 30_000 });
    await postEach(app, [3, 4].map((i) => distinctAlert(marker, i, 'Critical').json));
    await waitForOtlpMetrics(otel, (m) => mine(m) && total(m) === 5, { timeoutMs: 30_000 });
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total', { output: 'otlpmetrics' })) === 5, 30_000, 'delivered');
    expect(await metricValue(app, 'peregrine_retries_total', { output: 'otlpmetrics' })).toBeGreaterThanOrEqual(1);
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'otlpmetrics' })).toBe(0);
    await app.stop(); // no more exports (the counts are exported again while idle)
    app = undefined;
    // Every export but the refused first one reached the collector (once the proxy has forwarded them).
    await waitFor(() => readOtlpMetrics(otel).filter(mine).length === refused - 1, 30_000, 'every export but the first at the collector');
    const got = readOtlpMetrics(otel).filter(mine);
    const counts = got.map((m) => Object.fromEntries((m.sum?.dataPoints ?? []).map((p) => [attr(p.attributes ?? [], 'priority')?.stringValue, Number(p.asInt)])));
    // The three Notice alerts count 3 once they are all in, never 6.
    expect(counts).toContainEqual({ Notice: 3 });
    expect(counts.at(-1)).toEqual({ Notice: 3, Critical: 2 });
    expect(counts.every((c) => (c.Notice ?? 0) <= 3 && (c.Critical ?? 0) <= 2)).toBe(true);
  }, 90_000);
});
