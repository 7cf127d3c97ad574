// The otlpmetrics plugin: falcosidekick's attribute set per alert, the cumulative counts (a retried
// batch is not counted twice, a refused one not at all, at most CARDINALITY_LIMIT sets), the request
// in both encodings (protobuf byte for byte as @opentelemetry/otlp-transformer writes it), and the
// answers it classifies, against an in-process OTLP stand-in.
import { hostname } from 'node:os';
import { ValueType } from '@opentelemetry/api';
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { thawAlert } from '../../src/alert/serialize.ts';
import { outputSchema } from '../../src/config/schema.ts';
import type { Alert } from '../../src/plugin/index.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { connectContext } from '../../test/support/plugin-context.ts';
import { Receiver, type Behaviour } from '../../test/support/receiver.ts';
import { addAlerts, attributePlan, attributesOf, CARDINALITY_LIMIT, type Series } from './counter.ts';
import { encodeJson, encodeProtobuf, resourceOf } from './encode.ts';
import otlpmetrics from './index.ts';
import type { MetricsOptions } from './options.ts';

type MetricsClient = Awaited<ReturnType<NonNullable<typeof otlpmetrics.connect>>>;

const alertWith = (change: Record<string, unknown>, i = 0): Alert => thawAlert(JSON.stringify({ ...(JSON.parse(falcoAlertJson(i)) as object), ...change }));
const noPlan = attributePlan([], []).plan;
const s = (value: string) => ({ kind: 'string' as const, value });
const js = (value: string) => ({ stringValue: value });
const FIXTURE_TAGS = ['T1059', 'container', 'mitre_execution', 'shell'];

describe('attributes (falcosidekick handlers.go)', () => {
  it('source, priority, rule, hostname and tags, in key order', () => {
    expect(attributesOf(thawAlert(falcoAlertJson(0, 'Critical')), noPlan)).toEqual([
      { key: 'hostname', value: s('node-1') },
      { key: 'priority', value: s('Critical') },
      { key: 'rule', value: s('Terminal shell in container') },
      { key: 'source', value: s('syscall') },
      { key: 'tags', value: { kind: 'array', values: FIXTURE_TAGS.map(s) } },
    ]);
  });

  it('hostname "unknown" when the alert has none; tags an empty list when it has none', () => {
    const attrs = attributesOf(alertWith({ hostname: '', tags: [] }), noPlan);
    expect(attrs.find((a) => a.key === 'hostname')?.value).toEqual(s('unknown'));
    expect(attrs.find((a) => a.key === 'tags')?.value).toEqual({ kind: 'array', values: [] });
  });

  it('customfields and extraattributes with dots as underscores; a field that is absent or not text is ""', () => {
    const { plan, skipped } = attributePlan(['env', 'team.name', 'bad-name'], ['proc.cmdline', 'evt.time', 'fd.name']);
    expect(skipped).toEqual(['bad-name']);
    const alert = alertWith({ output_fields: { env: 'prod', 'team.name': 'sec', 'bad-name': 'x', 'proc.cmdline': 'sh -c id', 'evt.time': 42 } });
    expect(attributesOf(alert, plan).map((a) => [a.key, a.value])).toEqual([
      ['env', s('prod')],
      ['evt_time', s('')],
      ['fd_name', s('')],
      ['hostname', s('node-1')],
      ['priority', s('Notice')],
      ['proc_cmdline', s('sh -c id')],
      ['rule', s('Terminal shell in container')],
      ['source', s('syscall')],
      ['tags', { kind: 'array', values: FIXTURE_TAGS.map(s) }],
      ['team_name', s('sec')],
    ]);
  });

  it('an extra attribute named like a fixed one replaces it, as in an OTel attribute set', () => {
    const { plan } = attributePlan([], ['rule']);
    expect(attributesOf(alertWith({ output_fields: { rule: 'from the field' } }), plan).find((a) => a.key === 'rule')?.value).toEqual(s('from the field'));
  });
});

