// InfluxDB's documented write answers → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyWrite } from './classify.ts';

const now = Date.parse('2026-11-20T10:00:00Z');
const res = (status: number, text = '', headers: Record<string, string> = {}) => ({ status, text, headers });

describe('influxdb classify', () => {
  it.each([
    ['204 written', res(204), { kind: 'ok' }],
    ['200 (some proxies)', res(200), { kind: 'ok' }],
    ['400 line protocol poorly formed (v2)', res(400, '{"code":"invalid","message":"unable to parse \'events x\': missing fields"}'), { kind: 'fail', reason: expect.stringContaining('HTTP 400: {"code":"invalid"') }],
    ['400 partial write (v1, field type conflict)', res(400, '{"error":"partial write: field type conflict: input field \\"value\\" on measurement \\"events\\" is type string, already exists as type float dropped=1"}'), { kind: 'fail' }],
    ['401 unauthorized', res(401, '{"code":"unauthorized","message":"unauthorized access"}'), { kind: 'retry', auth: true }],
    ['403 forbidden (token without write permission)', res(403), { kind: 'retry', auth: true }],
    ['404 bucket not found (v2)', res(404, '{"code":"not found","message":"bucket \\"falco\\" not found"}'), { kind: 'retry', auth: true, reason: expect.stringContaining('the database or bucket does not exist') }],
    ['404 database not found (v1)', res(404, '{"error":"database not found: \\"falco\\""}'), { kind: 'retry', auth: true }],
    ['413 request too large', res(413, '{"code":"request too large"}'), { kind: 'fail' }],
    ['422 unprocessable (points outside the retention period)', res(422, '{"code":"unprocessable entity"}'), { kind: 'fail' }],
    ['429 with Retry-After', res(429, '', { 'retry-after': '30' }), { kind: 'retry', afterMs: 30_000 }],
    ['500', res(500, '{"error":"timeout"}'), { kind: 'retry' }],
    ['503 write buffer full, Retry-After', res(503, '', { 'retry-after': '5' }), { kind: 'retry', afterMs: 5000 }],
  ])('%s', (_, answer, expected) => {
    const outcome = classifyWrite(answer, now);
    expect(outcome).toMatchObject(expected);
    if (expected.kind === 'retry' && !('auth' in expected)) expect(outcome).not.toHaveProperty('auth');
  });
});
