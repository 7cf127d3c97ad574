// What the otlp (logs) and otlptraces outputs share on the wire: the signal's URL, the pool, the
// headers of the protocol, and one export request classified by the OTLP/HTTP rules (response.ts).
import type { Dispatcher } from 'undici';
import { createHttpPool, loadTls, sendHttp, type Clock, type ConnectContext, type Outcome, type TlsOptions } from '../../src/plugin/index.ts';
import { signalUrl, type Signal } from './options.ts';
import { classifyExport } from './response.ts';

export interface OtlpExporter {
  signal: Signal;
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  protobuf: boolean;
}

/** The exporter of one signal's section (`otlp.logs`, `otlp.traces`). */
export function otlpExporter(signal: Signal, options: TlsOptions & { endpoint: string; protocol: string; headers: Record<string, string> }, ctx: ConnectContext): OtlpExporter {
  const url = signalUrl(options.endpoint, signal);
  const protobuf = options.protocol === 'http/protobuf';
  const headers: Record<string, string> = {
    'user-agent': ctx.userAgent,
    ...options.headers,
    'content-type': protobuf ? 'application/x-protobuf' : 'application/json',
  };
  const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency + 1, timeoutMs: ctx.timeoutMs });
  return { signal, pool, path: `${url.pathname}${url.search}`, headers, protobuf };
}

/** POSTs one encoded batch of `count` alerts; a network error throws (the core retries it). */
export async function exportBatch(exporter: OtlpExporter, body: Uint8Array | string, count: number, signal: AbortSignal, clock: Clock): Promise<Outcome> {
  const payload = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const res = await sendHttp(exporter.pool, { path: exporter.path, method: 'POST', headers: exporter.headers, body: payload, signal });
  return classifyExport(res, count, exporter.protobuf, clock.now(), exporter.signal);
}
