// OTLP/gRPC pieces without a server: the 5-byte framing, grpc-timeout, the endpoint as the OTel Go
// SDK reads it, the status of an answer (trailers, trailers-only, HTTP fallback, RetryInfo,
// pushback) and its classification per the OTLP spec.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classifyGrpc, grpcStatus, percentDecode, retryDelayMs, type GrpcAnswer } from './grpc-status.ts';
import { firstMessage, frame, grpcOrigin, grpcTimeout } from './grpc.ts';
import { ProtoWriter } from './protobuf-writer.ts';

const bytes = (build: (w: ProtoWriter) => void) => {
  const w = new ProtoWriter(64);
  build(w);
  return Buffer.from(w.finish());
};
/** google.rpc.Status with one RetryInfo detail of `seconds` s and `nanos` ns. */
const statusWithRetryInfo = (seconds: number, nanos: number, type = 'type.googleapis.com/google.rpc.RetryInfo') =>
  bytes((w) => {
    w.tag(1, 0);
    w.uint32(8);
    w.tag(2, 2);
    w.string('slow down');
    const any = w.begin(3);
    w.tag(1, 2);
    w.string(type);
    const info = w.begin(2);
    const duration = w.begin(1);
    w.tag(1, 0);
    w.uint32(seconds);
    w.tag(2, 0);
    w.uint32(nanos);
    w.end(duration);
    w.end(info);
    w.end(any);
  });
/** ExportLogsServiceResponse { partial_success { rejected 2, "dropped: quota" } }. */
const partialResponse = bytes((w) => {
  const ps = w.begin(1);
  w.tag(1, 0);
  w.int64('2');
  w.tag(2, 2);
  w.string('dropped: quota');
  w.end(ps);
});

const answer = (trailers: Record<string, string>, headers: Record<string, string | number> = {}, message?: Uint8Array): GrpcAnswer => ({
  headers: { ':status': 200, 'content-type': 'application/grpc', ...headers } as GrpcAnswer['headers'],
  trailers,
  ...(message ? { message } : {}),
});

describe('grpc framing', () => {
  it('frame: flag 0, big-endian length, the message', () => {
    expect(frame(Buffer.from('abc')).toString('hex')).toBe('0000000003616263');
    expect(frame(new Uint8Array(0)).toString('hex')).toBe('0000000000');
    expect(frame(new Uint8Array(300)).subarray(0, 5).toString('hex')).toBe('000000012c');
  });

  it.each([
    ['an uncompressed message', '0000000003616263', undefined, 'abc'],
    ['only the first of two messages', '00000000016100000000016262', undefined, 'a'],
    ['an empty message', '0000000000', undefined, ''],
    ['a prefix alone (truncated)', '00000000', undefined, undefined],
    ['a length beyond the body', '0000000009616263', undefined, undefined],
    ['compressed without a known encoding', '0100000003616263', 'snappy', undefined],
    ['gzip that is not gzip', '0100000003616263', 'gzip', undefined],
  ])('firstMessage: %s', (_, hex, encoding, expected) => {
    const got = firstMessage(Buffer.from(hex, 'hex'), encoding);
    expect(got === undefined ? undefined : Buffer.from(got).toString()).toBe(expected);
  });

  it('firstMessage: a gzip-compressed message (flag 1, grpc-encoding gzip) is decompressed', () => {
    const zipped = gzipSync('partial');
    const body = Buffer.concat([Buffer.from([1, 0, 0, 0, zipped.length]), zipped]);
    expect(Buffer.from(firstMessage(body, 'gzip') ?? []).toString()).toBe('partial');
  });

  it.each([
    [10_000, '10000m'],
    [0.4, '1m'],
    [99_999_999, '99999999m'],
    [100_000_000, '100000S'],
    [1e12, '99999999S'],
  ])('grpcTimeout(%d) = %s', (ms, header) => {
    expect(grpcTimeout(ms)).toBe(header);
  });

  it.each([
    ['http://otel-collector:4317', 'http://otel-collector:4317'],
    ['https://otel.example.com', 'https://otel.example.com:443'],
    ['http://otel-collector', 'http://otel-collector:443'], // gRPC's default port, as the Go SDK dials
    ['http://otel-collector:4317/v1/traces', 'http://otel-collector:4317'], // the path is ignored
    ['https://[::1]:4317', 'https://[::1]:4317'],
  ])('grpcOrigin(%s) = %s', (endpoint, origin) => {
    expect(grpcOrigin(endpoint)).toBe(origin);
  });
});

