// OTLP/HTTP answers → outcomes (https://opentelemetry.io/docs/specs/otlp/#otlphttp-response;
// OTLP/gRPC answers: grpc-status.ts, sharing the partial success below):
//   2xx                      success; the body may carry partialSuccess {rejectedLogRecords,
//                            rejectedSpans or rejectedDataPoints, errorMessage} (the otlp outputs share this)
//   429, 502, 503, 504       retryable, Retry-After honoured
//   other 4xx/5xx            not retryable (the spec: "MUST NOT retry") → dead letter
//   401/403                  Peregrine's rule for every output: wait for fixed credentials (retried)
//   413                      not retryable; logs and traces: the core sends the batch again in
//                            halves; metrics: whole (every request carries the whole counter, so
//                            a half is no smaller)
// A partial success does not say WHICH records were rejected and the spec forbids re-sending
// them, so when any was rejected the whole batch is dead-lettered with the server's message
// and the count: every alert that may be missing stays in the dead-letter store (replaying it may
// duplicate the ones the server kept; losing a security alert quietly is worse).
// Error bodies are google.rpc.Status, encoded like the request (protobuf or JSON).
import { excerpt, fail, ok, refusal, retry, retryAfterMs, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';
import type { Signal } from './options.ts';

export interface PartialSuccess {
  rejected: bigint;
  message: string;
}

const RETRYABLE = new Set([429, 502, 503, 504]);

// Per signal: what a request carries, the partial success's JSON field, what to do about a 413.
const SIGNAL = {
  logs: { items: 'log records', rejected: 'rejectedLogRecords', tooLarge: 'lower otlp.batch.maxbytes' },
  traces: { items: 'spans', rejected: 'rejectedSpans', tooLarge: 'lower otlp.traces.batch.maxbytes' },
  // A metrics request carries every attribute set counted so far, whatever the batch.
  metrics: { items: 'data points', rejected: 'rejectedDataPoints', tooLarge: 'fewer otlp.metrics.extraattributes, or a larger request limit at the receiver' },
} as const;

export function classifyExport(res: HttpResponse, size: number, protobuf: boolean, now?: number, signal: Signal = 'logs'): Outcome {
  const { rejected, tooLarge } = SIGNAL[signal];
  if (res.status >= 200 && res.status < 300) return partialOutcome(protobuf ? partialFromProtobuf(res.bytes) : partialFromJson(res.text, rejected), size, signal);
  const status = statusMessage(res, protobuf);
  const detail = `HTTP ${res.status}${status ? `: ${excerpt(status)}` : ''}`;
  if (res.status === 401 || res.status === 403) return retry(`${detail} (credentials refused: check otlp.${signal}.headers)`, { auth: true });
  if (RETRYABLE.has(res.status)) {
    const afterMs = retryAfterMs(res.headers['retry-after'], now);
    return retry(detail, afterMs === undefined ? undefined : { afterMs });
  }
  if (res.status === 413) return tooLargeOutcome(`${detail} (request too large: ${tooLarge})`, signal);
  return refusal(res.status, detail);
}

/** A successful export (OTLP/HTTP 2xx or gRPC OK): ok, or the whole batch dead-lettered when any item was rejected. */
export function partialOutcome(partial: PartialSuccess | undefined, size: number, signal: Signal): Outcome {
  if (!partial || partial.rejected <= 0n) return ok();
  const message = partial.message ? `: ${excerpt(partial.message)}` : '';
  return fail(`the OTLP receiver rejected ${partial.rejected} of the ${size} ${SIGNAL[signal].items} of this batch without saying which${message} (the whole batch is dead-lettered; the rest was accepted)`, {
    whole: true,
  });
}

/** What to do about a request the receiver found too large, per signal. */
export const tooLargeHint = (signal: Signal) => SIGNAL[signal].tooLarge;

/**
 * A request the receiver found too large: dead letter. A logs or traces batch is sent again in
 * halves (smaller requests); a metrics request carries the whole counter whatever the batch, so
 * halving it would only send the same size again for every half: whole.
 */
export const tooLargeOutcome = (reason: string, signal: Signal): Outcome => (signal === 'metrics' ? fail(reason, { whole: true }) : fail(reason));

function partialFromJson(text: string, field: string): PartialSuccess | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const body = JSON.parse(text) as { partialSuccess?: Record<string, string | number | undefined> };
    const p = body.partialSuccess;
    if (!p) return undefined;
    return { rejected: BigInt(p[field] ?? 0), message: String(p.errorMessage ?? '') };
  } catch {
    return undefined;
  }
}

/** Export{Logs,Trace}ServiceResponse { 1: partial_success { 1: rejected_log_records / rejected_spans int64, 2: error_message } }. */
export function partialFromProtobuf(bytes: Uint8Array | undefined): PartialSuccess | undefined {
  if (!bytes?.length) return undefined;
  const inner = fields(bytes).find((f) => f.field === 1 && f.bytes)?.bytes;
  if (!inner) return undefined;
  const parts = fields(inner);
  const rejected = parts.find((f) => f.field === 1 && f.varint !== undefined)?.varint ?? 0n;
  const message = parts.find((f) => f.field === 2 && f.bytes)?.bytes;
  return { rejected: BigInt.asIntN(64, rejected), message: message ? decoder.decode(message) : '' };
}

function statusMessage(res: HttpResponse, protobuf: boolean): string {
  const type = String(res.headers['content-type'] ?? '');
  if (protobuf && type.includes('protobuf') && res.bytes?.length) {
    const message = fields(res.bytes).find((f) => f.field === 2 && f.bytes)?.bytes; // google.rpc.Status.message
    return message ? decoder.decode(message) : '';
  }
  if (res.text.startsWith('{')) {
    try {
      const message = (JSON.parse(res.text) as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    } catch {
      // not JSON after all: the text itself below
    }
  }
  return res.text;
}

export interface Field {
  field: number;
  varint?: bigint;
  bytes?: Uint8Array;
}

/** The top-level fields of a protobuf message; stops quietly at anything malformed. */
export function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const varint = (): bigint | undefined => {
    let result = 0n;
    for (let shift = 0n; pos < buf.length && shift < 70n; shift += 7n) {
      const b = buf[pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
    return undefined;
  };
  while (pos < buf.length) {
    const key = varint();
    if (key === undefined) break;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const v = varint();
      if (v === undefined) break;
      out.push({ field, varint: v });
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || pos + Number(len) > buf.length) break;
      out.push({ field, bytes: buf.subarray(pos, pos + Number(len)) });
      pos += Number(len);
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else break;
  }
  return out;
}

const decoder = new TextDecoder();
