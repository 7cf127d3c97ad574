// What a slow or broken client may cost: bounded time to send headers and the whole request, a cap
// on open connections (a thousand slow bodies used to lock every client out under a 1,024 fd limit),
// and for protocol errors (bad chunking, Transfer-Encoding with Content-Length, a header flood,
// a timeout) the documented error body, counted once like every other rejected request.
import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { ErrorCodes, RequestError } from '../errors.ts';

export interface ConnectionLimits {
  requesttimeoutms: number;
  maxconnections: number;
}

// Through require, not `import { STATUS_CODES } from 'node:http'`: an ESM import of node:http reads
// every export, and its lazy WebSocket/MessageEvent exports load node's bundled undici (~1 MiB of
// idle RSS, docs/performance.md#idle-rss) in a daemon that never uses them.
const { STATUS_CODES } = createRequire(import.meta.url)('node:http') as typeof Http;

/** Idle keep-alive connections are closed after this (Falco's libcurl reuses its connection). */
const KEEP_ALIVE_MS = 75_000;

/** Options for Fastify (and through `http`/`https`, for node's server) that bound each request's time. */
export function timeoutOptions(limits: ConnectionLimits): {
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  node: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
} {
  const requestTimeout = limits.requesttimeoutms;
  return {
    keepAliveTimeout: KEEP_ALIVE_MS,
    requestTimeout,
    // A socket silent for longer than any request may take and the keep-alive wait is closed.
    connectionTimeout: Math.max(requestTimeout, KEEP_ALIVE_MS) + 5_000,
    node: {
      headersTimeout: Math.min(requestTimeout, 10_000),
      requestTimeout,
      // Node checks the two timeouts above on this interval (default 30 s: a 10 s limit took 40 s).
      connectionsCheckingInterval: Math.min(1_000, requestTimeout),
    },
  };
}

function clientErrorOf(err: NodeJS.ErrnoException): RequestError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new RequestError(ErrorCodes.HEADERS_TOO_LARGE, 431, 'the request headers are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new RequestError(ErrorCodes.REQUEST_TIMEOUT, 408, 'the request was not received in time (ingest.requesttimeoutms)');
    default:
      return new RequestError(ErrorCodes.HTTP_MALFORMED, 400, `malformed HTTP request (${err.code ?? 'parse error'}): ${String(err.message).slice(0, 200)}`);
  }
}

/** Fastify's clientErrorHandler: the documented body, counted once through `onReject`. */
export function clientErrorHandler(onReject: (error: RequestError) => void): (err: Error, socket: Socket) => void {
  return (err, socket) => {
    const code = (err as NodeJS.ErrnoException).code;
    // The client went away: nothing to answer, nothing it sent to count.
    if (code === 'ECONNRESET' || code === 'EPIPE' || !socket.writable) return void socket.destroy();
    const error = clientErrorOf(err as NodeJS.ErrnoException);
    onReject(error);
    const body = JSON.stringify(error.toBody());
    socket.end(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}

const LOG_EVERY_MS = 10_000;

/** Caps open connections; refused ones are counted and logged at most once per interval. */
export function capConnections(server: Http.Server, limits: ConnectionLimits, log: Logger, onRefused: () => void, now: () => number = Date.now): void {
  server.maxConnections = limits.maxconnections;
  let lastLogAt = -Infinity;
  let unlogged = 0;
  server.on('drop', () => {
    onRefused();
    unlogged++;
    if (now() - lastLogAt < LOG_EVERY_MS) return;
    log.warn(
      { refused: unlogged, maxconnections: limits.maxconnections },
      `ingest connections refused: ${limits.maxconnections} are open (ingest.maxconnections); logged at most every ${LOG_EVERY_MS / 1000} s, see peregrine_ingest_connections_refused_total`,
    );
    lastLogAt = now();
    unlogged = 0;
  });
}
