// OpenObserve's answers to _multi ingestion → outcomes.
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/plugin/index.ts';
import { classifyIngest } from './classify.ts';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const res = (status: number, body: unknown = '', headers: Record<string, string> = {}): HttpResponse => ({ status, text: typeof body === 'string' ? body : JSON.stringify(body), headers });

describe('classifyIngest', () => {
  it.each<[string, HttpResponse, object]>([
    ['200, the record taken', res(200, { code: 200, status: [{ name: 'falco', successful: 1, failed: 0 }] }), { kind: 'ok' }],
    ['200 without a body to read', res(200, ''), { kind: 'ok' }],
    [
      '200, the record refused (too old)',
      res(200, { code: 200, status: [{ name: 'falco', successful: 0, failed: 1, error: 'Too old data, only last 5 hours data can be ingested.' }] }),
      { kind: 'fail', reason: 'record refused by stream falco: Too old data, only last 5 hours data can be ingested.' },
    ],
    ['400', res(400, { code: 400, message: 'Invalid json' }), { kind: 'fail', reason: 'HTTP 400: {"code":400,"message":"Invalid json"}' }],
    ['401', res(401, 'Unauthorized Access'), { kind: 'retry', auth: true, reason: 'HTTP 401: Unauthorized Access (credentials refused: check openobserve.username/password)' }],
    ['403', res(403, 'Unauthorized Access'), { kind: 'retry', auth: true, reason: 'HTTP 403: Unauthorized Access (credentials refused: check openobserve.username/password)' }],
    ['404', res(404, ''), { kind: 'fail', whole: true, reason: 'HTTP 404 (no OpenObserve ingestion here: check openobserve.hostport and organizationname)' }],
    ['429', res(429, { code: 429, message: 'rate limited' }, { 'retry-after': '1' }), { kind: 'retry', reason: 'HTTP 429: {"code":429,"message":"rate limited"}', afterMs: 1000 }],
    ['503 (memtable full)', res(503, { code: 503, message: 'MemoryTableOverflowError' }), { kind: 'retry', reason: 'HTTP 503: {"code":503,"message":"MemoryTableOverflowError"}' }],
  ])('%s', (_name, response, outcome) => {
    expect(classifyIngest(response, NOW)).toEqual(outcome);
  });
});