describe('grpc status', () => {
  it.each([
    ['trailers', answer({ 'grpc-status': '14', 'grpc-message': 'connection refused' }), { code: 14, message: 'connection refused' }],
    ['trailers-only (status in the headers)', answer({}, { 'grpc-status': '3', 'grpc-message': 'bad' }), { code: 3, message: 'bad' }],
    ['trailers win over headers', answer({ 'grpc-status': '0' }, { 'grpc-status': '13' }), { code: 0, message: '' }],
    ['percent-decoded message', answer({ 'grpc-status': '3', 'grpc-message': 'caf%C3%A9%20100%25' }), { code: 3, message: 'café 100%' }],
    ['pushback', answer({ 'grpc-status': '14', 'grpc-retry-pushback-ms': '2500' }), { code: 14, message: '', retryAfterMs: 2500 }],
    ['a malformed pushback is ignored', answer({ 'grpc-status': '14', 'grpc-retry-pushback-ms': '-1' }), { code: 14, message: '' }],
    ['RetryInfo wins over pushback', answer({ 'grpc-status': '8', 'grpc-status-details-bin': statusWithRetryInfo(3, 500_000_000).toString('base64').replace(/=+$/, ''), 'grpc-retry-pushback-ms': '10' }), { code: 8, message: '', retryAfterMs: 3500 }],
    ['HTTP 503 from a proxy, no grpc-status', { headers: { ':status': 503, 'content-type': 'text/html' }, trailers: {} } as unknown as GrpcAnswer, { code: 14, message: 'HTTP 503 without grpc-status' }],
    ['HTTP 401 from a proxy', { headers: { ':status': 401 }, trailers: {} } as unknown as GrpcAnswer, { code: 16, message: 'HTTP 401 without grpc-status' }],
    ['HTTP 404 from a proxy', { headers: { ':status': 404 }, trailers: {} } as unknown as GrpcAnswer, { code: 12, message: 'HTTP 404 without grpc-status' }],
    ['HTTP 400 from a proxy', { headers: { ':status': 400 }, trailers: {} } as unknown as GrpcAnswer, { code: 13, message: 'HTTP 400 without grpc-status' }],
    ['HTTP 500 from a proxy', { headers: { ':status': 500 }, trailers: {} } as unknown as GrpcAnswer, { code: 2, message: 'HTTP 500 without grpc-status' }],
    ['200, not gRPC', { headers: { ':status': 200, 'content-type': 'text/plain' }, trailers: {} } as unknown as GrpcAnswer, { code: 2, message: 'not a gRPC answer (content-type text/plain)' }],
    ['200 gRPC without a status', answer({}), { code: 13, message: 'no grpc-status in the answer' }],
  ])('%s', (_, got, expected) => {
    expect(grpcStatus(got)).toEqual(expected);
  });

  it('percentDecode keeps a malformed text as it came', () => {
    expect(percentDecode('100% sure')).toBe('100% sure');
  });

  it('retryDelayMs: only a google.rpc.RetryInfo detail counts', () => {
    expect(retryDelayMs(statusWithRetryInfo(2, 0))).toBe(2000);
    expect(retryDelayMs(statusWithRetryInfo(2, 0, 'type.googleapis.com/google.rpc.DebugInfo'))).toBeUndefined();
    expect(retryDelayMs(new Uint8Array(0))).toBeUndefined();
  });
});

