// The otlp plugin against an in-process OTLP/HTTP stand-in: request shape and headers, and every
// answer the OTLP/HTTP spec defines, classified (JSON and protobuf bodies). Real sockets, fake clock:
// a Retry-After date is read against the send context's clock, and the app runs on a FakeClock.
import { afterEach, describe, expect, it } from 'vitest';
import { thawAlert } from '../../src/alert/serialize.ts';
import { outputSchema } from '../../src/config/schema.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { againstReceiver, connectPlugin, type PluginHarness } from '../../test/support/plugin-harness.ts';
import { Receiver, type Behaviour } from '../../test/support/receiver.ts';
import otlp from './index.ts';
import { signalUrl } from './options.ts';
import { ProtoWriter } from './protobuf-writer.ts';

// Tests that drive the plugin or the app by hand; their own receiver and plugin, closed after each.
let receiver: Receiver | undefined;
let plugin: PluginHarness | undefined;
afterEach(async () => {
  await plugin?.close();
  await receiver?.stop();
  plugin = receiver = undefined;
});

const alerts = [thawAlert(falcoAlertJson(0)), thawAlert(falcoAlertJson(1, 'Critical')), thawAlert(falcoAlertJson(2, 'Debug'))];
const stand = againstReceiver(otlp, (r, logs) => ({ logs: { endpoint: `http://127.0.0.1:${r.port}`, protocol: 'http/json', ...logs } }));
const answer = (behaviour: Behaviour, logs?: Record<string, unknown>) => stand.answer(behaviour, alerts, logs);

/** google.rpc.Status or ExportLogsServiceResponse bytes, as a string the stand-in can send (all bytes < 0x80). */
function protoText(build: (w: ProtoWriter) => void): string {
  const w = new ProtoWriter(64);
  build(w);
  return Buffer.from(w.finish()).toString('latin1');
}

describe('otlp requests', () => {
  it('POSTs to /v1/logs when the endpoint has no path, with the configured headers and the content type of the protocol', async () => {
    expect(await answer({ kind: 'ok', body: '{"partialSuccess":{}}' }, { headers: 'api-key=s3cr%3Dt,X-Team=sec' })).toEqual({ kind: 'ok' });
    const [req] = stand.state.receiver?.received ?? [];
    expect(req?.url).toBe('/v1/logs');
    expect(req?.headers).toMatchObject({ 'content-type': 'application/json', 'api-key': 's3cr=t', 'x-team': 'sec' });
    const body = JSON.parse(req?.body ?? '') as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
    expect(body.resourceLogs[0]?.scopeLogs[0]?.logRecords).toHaveLength(3);
  });

  it('a network error throws (the core retries it)', async () => {
    plugin = await connectPlugin(otlp, { logs: { endpoint: 'http://127.0.0.1:1/v1/logs' } });
    await expect(plugin.send(alerts)).rejects.toThrow(/ECONNREFUSED|connect/);
  });

  it('http/protobuf: application/x-protobuf to the path as given; a 200 with an empty body is success', async () => {
    receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'ok', body: '' }));
    plugin = await connectPlugin(otlp, { logs: { endpoint: `http://127.0.0.1:${receiver.port}/custom/path` } });
    expect(await plugin.send(alerts)).toEqual({ kind: 'ok' });
    expect(receiver.received[0]?.url).toBe('/custom/path');
    expect(receiver.received[0]?.headers['content-type']).toBe('application/x-protobuf');
  });
});