describe('cumulative counts', () => {
  it('counts per attribute set and leaves the counts it was given as they were', () => {
    const first = addAlerts(new Map(), [alertWith({}), alertWith({}, 1), alertWith({ priority: 'Critical' })], noPlan);
    expect([...first.values()].map((x) => [x.attributes[1]?.value, x.count])).toEqual([
      [s('Notice'), 2],
      [s('Critical'), 1],
    ]);
    const second = addAlerts(first, [alertWith({ priority: 'Critical' })], noPlan);
    expect([...second.values()].map((x) => x.count)).toEqual([2, 2]);
    expect([...first.values()].map((x) => x.count)).toEqual([2, 1]);
  });

  it(`at most ${CARDINALITY_LIMIT} sets: beyond, alerts count into the otel.metric.overflow set`, () => {
    const rules = (from: number, n: number) => Array.from({ length: n }, (_, i) => alertWith({ rule: `rule ${from + i}` }));
    const full = addAlerts(new Map(), rules(0, CARDINALITY_LIMIT - 1), noPlan);
    expect(full.size).toBe(CARDINALITY_LIMIT - 1);
    const over = addAlerts(full, [...rules(CARDINALITY_LIMIT, 3), alertWith({ rule: 'rule 5' })], noPlan);
    expect(over.size).toBe(CARDINALITY_LIMIT);
    expect([...over.values()].at(-1)).toEqual({ attributes: [{ key: 'otel.metric.overflow', value: { kind: 'bool', value: true } }], count: 3 });
    expect([...over.values()][5]?.count).toBe(2); // a set already counted still counts on its own
    expect(addAlerts(over, rules(5000, 2), noPlan).size).toBe(CARDINALITY_LIMIT);
  });
});

const START = 1_795_170_000_000_000_000n;
const RESOURCE = resourceOf('peregrine-7d9f-x2');
const TIME = 1_795_170_060_123_000_000n;
const sampleSeries = (): Series[] => [
  ...addAlerts(new Map(), [alertWith({}), alertWith({}, 1), alertWith({ hostname: '', tags: [], priority: 'Emergency' })], attributePlan([], ['proc.cmdline']).plan).values(),
  { attributes: [{ key: 'otel.metric.overflow', value: { kind: 'bool', value: true } }], count: 7 },
];

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');

/** The fields of a protobuf message, in order (varint, fixed64 and length-delimited: what OTLP uses here). */
function fieldsOf(buf: Uint8Array): { field: number; wire: number; value?: bigint; bytes?: Uint8Array }[] {
  const out: { field: number; wire: number; value?: bigint; bytes?: Uint8Array }[] = [];
  let pos = 0;
  const varint = () => {
    let n = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[pos++] as number;
      n |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >> 3, key & 7];
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) out.push({ field, wire, bytes: buf.subarray(pos, (pos += 8)) });
    else if (wire === 2) {
      const len = Number(varint());
      out.push({ field, wire, bytes: buf.subarray(pos, (pos += len)) });
    } else throw new Error(`wire type ${wire} at ${pos}`);
  }
  expect(pos).toBe(buf.length);
  return out;
}

/** The same request as the OTel JS SDK hands it to its exporter. */
function sdkResourceMetrics(series: readonly Series[]) {
  const plain = (v: Series['attributes'][number]['value']): unknown =>
    v.kind === 'array' ? v.values.map(plain) : v.kind === 'string' || v.kind === 'bool' ? v.value : undefined;
  const hr = (ns: bigint): [number, number] => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  return {
    resource: resourceFromAttributes({ 'service.name': 'falco', 'service.version': '0.1.0', 'service.instance.id': 'peregrine-7d9f-x2' }, { schemaUrl: 'https://opentelemetry.io/schemas/1.23.1' }),
    scopeMetrics: [
      {
        scope: { name: 'falcosecurity.falco.otlpmetrics.meter' },
        metrics: [
          {
            descriptor: { name: 'falcosecurity_falco_rules_matches_total', description: '', unit: '', valueType: ValueType.INT, type: 'COUNTER' },
            aggregationTemporality: 1, // sdk-metrics AggregationTemporality.CUMULATIVE
            dataPointType: 3, // sdk-metrics DataPointType.SUM
            isMonotonic: true,
            dataPoints: series.map((x) => ({ attributes: Object.fromEntries(x.attributes.map((a) => [a.key, plain(a.value)])), startTime: hr(START), endTime: hr(TIME), value: x.count })),
          },
        ],
      },
    ],
  };
}