describe('grpc classification', () => {
  const status = (code: number, message = 'why', extra: Record<string, string> = {}) => answer({ 'grpc-status': String(code), 'grpc-message': message, ...extra });
  it.each([
    // the OTLP spec's retryable codes
    [1, 'CANCELLED', { kind: 'retry', reason: 'gRPC CANCELLED: why' }],
    [4, 'DEADLINE_EXCEEDED', { kind: 'retry', reason: 'gRPC DEADLINE_EXCEEDED: why' }],
    [10, 'ABORTED', { kind: 'retry', reason: 'gRPC ABORTED: why' }],
    [11, 'OUT_OF_RANGE', { kind: 'retry', reason: 'gRPC OUT_OF_RANGE: why' }],
    [14, 'UNAVAILABLE', { kind: 'retry', reason: 'gRPC UNAVAILABLE: why' }],
    [15, 'DATA_LOSS', { kind: 'retry', reason: 'gRPC DATA_LOSS: why' }],
    [8, 'RESOURCE_EXHAUSTED', { kind: 'retry', reason: 'gRPC RESOURCE_EXHAUSTED: why' }],
    // credentials: Peregrine's rule
    [16, 'UNAUTHENTICATED', { kind: 'retry', auth: true, reason: 'gRPC UNAUTHENTICATED: why (credentials refused: check otlp.traces.headers)' }],
    [7, 'PERMISSION_DENIED', { kind: 'retry', auth: true, reason: 'gRPC PERMISSION_DENIED: why (credentials refused: check otlp.traces.headers)' }],
    // not retryable
    [3, 'INVALID_ARGUMENT', { kind: 'fail', reason: 'gRPC INVALID_ARGUMENT: why' }],
    [2, 'UNKNOWN', { kind: 'fail', reason: 'gRPC UNKNOWN: why' }],
    [5, 'NOT_FOUND', { kind: 'fail', reason: 'gRPC NOT_FOUND: why' }],
    [6, 'ALREADY_EXISTS', { kind: 'fail', reason: 'gRPC ALREADY_EXISTS: why' }],
    [9, 'FAILED_PRECONDITION', { kind: 'fail', reason: 'gRPC FAILED_PRECONDITION: why' }],
    [13, 'INTERNAL', { kind: 'fail', reason: 'gRPC INTERNAL: why' }],
    [12, 'UNIMPLEMENTED', { kind: 'fail', whole: true, reason: 'gRPC UNIMPLEMENTED: why' }],
    [42, 'an unknown code', { kind: 'fail', reason: 'gRPC code 42: why' }],
  ])('%i %s', (code, _, outcome) => {
    expect(classifyGrpc(status(code), 3, 'traces')).toEqual(outcome);
  });

  it('a retryable answer waits for RetryInfo or pushback', () => {
    expect(classifyGrpc(status(14, '', { 'grpc-retry-pushback-ms': '1500' }), 3, 'logs')).toEqual({ kind: 'retry', reason: 'gRPC UNAVAILABLE', afterMs: 1500 });
    const details = statusWithRetryInfo(4, 0).toString('base64');
    expect(classifyGrpc(status(8, 'memory limiter', { 'grpc-status-details-bin': details }), 3, 'logs')).toEqual({ kind: 'retry', reason: 'gRPC RESOURCE_EXHAUSTED: memory limiter', afterMs: 4000 });
  });

  it('RESOURCE_EXHAUSTED for a message above the server\'s limit: too large, dead letter with the hint (halved: a half is smaller)', () => {
    expect(classifyGrpc(status(8, 'grpc: received message larger than max (5000000 vs. 4194304)'), 3, 'logs')).toEqual({
      kind: 'fail',
      reason: 'gRPC RESOURCE_EXHAUSTED: grpc: received message larger than max (5000000 vs. 4194304) (request too large: lower otlp.batch.maxbytes)',
    });
  });

  it('RESOURCE_EXHAUSTED larger than max for metrics: whole (every request carries the whole counter: a half is as large)', () => {
    expect(classifyGrpc(status(8, 'grpc: received message larger than max (5000000 vs. 4194304)'), 3, 'metrics')).toEqual({
      kind: 'fail',
      whole: true,
      reason: 'gRPC RESOURCE_EXHAUSTED: grpc: received message larger than max (5000000 vs. 4194304) (request too large: fewer otlp.metrics.extraattributes, or a larger request limit at the receiver)',
    });
  });

  it('OK: ok, or the whole batch dead-lettered on a partial success, as over HTTP', () => {
    expect(classifyGrpc(answer({ 'grpc-status': '0' }, {}, Buffer.from([0x0a, 0x00])), 3, 'logs')).toEqual({ kind: 'ok' });
    expect(classifyGrpc(answer({ 'grpc-status': '0' }), 3, 'logs')).toEqual({ kind: 'ok' });
    expect(classifyGrpc(answer({ 'grpc-status': '0' }, {}, partialResponse), 3, 'logs')).toEqual({
      kind: 'fail',
      whole: true,
      reason: 'the OTLP receiver rejected 2 of the 3 log records of this batch without saying which: dropped: quota (the whole batch is dead-lettered; the rest was accepted)',
    });
  });
});
