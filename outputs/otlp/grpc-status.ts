// OTLP/gRPC answers → outcomes (https://opentelemetry.io/docs/specs/otlp/#failures; gRPC over
// HTTP/2: grpc-status and grpc-message in the trailers, or in the headers of a trailers-only answer):
//   OK                                  success; the Export*ServiceResponse may carry a partial
//                                       success, handled as the OTLP/HTTP one (response.ts)
//   CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS
//                                       retryable (the spec's list), after the server's RetryInfo
//                                       (grpc-status-details-bin) or grpc-retry-pushback-ms if any
//   RESOURCE_EXHAUSTED                  retryable (the spec: only with RetryInfo; a collector's
//                                       memory limiter sends none, and the alerts must not be lost),
//                                       except "message larger than max": the request is too large
//                                       (dead letter: halved for logs and traces, whole for metrics)
//   UNAUTHENTICATED, PERMISSION_DENIED  Peregrine's rule for every output: wait for fixed credentials
//   UNIMPLEMENTED                       the endpoint serves no such service: dead letter, not halved
//   anything else (INVALID_ARGUMENT …)  not retryable → dead letter
// An answer without grpc-status (a proxy's own HTTP error) reads as gRPC's HTTP-to-status mapping
// (https://github.com/grpc/grpc/blob/master/doc/http-grpc-status-mapping.md).
import { excerpt, fail, retry, type Outcome } from '../../src/plugin/index.ts';
import type { Signal } from './options.ts';
import { fields, partialFromProtobuf, partialOutcome, tooLargeHint, tooLargeOutcome } from './response.ts';

/** The status codes by number (https://grpc.github.io/grpc/core/md_doc_statuscodes.html). */
const GRPC_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;
const code = (name: (typeof GRPC_CODES)[number]) => GRPC_CODES.indexOf(name);

const RETRYABLE = new Set([code('CANCELLED'), code('DEADLINE_EXCEEDED'), code('ABORTED'), code('OUT_OF_RANGE'), code('UNAVAILABLE'), code('DATA_LOSS'), code('RESOURCE_EXHAUSTED')]);
const AUTH = new Set([code('UNAUTHENTICATED'), code('PERMISSION_DENIED')]);
const HTTP_TO_GRPC: Record<number, number> = { 400: code('INTERNAL'), 401: code('UNAUTHENTICATED'), 403: code('PERMISSION_DENIED'), 404: code('UNIMPLEMENTED'), 429: code('UNAVAILABLE'), 502: code('UNAVAILABLE'), 503: code('UNAVAILABLE'), 504: code('UNAVAILABLE') };

type Headers = Record<string, string | string[] | number | undefined>;

/** One finished call: the response headers, the trailers (empty for trailers-only) and the response message. */
export interface GrpcAnswer {
  headers: Headers;
  trailers: Headers;
  /** The first length-prefixed message, decompressed; undefined when none came. */
  message?: Uint8Array;
}

export interface GrpcStatus {
  code: number;
  message: string;
  /** From RetryInfo in grpc-status-details-bin, else grpc-retry-pushback-ms. */
  retryAfterMs?: number;
}

const one = (v: string | string[] | number | undefined): string | undefined => (Array.isArray(v) ? v[0] : v === undefined ? undefined : String(v));

/** The call's status: trailers first, then the headers (trailers-only), then the HTTP status. */
export function grpcStatus(answer: GrpcAnswer): GrpcStatus {
  const get = (name: string) => one(answer.trailers[name]) ?? one(answer.headers[name]);
  const raw = get('grpc-status');
  if (raw === undefined || !/^\d+$/.test(raw.trim())) {
    const http = Number(one(answer.headers[':status']) ?? 0);
    const type = one(answer.headers['content-type']) ?? '';
    if (http !== 200) return { code: HTTP_TO_GRPC[http] ?? code('UNKNOWN'), message: `HTTP ${http} without grpc-status` };
    return { code: code(type.startsWith('application/grpc') ? 'INTERNAL' : 'UNKNOWN'), message: type.startsWith('application/grpc') ? 'no grpc-status in the answer' : `not a gRPC answer (content-type ${type || 'none'})` };
  }
  const status: GrpcStatus = { code: Number(raw), message: percentDecode(get('grpc-message') ?? '') };
  const details = get('grpc-status-details-bin');
  const delay = details === undefined ? undefined : retryDelayMs(Buffer.from(details, 'base64'));
  const pushback = get('grpc-retry-pushback-ms');
  const afterMs = delay ?? (pushback !== undefined && /^\d+$/.test(pushback.trim()) ? Number(pushback) : undefined);
  if (afterMs !== undefined) status.retryAfterMs = afterMs;
  return status;
}

/** grpc-message is percent-encoded UTF-8; a malformed one is kept as it came. */
export function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * google.rpc.Status { 3: repeated Any details } → the RetryInfo's retry_delay in ms, if any:
 * Any { 1: type_url, 2: value }, RetryInfo { 1: google.protobuf.Duration { 1: seconds, 2: nanos } }.
 */
export function retryDelayMs(status: Uint8Array): number | undefined {
  for (const detail of fields(status)) {
    if (detail.field !== 3 || !detail.bytes) continue;
    const any = fields(detail.bytes);
    const type = any.find((f) => f.field === 1 && f.bytes)?.bytes;
    const value = any.find((f) => f.field === 2 && f.bytes)?.bytes;
    if (!type || !Buffer.from(type).toString('utf8').endsWith('/google.rpc.RetryInfo')) continue;
    const duration = value && fields(value).find((f) => f.field === 1 && f.bytes)?.bytes;
    if (!duration) return 0;
    const parts = fields(duration);
    const seconds = parts.find((f) => f.field === 1)?.varint ?? 0n;
    const nanos = parts.find((f) => f.field === 2)?.varint ?? 0n;
    return Math.max(0, Number(BigInt.asIntN(64, seconds)) * 1000 + Math.round(Number(BigInt.asIntN(32, nanos)) / 1e6));
  }
  return undefined;
}

/** One export call's answer → outcome; `size` the batch's item count for a partial success. */
export function classifyGrpc(answer: GrpcAnswer, size: number, signal: Signal): Outcome {
  const status = grpcStatus(answer);
  if (status.code === 0) return partialOutcome(partialFromProtobuf(answer.message), size, signal);
  const name = GRPC_CODES[status.code] ?? `code ${status.code}`;
  const detail = `gRPC ${name}${status.message ? `: ${excerpt(status.message)}` : ''}`;
  if (AUTH.has(status.code)) return retry(`${detail} (credentials refused: check otlp.${signal}.headers)`, { auth: true });
  if (status.code === code('RESOURCE_EXHAUSTED') && /larger than max/i.test(status.message)) return tooLargeOutcome(`${detail} (request too large: ${tooLargeHint(signal)})`, signal);
  if (RETRYABLE.has(status.code)) return retry(detail, status.retryAfterMs === undefined ? undefined : { afterMs: status.retryAfterMs });
  // The service or method is not served there: every alert would get the same answer.
  if (status.code === code('UNIMPLEMENTED')) return fail(detail, { whole: true });
  return fail(detail);
}
