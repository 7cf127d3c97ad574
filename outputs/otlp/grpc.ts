// OTLP/gRPC transport with node:http2: one HTTP/2 session per exporter (every call a stream on
// it), opened again after a GOAWAY, a close or an error. A unary call is gRPC over HTTP/2
// (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md): POST /<service>/<method>,
// content-type application/grpc, te: trailers, grpc-timeout, then the message behind its 5-byte
// prefix (compressed flag 0, big-endian length); the answer is the same framing, then trailers.
// A connection or stream failure throws (the core retries it); an answer is classified by grpc-status.ts.
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type SecureClientSessionOptions } from 'node:http2';
import { gunzipSync } from 'node:zlib';
import { abortReason } from '../../src/plugin/index.ts';
import type { GrpcAnswer } from './grpc-status.ts';
import type { Signal } from './options.ts';

/** The Export method of each signal's collector service. */
export const GRPC_PATHS: Record<Signal, string> = {
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
};

/** Response bytes kept (an Export*ServiceResponse is a few hundred bytes; the rest is dropped). */
const MAX_ANSWER = 1 << 20;

/** The message behind gRPC's 5-byte prefix: flag 0 (not compressed), its length big-endian. */
export function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.byteLength);
  out[0] = 0;
  out.writeUInt32BE(message.byteLength, 1);
  out.set(message, 5);
  return out;
}

/** The first message of a response body; undefined when incomplete or compressed other than gzip. */
export function firstMessage(body: Buffer, encoding: string | undefined): Uint8Array | undefined {
  if (body.length < 5) return undefined;
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) return undefined;
  const message = body.subarray(5, 5 + length);
  if (body[0] === 0) return message;
  if (encoding !== 'gzip') return undefined;
  try {
    return gunzipSync(message);
  } catch {
    return undefined;
  }
}

/** grpc-timeout: at most 8 digits and a unit; milliseconds, or whole seconds beyond 8 digits. */
export function grpcTimeout(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  return whole < 100_000_000 ? `${whole}m` : `${Math.min(99_999_999, Math.ceil(whole / 1000))}S`;
}

/**
 * Where a grpc endpoint points, read as the OTel Go SDK reads OTEL_EXPORTER_OTLP_*_ENDPOINT for
 * gRPC: http:// plaintext (h2c), https:// TLS, the host and port only, port 443 when none (gRPC's
 * default).
 */
export function grpcOrigin(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.protocol}//${url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname}:${url.port || '443'}`;
}

export class GrpcChannel {
  private session: ClientHttp2Session | undefined;
  private readonly origin: string;
  private readonly tls: SecureClientSessionOptions;

  constructor(origin: string, tls: SecureClientSessionOptions) {
    this.origin = origin;
    this.tls = tls;
  }

  /** One unary call; resolves with the answer (any grpc-status), rejects on a transport failure or abort. */
  call(path: string, headers: Record<string, string>, message: Uint8Array, signal: AbortSignal): Promise<GrpcAnswer> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      let session: ClientHttp2Session;
      let stream: ClientHttp2Stream;
      try {
        session = this.open();
        stream = session.request({ ...headers, ':method': 'POST', ':path': path }, { endStream: false });
      } catch (err) {
        this.session = undefined; // closing already (GOAWAY in flight): the next call opens another
        reject(err as Error);
        return;
      }
      let head: GrpcAnswer['headers'] | undefined;
      let trailers: GrpcAnswer['trailers'] = {};
      let failure: Error | undefined;
      const chunks: Buffer[] = [];
      let kept = 0;
      const onAbort = () => {
        stream.close(constants.NGHTTP2_CANCEL);
        // A connect that never finished (a black hole) is dropped; a connection that answered
        // nothing may be dead (no FIN): the next call opens another, the calls on it finish.
        if (session.connecting) this.drop(session);
        else if (!head) {
          this.retire(session);
          session.close();
        }
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.on('response', (h) => (head = h));
      stream.on('trailers', (t) => (trailers = t));
      stream.on('data', (chunk: Buffer) => {
        if (kept + chunk.length <= MAX_ANSWER) chunks.push(chunk);
        kept += chunk.length;
      });
      stream.on('error', (err) => (failure = err));
      stream.on('close', () => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return;
        const status = trailers['grpc-status'] ?? head?.['grpc-status'];
        // No answer, or a stream reset before the status: a transport failure, as gRPC clients see it.
        if (!head || (status === undefined && stream.rstCode !== constants.NGHTTP2_NO_ERROR)) {
          reject(failure ?? new Error(`HTTP/2 stream closed before the answer (code ${stream.rstCode})`));
          return;
        }
        const encoding = trailers['grpc-encoding'] ?? head['grpc-encoding'];
        const body = firstMessage(Buffer.concat(chunks), Array.isArray(encoding) ? encoding[0] : encoding?.toString());
        resolve({ headers: head, trailers, ...(body ? { message: body } : {}) });
      });
      stream.end(frame(message));
    });
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session || session.closed || session.destroyed) return;
    await new Promise<void>((resolve) => session.close(() => resolve()));
  }

  private open(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.origin, this.origin.startsWith('https:') ? this.tls : {});
    // Errors reach the calls through their streams (node destroys the session); here they only retire it.
    session.on('error', () => this.retire(session));
    session.on('goaway', () => this.retire(session));
    session.on('close', () => this.retire(session));
    this.session = session;
    return session;
  }

  /** No new streams on it; the ones in flight finish. */
  private retire(session: ClientHttp2Session): void {
    if (this.session === session) this.session = undefined;
  }

  private drop(session: ClientHttp2Session): void {
    this.retire(session);
    session.destroy();
  }
}
