// The otlp outputs over OTLP/gRPC against an in-process node:http2 stand-in: the request (method
// path per signal, gRPC headers, the 5-byte prefix, the same protobuf message as http/protobuf),
// and the failures: UNAVAILABLE retried, INVALID_ARGUMENT dead-lettered, trailers-only answers, a
// GOAWAY (a new session for the next call), a reset stream, a refused connection, the timeout, TLS.
// Real sockets; the apps run on a FakeClock.
import { constants, createSecureServer, createServer, type Http2Server, type Http2SecureServer, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { thawAlert } from '../../src/alert/serialize.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { makeCerts } from '../../test/support/certs.ts';
import { advanceUntil, closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { connectPlugin, type PluginHarness } from '../../test/support/plugin-harness.ts';
import otlptraces from '../otlptraces/index.ts';
import otlpmetrics from '../otlpmetrics/index.ts';
import { encodeProtobuf } from './encode-protobuf.ts';
import { frame } from './grpc.ts';
import otlp from './index.ts';
import { groupByResource } from './record.ts';

/** What the stand-in does with one call. */
type Reply =
  | { kind: 'ok'; message?: Buffer; trailers?: Record<string, string> }
  | { kind: 'trailersOnly'; headers: Record<string, string> }
  | { kind: 'goaway' } // answers OK, then GOAWAY on the session
  | { kind: 'reset' } // RST_STREAM INTERNAL_ERROR before any answer
  | { kind: 'hang' };

interface Call {
  headers: IncomingHttpHeaders;
  body: Buffer;
  session: number;
  /** The RST_STREAM code the stream closed with (8 = CANCEL from the client). */
  closed: Promise<number>;
}

class GrpcStandIn {
  readonly calls: Call[] = [];
  sessions = 0;
  reply: (call: number) => Reply = () => ({ kind: 'ok' });
  private server: Http2Server | Http2SecureServer | undefined;

  async start(tls?: { cert: string; key: string }): Promise<this> {
    const server = tls ? createSecureServer({ ...tls, allowHTTP1: false }) : createServer();
    const ids = new WeakMap<object, number>();
    server.on('session', (session) => ids.set(session, ++this.sessions));
    server.on('stream', (stream, headers) => this.answer(stream, headers, ids.get(stream.session as object) ?? 0));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise((resolve) => {
      server.close(resolve);
      // Sessions still open (a hanging call) end with the server.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
  }

  private answer(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, session: number): void {
    const chunks: Buffer[] = [];
    const closed = new Promise<number>((resolve) => stream.on('close', () => resolve(stream.rstCode)));
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', () => undefined); // a reset of ours, or the client's CANCEL
    stream.on('end', () => {
      this.calls.push({ headers, body: Buffer.concat(chunks), session, closed });
      const reply = this.reply(this.calls.length - 1);
      if (reply.kind === 'hang') return;
      if (reply.kind === 'reset') return stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      // GOAWAY naming this stream the last: it is answered, the next call needs a new session.
      if (reply.kind === 'goaway') stream.session?.goaway(constants.NGHTTP2_NO_ERROR, stream.id);
      if (reply.kind === 'trailersOnly') return stream.respond({ ':status': 200, 'content-type': 'application/grpc', ...reply.headers }, { endStream: true });
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '', ...(reply.kind === 'ok' ? reply.trailers : {}) }));
      stream.end(frame((reply.kind === 'ok' ? reply.message : undefined) ?? Buffer.from([0x0a, 0x00])));
    });
  }
}

let standIn: GrpcStandIn | undefined;
let plugin: PluginHarness | undefined;
let app: RunningApp | undefined;
const clock = new FakeClock();
afterEach(async () => {
  await plugin?.close();
  if (app) await closeOnClock(app, clock);
  await standIn?.stop();
  plugin = standIn = app = undefined;
});

const alerts = [thawAlert(falcoAlertJson(0)), thawAlert(falcoAlertJson(1, 'Critical'))];
const endpoint = (s: GrpcStandIn) => `http://127.0.0.1:${s.port}`;

describe('otlp grpc requests', () => {
  it('logs: POST to LogsService/Export with the gRPC headers, the configured ones (but HTTP/1 connection headers), and the http/protobuf message behind the 5-byte prefix', async () => {
    standIn = await new GrpcStandIn().start();
    const fixed = new FakeClock();
    plugin = await connectPlugin(otlp, { logs: { endpoint: `${endpoint(standIn)}/ignored/path`, protocol: 'grpc', headers: 'api-key=s3cr%3Dt,x-team=sec,Connection=keep-alive' } }, { clock: fixed, timeoutMs: 7000 });
    expect(await plugin.send(alerts)).toEqual({ kind: 'ok' });
    const [call] = standIn.calls;
    expect(Object.fromEntries(Object.entries(call?.headers ?? {}))).toEqual({
      ':method': 'POST',
      ':scheme': 'http',
      ':authority': `127.0.0.1:${standIn.port}`,
      ':path': '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': '7000m',
      'user-agent': 'peregrine/test',
      'api-key': 's3cr=t',
      'x-team': 'sec',
    });
    const message = encodeProtobuf(groupByResource(alerts, { serviceName: 'falco', customfields: new Set() }), BigInt(fixed.now()) * 1_000_000n);
    expect(call?.body.toString('hex')).toBe(frame(message).toString('hex'));
  });

  it.each([
    ['otlptraces', '/opentelemetry.proto.collector.trace.v1.TraceService/Export', otlptraces],
    ['otlpmetrics', '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', otlpmetrics],
  ] as const)('%s: POST to %s', async (_, path, output) => {
    standIn = await new GrpcStandIn().start();
    plugin = await connectPlugin(output, { endpoint: endpoint(standIn), protocol: 'grpc' });
    expect(await plugin.send(alerts)).toEqual({ kind: 'ok' });
    expect(standIn.calls.map((c) => [c.headers[':path'], c.headers['content-type'], c.body[0], c.body.readUInt32BE(1) === c.body.length - 5])).toEqual([[path, 'application/grpc', 0, true]]);
  });
});

describe('otlp grpc answers', () => {
  const connect = async (reply: GrpcStandIn['reply']) => {
    standIn = await new GrpcStandIn().start();
    standIn.reply = reply;
    plugin = await connectPlugin(otlptraces, { endpoint: endpoint(standIn), protocol: 'grpc' });
    return plugin;
  };

  it('trailers-only UNAVAILABLE with pushback -> retry after it; trailers-only INVALID_ARGUMENT -> fail', async () => {
    const unavailable = { 'grpc-status': '14', 'grpc-message': 'memory%20limiter', 'grpc-retry-pushback-ms': '2000' };
    const p = await connect((i) => ({ kind: 'trailersOnly', headers: i === 0 ? unavailable : { 'grpc-status': '3', 'grpc-message': 'bad span' } }));
    expect(await p.send(alerts)).toEqual({ kind: 'retry', reason: 'gRPC UNAVAILABLE: memory limiter', afterMs: 2000 });
    expect(await p.send(alerts)).toEqual({ kind: 'fail', reason: 'gRPC INVALID_ARGUMENT: bad span' });
  });

  it('OK with a partial success in the response message -> the whole batch dead-lettered', async () => {
    // ExportTraceServiceResponse { partial_success { rejected_spans: 1, error_message: "x" } }
    const p = await connect(() => ({ kind: 'ok', message: Buffer.from([0x0a, 0x05, 0x08, 0x01, 0x12, 0x01, 0x78]) }));
    expect(await p.send(alerts)).toEqual({ kind: 'fail', whole: true, reason: 'the OTLP receiver rejected 1 of the 2 spans of this batch without saying which: x (the whole batch is dead-lettered; the rest was accepted)' });
  });

  it('GOAWAY after an answer: the next call opens a new session', async () => {
    const p = await connect((i) => (i === 0 ? { kind: 'goaway' } : { kind: 'ok' }));
    expect(await p.send(alerts)).toEqual({ kind: 'ok' });
    expect(await p.send(alerts)).toEqual({ kind: 'ok' });
    expect(standIn?.calls.map((c) => c.session)).toEqual([1, 2]);
  });

  it('a stream reset before the answer throws (the core retries it); the session is kept', async () => {
    const p = await connect((i) => (i === 0 ? { kind: 'reset' } : { kind: 'ok' }));
    await expect(p.send(alerts)).rejects.toThrow('Stream closed with error code NGHTTP2_INTERNAL_ERROR');
    expect(await p.send(alerts)).toEqual({ kind: 'ok' });
    expect(standIn?.calls.map((c) => c.session)).toEqual([1, 1]);
  });

  it('a refused connection throws; a later call dials again', async () => {
    plugin = await connectPlugin(otlptraces, { endpoint: 'http://127.0.0.1:1', protocol: 'grpc' });
    await expect(plugin.send(alerts)).rejects.toThrow(/ECONNREFUSED/);
    await expect(plugin.send(alerts)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('https: TLS with the CA of otlp.traces.cacertfile (ALPN h2)', async () => {
    const certs = makeCerts();
    standIn = await new GrpcStandIn().start({ cert: readFileSync(certs.serverCert, 'utf8'), key: readFileSync(certs.serverKey, 'utf8') });
    plugin = await connectPlugin(otlptraces, { endpoint: `https://127.0.0.1:${standIn.port}`, protocol: 'grpc', cacertfile: certs.ca });
    expect(await plugin.send(alerts)).toEqual({ kind: 'ok' });
    expect(standIn.calls[0]?.headers[':scheme']).toBe('https');
  });
});

describe('otlp grpc in the app', () => {
  const config = (s: GrpcStandIn, extra = '') => `otlp:\n  traces:\n    endpoint: ${endpoint(s)}\n    protocol: grpc\n    retry:\n      initialbackoffms: 100\n      probems: 0\n${extra}`;

  it('UNAVAILABLE (trailers-only) is retried until OK; INVALID_ARGUMENT is dead-lettered with the status', async () => {
    standIn = await new GrpcStandIn().start();
    const s = standIn;
    s.reply = (i) => (i < 2 ? { kind: 'trailersOnly', headers: { 'grpc-status': '14', 'grpc-message': 'starting' } } : i === 2 ? { kind: 'ok' } : { kind: 'ok', trailers: { 'grpc-status': '3', 'grpc-message': 'span%20too%20old' } });
    const a = (app = await startApp(config(s), { clock }));
    const settle = settler(clock, a);
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await settle(async () => (await metricValue(a, 'peregrine_delivered_total', { output: 'otlptraces' })) === 1, 'delivered after two UNAVAILABLE');
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'otlptraces' })).toBe(2);

    expect((await a.post(falcoAlertJson(1))).status).toBe(200);
    await settle(async () => (await metricValue(a, 'peregrine_dead_lettered_total', { output: 'otlptraces' })) === 1, 'dead-lettered');
    const [letter] = a.deadLetters.list({ output: 'otlptraces' });
    expect(letter).toMatchObject({ reason: 'rejected', attempts: 1, detail: 'gRPC INVALID_ARGUMENT: span too old' });
    expect(s.calls).toHaveLength(4);
    expect(new Set(s.calls.map((c) => c.session))).toEqual(new Set([1]));
  });

  it('a call past timeoutms is cancelled (RST_STREAM CANCEL) and retried on a new connection (the old one may be dead); grpc-timeout says the deadline', async () => {
    standIn = await new GrpcStandIn().start();
    const s = standIn;
    s.reply = (i) => (i === 0 ? { kind: 'hang' } : { kind: 'ok' });
    const a = (app = await startApp(config(s, '    timeoutms: 3000\n'), { clock }));
    expect((await a.post(falcoAlertJson(0))).status).toBe(200);
    await advanceUntil(clock, () => s.calls.length === 1, 'the first call', 100);
    expect(s.calls[0]?.headers['grpc-timeout']).toBe('3000m');
    await clock.advance(3000);
    expect(await s.calls[0]?.closed).toBe(constants.NGHTTP2_CANCEL);
    await settler(clock, a)(async () => (await metricValue(a, 'peregrine_delivered_total', { output: 'otlptraces' })) === 1, 'delivered on the retry');
    expect(await metricValue(a, 'peregrine_retries_total', { output: 'otlptraces' })).toBe(1);
    expect(s.calls.map((c) => c.session)).toEqual([1, 2]);
  });
});