describe('otlp answers', () => {
  it('200 with partialSuccess.rejectedLogRecords > 0 (JSON) -> the batch is dead-lettered with the count and message', async () => {
    const result = await answer({ kind: 'ok', body: '{"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"log record 2 has no body"}}' });
    // whole: not sent again in halves (the receiver kept the rest; the spec forbids re-sending).
    expect(result).toEqual({ kind: 'fail', whole: true, reason: expect.stringContaining('rejected 1 of the 3 log records of this batch without saying which: log record 2 has no body') });
  });

  it('200 with partialSuccess (protobuf) -> read from the binary body', async () => {
    const body = protoText((w) => {
      const ps = w.begin(1);
      w.tag(1, 0);
      w.int64('2');
      w.tag(2, 2);
      w.string('dropped: quota');
      w.end(ps);
    });
    const result = await answer({ kind: 'ok', body }, { protocol: 'http/protobuf' });
    expect(result).toEqual({ kind: 'fail', whole: true, reason: expect.stringContaining('rejected 2 of the 3 log records') });
  });

  it('200 with a partialSuccess of 0 rejected (a warning only) -> ok', async () => {
    expect(await answer({ kind: 'ok', body: '{"partialSuccess":{"errorMessage":"deprecated attribute"}}' })).toEqual({ kind: 'ok' });
  });

  it('400 -> dead letter with the Status message (JSON and protobuf)', async () => {
    expect(await answer({ kind: 'status', status: 400, body: '{"code":3,"message":"unexpected end of JSON input"}' })).toEqual({
      kind: 'fail',
      reason: 'HTTP 400: unexpected end of JSON input',
    });
    const status = protoText((w) => {
      w.tag(1, 0);
      w.uint32(3);
      w.tag(2, 2);
      w.string('proto: cannot parse invalid wire-format data');
    });
    expect(await answer({ kind: 'status', status: 400, headers: { 'content-type': 'application/x-protobuf' }, body: status }, { protocol: 'http/protobuf' })).toEqual({
      kind: 'fail',
      reason: 'HTTP 400: proto: cannot parse invalid wire-format data',
    });
  });

  it.each([429, 502, 503, 504])('%i with Retry-After -> retry after it', async (status) => {
    expect(await answer({ kind: 'status', status, headers: { 'retry-after': '3' }, body: '{"code":14,"message":"busy"}' })).toEqual({ kind: 'retry', reason: `HTTP ${status}: busy`, afterMs: 3000 });
  });

  it('429 with Retry-After as an HTTP date -> the wait is measured on the send context\'s clock', async () => {
    const clock = new FakeClock();
    receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'status', status: 429, headers: { 'retry-after': new Date(clock.now() + 90_000).toUTCString() }, body: '{"code":8,"message":"slow down"}' }));
    plugin = await connectPlugin(otlp, { logs: { endpoint: receiver.url('/v1/logs'), protocol: 'http/json' } }, { clock });
    expect(await plugin.send(alerts)).toEqual({ kind: 'retry', reason: 'HTTP 429: slow down', afterMs: 90_000 });
  });

  it.each([500, 501, 404, 415])('%i -> dead letter (not retryable per the OTLP/HTTP spec); a 404 (the path) or 415 (the encoding) is the endpoint\'s, not halved', async (status) => {
    expect(await answer({ kind: 'status', status, body: '{"code":13,"message":"internal"}' })).toEqual({
      kind: 'fail',
      reason: `HTTP ${status}: internal`,
      ...(status === 404 || status === 415 ? { whole: true } : {}),
    });
  });

  it('401 -> retry as a credentials problem; 413 -> dead letter with the batch size hint', async () => {
    expect(await answer({ kind: 'status', status: 401, body: 'unauthorized' })).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('otlp.logs.headers') });
    expect(await answer({ kind: 'status', status: 413, body: 'too big' })).toEqual({ kind: 'fail', reason: expect.stringContaining('lower otlp.batch.maxbytes') });
  });
});

describe('otlp options', () => {
  const parse = (logs: Record<string, unknown>) => outputSchema(otlp).parse({ logs }) as { logs: Record<string, unknown> };

  it('defaults as falcosidekick: http/protobuf, service.name falco, checkcert on', () => {
    expect(parse({ endpoint: 'http://c:4318/v1/logs' }).logs).toMatchObject({ protocol: 'http/protobuf', servicename: 'falco', checkcert: true, headers: {}, minimumpriority: '' });
  });

  it('headers: OTEL_EXPORTER_OTLP_HEADERS syntax or a map, names lower-cased', () => {
    expect(parse({ headers: 'Authorization=Basic%20abc,x-a=1=2' }).logs.headers).toEqual({ authorization: 'Basic abc', 'x-a': '1=2' });
    expect(parse({ headers: { 'X-B': 'v' } }).logs.headers).toEqual({ 'x-b': 'v' });
  });

  it('endpoint: used as is, /v1/logs added only to a bare origin', () => {
    expect(signalUrl('http://c:4318', 'logs').pathname).toBe('/v1/logs');
    expect(signalUrl('http://c:4318/', 'logs').pathname).toBe('/v1/logs');
    expect(signalUrl('https://gw.example.com/otlp/v1/logs', 'logs').pathname).toBe('/otlp/v1/logs');
  });

  it('grpc is accepted; falcosidekick\'s otlp.logs.minimumpriority reaches the router through legacySettings', () => {
    expect(parse({ endpoint: 'http://c:4317', protocol: 'grpc' }).logs.protocol).toBe('grpc');
    expect(otlp.validate).toBeUndefined();
    expect(otlp.legacySettings?.(parse({ minimumpriority: 'warning' }) as never)).toEqual({ minimumpriority: 'warning' });
    expect(() => parse({ minimumpriority: 'urgent' })).toThrow(/not a Falco priority/);
  });
});

describe('otlp in the app', () => {
  let app: RunningApp | undefined;
  const clock = new FakeClock();
  afterEach(async () => {
    if (app) await closeOnClock(app, clock);
    app = undefined;
  });

  it('falcosidekick\'s otlp.logs.minimumpriority filters: only alerts at or above it are sent', async () => {
    receiver = await new Receiver().start();
    const a = (app = await startApp(`otlp:\n  logs:\n    endpoint: ${receiver.url('/v1/logs')}\n    protocol: http/json\n    minimumpriority: warning\n`, { clock }));
    for (const [i, priority] of (['Notice', 'Critical', 'Debug', 'Warning'] as const).entries()) expect((await a.post(falcoAlertJson(i, priority))).status).toBe(200);
    await settler(clock, a)(async () => (await metricValue(a, 'peregrine_delivered_total', { output: 'otlp' })) === 2, '2 delivered');
    const sent = (receiver.received ?? []).flatMap((r) => JSON.parse(r.body).resourceLogs[0].scopeLogs[0].logRecords.map((l: { severityText: string }) => l.severityText));
    expect(sent).toEqual(['Critical', 'Warning']);
  });
});