describe('the export request', () => {
  it('protobuf: byte for byte what @opentelemetry/otlp-transformer writes for the same counter', () => {
    const series = sampleSeries();
    const reference = ProtobufMetricsSerializer.serializeRequest(sdkResourceMetrics(series) as never) as Uint8Array;
    const ours = encodeProtobuf({ resource: RESOURCE, series, startNs: START, timeNs: TIME });
    const request = fieldsOf(ours);
    expect(request.map((f) => f.field)).toEqual([1]); // one ResourceMetrics
    const [rm, refRm] = [request, fieldsOf(reference)].map((r) => fieldsOf(r?.[0]?.bytes as Uint8Array));
    // The ScopeMetrics: the scope, then the metric's name and its Sum, whose data points hold the
    // same fields; Go's SDK (and so falcosidekick, and this encoder) writes as_int after the
    // attributes, the JS serializer before them.
    const [sm, refSm] = [rm, refRm].map((r) => fieldsOf(r?.[1]?.bytes as Uint8Array));
    expect(sm?.map((f) => f.field)).toEqual([1, 2]);
    expect(hex(sm?.[0]?.bytes)).toBe(hex(refSm?.[0]?.bytes));
    const [metric, refMetric] = [sm, refSm].map((r) => fieldsOf(r?.[1]?.bytes as Uint8Array));
    expect(metric?.map((f) => f.field)).toEqual([1, 7]); // name, sum
    expect(hex(metric?.[0]?.bytes)).toBe(hex(refMetric?.[0]?.bytes));
    const [sum, refSum] = [metric, refMetric].map((r) => fieldsOf(r?.[1]?.bytes as Uint8Array));
    expect(sum?.map((f) => f.field)).toEqual([1, 1, 1, 2, 3]); // three data points, temporality, monotonic
    expect(sum?.slice(3)).toEqual(refSum?.slice(3));
    const byField = (dp: Uint8Array) => fieldsOf(dp).sort((a, b) => a.field - b.field); // stable: attributes keep their order
    expect(sum?.slice(0, 3).map((dp) => byField(dp.bytes as Uint8Array))).toEqual(refSum?.slice(0, 3).map((dp) => byField(dp.bytes as Uint8Array)));
    expect(fieldsOf(sum?.[0]?.bytes as Uint8Array).map((f) => f.field)).toEqual([2, 3, 7, 7, 7, 7, 7, 7, 6]);
    expect(rm?.slice(2)).toEqual(refRm?.slice(2)); // schema_url
    expect(rm?.map((f) => f.field)).toEqual([1, 2, 3]);
    // The resource: the same attributes; the JS serializer also writes dropped_attributes_count = 0,
    // which Go's, like this one, leaves out (proto3's default).
    const [res, refRes] = [rm, refRm].map((r) => fieldsOf(r?.[0]?.bytes as Uint8Array));
    expect(refRes).toEqual([...(res ?? []), { field: 2, wire: 0, value: 0n }]);
  });

  it('JSON: the whole request', () => {
    const point = (attributes: unknown[], asInt: string) => ({ attributes, startTimeUnixNano: String(START), timeUnixNano: String(TIME), asInt });
    const fixed = (host: string, priority: string, tags: string[]) => [
      { key: 'hostname', value: js(host) },
      { key: 'priority', value: js(priority) },
      { key: 'proc_cmdline', value: js('sh -c id') },
      { key: 'rule', value: js('Terminal shell in container') },
      { key: 'source', value: js('syscall') },
      { key: 'tags', value: { arrayValue: tags.length ? { values: tags.map(js) } : {} } },
    ];
    expect(JSON.parse(encodeJson({ resource: RESOURCE, series: sampleSeries(), startNs: START, timeNs: TIME }))).toEqual({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: js('falco') }, { key: 'service.version', value: js('0.1.0') }, { key: 'service.instance.id', value: js('peregrine-7d9f-x2') }] },
          scopeMetrics: [
            {
              scope: { name: 'falcosecurity.falco.otlpmetrics.meter' },
              metrics: [
                {
                  name: 'falcosecurity_falco_rules_matches_total',
                  sum: {
                    dataPoints: [
                      point(fixed('node-1', 'Notice', FIXTURE_TAGS), '2'),
                      point(fixed('unknown', 'Emergency', []), '1'),
                      point([{ key: 'otel.metric.overflow', value: { boolValue: true } }], '7'),
                    ],
                    aggregationTemporality: 2,
                    isMonotonic: true,
                  },
                },
              ],
            },
          ],
          schemaUrl: 'https://opentelemetry.io/schemas/1.23.1',
        },
      ],
    });
  });
});

