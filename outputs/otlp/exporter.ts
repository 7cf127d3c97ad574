// What the otlp (logs), otlptraces and otlpmetrics outputs share on the wire: the signal's URL or
// gRPC method, the connection (an undici pool, or an HTTP/2 session for grpc), the headers of the
// protocol, and one export request classified by the OTLP rules (response.ts, grpc-status.ts).
import type { Dispatcher } from 'undici';
import { createHttpPool, loadTls, sendHttp, type Clock, type ConnectContext, type Outcome, type TlsOptions } from '../../src/plugin/index.ts';
import { GrpcChannel, grpcOrigin, GRPC_PATHS, grpcTimeout } from './grpc.ts';
import { classifyGrpc } from './grpc-status.ts';
import { signalUrl, type Signal } from './options.ts';
import { classifyExport } from './response.ts';

export interface OtlpExporter {
  signal: Signal;
  /** OTLP/HTTP: the pool of the endpoint's origin. */
  pool?: Dispatcher;
  /** OTLP/gRPC: the HTTP/2 session of the endpoint's host and port. */
  grpc?: GrpcChannel;
  path: string;
  headers: Record<string, string>;
  /** The request is protobuf (http/protobuf and grpc), else OTLP/JSON. */
  protobuf: boolean;
}

const HTTP1_ONLY = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'te']);

/** The exporter of one signal's section (`otlp.logs`, `otlp.traces`, `otlp.metrics`). */
export function otlpExporter(signal: Signal, options: TlsOptions & { endpoint: string; protocol: string; headers: Record<string, string> }, ctx: ConnectContext): OtlpExporter {
  const tls = loadTls(options, ctx.tls);
  if (options.protocol === 'grpc') {
    // HTTP/2 forbids connection-specific headers (node refuses the request): left out.
    const metadata = Object.fromEntries(Object.entries(options.headers).filter(([name]) => !HTTP1_ONLY.has(name)));
    const headers = { 'user-agent': ctx.userAgent, ...metadata, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': grpcTimeout(ctx.timeoutMs) };
    return { signal, grpc: new GrpcChannel(grpcOrigin(options.endpoint), tls), path: GRPC_PATHS[signal], headers, protobuf: true };
  }
  const url = signalUrl(options.endpoint, signal);
  const protobuf = options.protocol === 'http/protobuf';
  const headers: Record<string, string> = {
    'user-agent': ctx.userAgent,
    ...options.headers,
    'content-type': protobuf ? 'application/x-protobuf' : 'application/json',
  };
  const pool = createHttpPool(url, { tls, connections: ctx.concurrency + 1, timeoutMs: ctx.timeoutMs });
  return { signal, pool, path: `${url.pathname}${url.search}`, headers, protobuf };
}

/** Sends one encoded batch of `count` items; a network error throws (the core retries it). */
export async function exportBatch(exporter: OtlpExporter, body: Uint8Array | string, count: number, signal: AbortSignal, clock: Clock): Promise<Outcome> {
  if (exporter.grpc) {
    const message = typeof body === 'string' ? Buffer.from(body) : body;
    return classifyGrpc(await exporter.grpc.call(exporter.path, exporter.headers, message, signal), count, exporter.signal);
  }
  const payload = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const res = await sendHttp(exporter.pool as Dispatcher, { path: exporter.path, method: 'POST', headers: exporter.headers, body: payload, signal });
  return classifyExport(res, count, exporter.protobuf, clock.now(), exporter.signal);
}

/** Closes the pool or the HTTP/2 session. */
export async function closeExporter(exporter: OtlpExporter): Promise<void> {
  await (exporter.grpc ? exporter.grpc.close() : exporter.pool?.close());
}