interface Sent {
  url: string;
  headers: Record<string, unknown>;
  resource: unknown;
  points: { count: string; start: string; time: string; priority: string }[];
}

/** What the output logged (pino's JSON lines). */
function logLines() {
  const lines: { level: number; msg: string; reason?: string }[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
  return { lines, log };
}

/** The plugin connected to a stand-in that answers `answers` in turn (then 200), on a fake clock. */
async function connected(answers: Behaviour[], section: Record<string, unknown> = {}, log = connectContext('x').log) {
  const receiver = await new Receiver().start();
  const sent: Sent[] = [];
  receiver.setBehaviour((req, attempt) => {
    type Body = { resourceMetrics: { resource: unknown; scopeMetrics: { metrics: { sum: { dataPoints: { asInt: string; startTimeUnixNano: string; timeUnixNano: string; attributes: { key: string; value: { stringValue?: string } }[] }[] } }[] }[] }[] };
    const body = JSON.parse(req.body) as Body;
    const points = body.resourceMetrics[0]?.scopeMetrics[0]?.metrics[0]?.sum.dataPoints ?? [];
    sent.push({
      url: req.url,
      headers: req.headers,
      resource: body.resourceMetrics[0]?.resource,
      points: points.map((p) => ({ count: p.asInt, start: p.startTimeUnixNano, time: p.timeUnixNano, priority: p.attributes.find((a) => a.key === 'priority')?.value.stringValue ?? '' })),
    });
    return answers[attempt] ?? { kind: 'ok', body: '{"partialSuccess":{}}' };
  });
  const clock = new FakeClock(Date.parse('2026-11-20T10:00:00Z'));
  const options = outputSchema(otlpmetrics).parse({ endpoint: `http://127.0.0.1:${receiver.port}`, protocol: 'http/json', ...section }) as MetricsOptions;
  const client = (await otlpmetrics.connect?.(options, connectContext('otlpmetrics', { clock, log }))) as MetricsClient;
  const send = (alerts: readonly Alert[], signal = AbortSignal.timeout(5000)) => otlpmetrics.sendBatch(alerts, { options, client, signal, log: connectContext('x').log, clock });
  cleanups.push(async () => {
    await otlpmetrics.close?.(client);
    await receiver.stop();
  });
  return { send, sent, clock, client };
}
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const notice = (n: number) => Array.from({ length: n }, (_, i) => alertWith({}, i));
const critical = (n: number) => Array.from({ length: n }, (_, i) => alertWith({ priority: 'Critical' }, i));
const T0 = '1795168800000000000'; // 2026-11-20T10:00:00Z, when the output connected

describe('exports against an OTLP stand-in', () => {
  it('POSTs to /v1/metrics with the headers; a retried batch is counted once, later batches add up', async () => {
    const { send, sent, clock } = await connected([{ kind: 'status', status: 503, body: '{"code":14,"message":"unavailable"}' }], { headers: 'api-key=k%3D1' });
    expect(await send(notice(2))).toEqual({ kind: 'retry', reason: 'HTTP 503: unavailable' });
    await clock.advance(5000);
    expect(await send(notice(2))).toEqual({ kind: 'ok' });
    await clock.advance(50_000); // within the minute of the last export: no re-export (below)
    expect(await send([...critical(1), ...notice(1)])).toEqual({ kind: 'ok' });
    expect(sent.map((x) => x.points)).toEqual([
      [{ count: '2', start: T0, time: T0, priority: 'Notice' }],
      [{ count: '2', start: T0, time: '1795168805000000000', priority: 'Notice' }],
      [
        { count: '3', start: T0, time: '1795168855000000000', priority: 'Notice' },
        { count: '1', start: T0, time: '1795168855000000000', priority: 'Critical' },
      ],
    ]);
    expect(sent[0]?.url).toBe('/v1/metrics');
    // service.instance.id: the host name (the pod's), so that replicas write series of their own.
    expect(sent[0]?.resource).toEqual({ attributes: [{ key: 'service.name', value: js('falco') }, { key: 'service.version', value: js('0.1.0') }, { key: 'service.instance.id', value: js(hostname()) }] });
    expect(sent[0]?.headers).toMatchObject({ 'content-type': 'application/json', 'api-key': 'k=1' });
  });

  it('a refused batch (400) is not counted; a network error neither', async () => {
    const { send, sent } = await connected([{ kind: 'status', status: 400, body: '{"code":3,"message":"bad"}' }, { kind: 'reset' }]);
    expect(await send(critical(1))).toEqual({ kind: 'fail', reason: 'HTTP 400: bad' });
    await expect(send(notice(1))).rejects.toThrow();
    expect(await send(notice(3))).toEqual({ kind: 'ok' });
    expect(sent.map((x) => x.points.map((p) => [p.priority, p.count]))).toEqual([[['Critical', '1']], [['Notice', '1']], [['Notice', '3']]]);
  });

  it('a partial success dead-letters the batch whole, uncounted', async () => {
    const { send, sent } = await connected([{ kind: 'ok', body: '{"partialSuccess":{"rejectedDataPoints":"1","errorMessage":"too many"}}' }]);
    expect(await send(critical(1))).toEqual({
      kind: 'fail',
      whole: true,
      reason: 'the OTLP receiver rejected 1 of the 1 data points of this batch without saying which: too many (the whole batch is dead-lettered; the rest was accepted)',
    });
    expect(await send(notice(1))).toEqual({ kind: 'ok' });
    expect(sent.map((x) => x.points.map((p) => [p.priority, p.count]))).toEqual([[['Critical', '1']], [['Notice', '1']]]);
  });

  it('a send that timed out is not counted (the core sends the batch again)', async () => {
    const { send, sent } = await connected([{ kind: 'ok', body: '{}', delayMs: 300 }]);
    await expect(send(notice(1), AbortSignal.timeout(50))).rejects.toThrow();
    expect(await send(notice(1))).toEqual({ kind: 'ok' });
    expect(sent.map((x) => x.points.map((p) => p.count))).toEqual([['1'], ['1']]);
  });

  it('sends one at a time, each on the counts the last one left', async () => {
    const { send, sent } = await connected([{ kind: 'ok', body: '{}', delayMs: 100 }]);
    const results = await Promise.all([send(notice(1)), send(notice(2))]);
    expect(results).toEqual([{ kind: 'ok' }, { kind: 'ok' }]);
    expect(sent.map((x) => x.points.map((p) => p.count))).toEqual([['1'], ['3']]);
  });

  it.each([
    [401, { kind: 'retry', auth: true, reason: 'HTTP 401: nope (credentials refused: check otlp.metrics.headers)' }],
    // Whole: every request carries the whole counter, so halves of the batch would be as large.
    [413, { kind: 'fail', whole: true, reason: 'HTTP 413: nope (request too large: fewer otlp.metrics.extraattributes, or a larger request limit at the receiver)' }],
  ])('HTTP %i', async (status, outcome) => {
    const { send } = await connected([{ kind: 'status', status, body: '{"code":3,"message":"nope"}' }]);
    expect(await send(notice(1))).toEqual(outcome);
  });
});

describe('never a lower value than one sent before', () => {
  const notices = (x: Sent[]) => x.map((r) => r.points.map((p) => [p.priority, p.count]));

  it('after a partial success: the collector kept the points it did not reject, so the next export does not go below them', async () => {
    const { send, sent } = await connected([{ kind: 'ok', body: '{}' }, { kind: 'ok', body: '{"partialSuccess":{"rejectedDataPoints":"1","errorMessage":"bad point"}}' }]);
    expect(await send(notice(2))).toEqual({ kind: 'ok' });
    expect((await send([...notice(3), ...critical(1)])).kind).toBe('fail'); // the collector stored Notice 5
    expect(await send(notice(1))).toEqual({ kind: 'ok' }); // counted: Notice 3, sent as 5
    expect(await send(notice(3))).toEqual({ kind: 'ok' }); // counted: Notice 6
    expect(notices(sent)).toEqual([[['Notice', '2']], [['Notice', '5'], ['Critical', '1']], [['Notice', '5']], [['Notice', '6']]]);
  });

  it('after a timeout the collector may have stored the export: the core\'s one-alert probe does not go below it', async () => {
    const { send, sent } = await connected([{ kind: 'ok', body: '{}', delayMs: 300 }]);
    await expect(send(notice(5), AbortSignal.timeout(50))).rejects.toThrow(); // the collector stored Notice 5
    expect(await send(notice(1))).toEqual({ kind: 'ok' }); // the probe: counted 1, sent as 5
    expect(await send(notice(4))).toEqual({ kind: 'ok' }); // the rest: counted 5
    expect(await send(notice(1))).toEqual({ kind: 'ok' });
    expect(notices(sent)).toEqual([[['Notice', '5']], [['Notice', '5']], [['Notice', '5']], [['Notice', '6']]]);
  });

  it('an ok answer counts the batch even when the deadline passed as it came (the core takes it as delivered)', async () => {
    const { send, client } = await connected([], { protocol: 'grpc' });
    const controller = new AbortController();
    // A gRPC channel whose answer, OK, arrives as the deadline passes.
    (client.exporter.grpc as { call: unknown }).call = (_path: string, _headers: unknown, _message: unknown, signal: AbortSignal) => {
      controller.abort(new Error('timed out after 5000 ms'));
      expect(signal.aborted).toBe(true);
      return Promise.resolve({ headers: { ':status': 200, 'content-type': 'application/grpc' }, trailers: { 'grpc-status': '0' } });
    };
    expect(await send(notice(2), controller.signal)).toEqual({ kind: 'ok' });
    expect([...client.counts.values()].map((x) => x.count)).toEqual([2]);
  });
});

describe('exported again while no alert comes (as the OTel SDK every minute)', () => {
  /** Lets the fake clock fire the due re-export, then waits for it to settle. */
  const settled = async (clock: FakeClock, client: MetricsClient, ms: number) => {
    await clock.advance(ms);
    await client.last;
    await clock.advance(0);
  };
  const at = (seconds: number) => String(1_795_168_800n * 1_000_000_000n + BigInt(seconds) * 1_000_000_000n);

  it('the committed counts, batch.flushms (60 s) after the last export, not before; its failures logged once per run, alerts untouched', async () => {
    const { lines, log } = logLines();
    const unavailable: Behaviour = { kind: 'status', status: 503, body: '{"code":14,"message":"unavailable"}' };
    const { send, sent, clock, client } = await connected([{ kind: 'ok', body: '{}' }, { kind: 'ok', body: '{}' }, { kind: 'ok', body: '{}' }, unavailable, unavailable, { kind: 'ok', body: '{}' }, unavailable], {}, log);
    await settled(clock, client, 60_000); // nothing counted yet: nothing exported
    expect(await send(notice(2))).toEqual({ kind: 'ok' }); // at 60 s
    await clock.advance(30_000);
    expect(await send(critical(1))).toEqual({ kind: 'ok' }); // at 90 s
    await settled(clock, client, 59_999);
    await settled(clock, client, 1); // at 150 s: 60 s after the last export
    for (let i = 0; i < 4; i++) await settled(clock, client, 60_000); // 210 s (503), 270 s (503), 330 s, 390 s (503)
    expect(sent.map((x) => [x.points[0]?.time, x.points.map((p) => [p.priority, p.count])])).toEqual([
      [at(60), [['Notice', '2']]],
      [at(90), [['Notice', '2'], ['Critical', '1']]],
      ...[150, 210, 270, 330, 390].map((t) => [at(t), [['Notice', '2'], ['Critical', '1']]]),
    ]);
    expect(lines.filter((l) => l.level >= 30).map((l) => [l.level, l.msg, l.reason])).toEqual([
      [40, 'the metric could not be exported again while no alerts come; the next export carries the same counts (no alert is affected)', 'HTTP 503: unavailable'],
      [30, 'the metric is exported again while no alerts come', undefined],
      [40, 'the metric could not be exported again while no alerts come; the next export carries the same counts (no alert is affected)', 'HTTP 503: unavailable'],
    ]);
    expect([...client.counts.values()].map((x) => x.count)).toEqual([2, 1]);
  });

  it('at the output\'s batch.flushms; nothing while nothing is counted; stopped by close()', async () => {
    const { send, sent, clock, client } = await connected([], { batch: { flushms: 10_000 } });
    await settled(clock, client, 120_000);
    expect(await send(notice(1))).toEqual({ kind: 'ok' }); // the first request: nothing went before it
    await settled(clock, client, 10_000);
    expect(sent.map((x) => x.points[0]?.time)).toEqual([at(120), at(130)]);
    expect(clock.pending()).toBe(1); // the next re-export
    await cleanups.pop()?.(); // close()
    expect(clock.pending()).toBe(0);
  });
});

describe('options', () => {
  const parse = (section: Record<string, unknown>) => outputSchema(otlpmetrics).safeParse({ endpoint: 'http://c:4318/v1/metrics', ...section });

  it('extraattributes as falcosidekick splits it (spaces removed) or as a list', () => {
    expect(parse({ extraattributes: ' proc.name, fd.name ,,k8s.ns.name' }).data?.extraattributes).toEqual(['proc.name', 'fd.name', 'k8s.ns.name']);
    expect(parse({ extraattributes: ['proc.name'] }).data?.extraattributes).toEqual(['proc.name']);
    expect(parse({}).data?.extraattributes).toEqual([]);
  });

  it('an extra attribute that cannot be an attribute name is a startup problem naming the key', () => {
    const result = parse({ extraattributes: 'proc.name,proc.aname[2]' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['extraattributes.1']);
  });

  it('grpc is accepted (falcosidekick\'s chart default for otlp.metrics.protocol); another protocol is a startup problem', () => {
    expect(parse({ protocol: 'grpc' }).data?.protocol).toBe('grpc');
    expect(otlpmetrics.validate).toBeUndefined();
    expect(parse({ protocol: 'grpc/json' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['protocol', 'must be http/protobuf, http/json or grpc']]);
  });
});
