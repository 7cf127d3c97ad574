// Sumo Logic's documented answers to an HTTP source upload → outcomes.
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/plugin/index.ts';
import { classifySumo } from './classify.ts';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const res = (status: number, text = '', headers: Record<string, string> = {}): HttpResponse => ({ status, text, headers });

describe('classifySumo', () => {
  it.each<[string, HttpResponse, object]>([
    ['200 received', res(200), { kind: 'ok' }],
    ['401 invalid URL token', res(401, ''), { kind: 'retry', auth: true, reason: "HTTP 401 (the source's token was refused: check sumologic.receiverurl, and that the HTTP source still exists)" }],
    ['408 accepted but timed out processing', res(408), { kind: 'retry', reason: 'HTTP 408' }],
    ['429 throttled', res(429), { kind: 'retry', reason: 'HTTP 429' }],
    ['429 throttled with Retry-After', res(429, '', { 'retry-after': '5' }), { kind: 'retry', reason: 'HTTP 429', afterMs: 5000 }],
    ['503', res(503, 'Service Unavailable'), { kind: 'retry', reason: 'HTTP 503: Service Unavailable' }],
    ['504', res(504), { kind: 'retry', reason: 'HTTP 504' }],
    ['404', res(404, 'Not Found'), { kind: 'fail', whole: true, reason: 'HTTP 404: Not Found (no HTTP source here: check sumologic.receiverurl)' }],
    ['413 (a body too large)', res(413, 'Request Entity Too Large'), { kind: 'fail', reason: 'HTTP 413: Request Entity Too Large' }],
  ])('%s', (_name, response, outcome) => {
    expect(classifySumo(response, NOW)).toEqual(outcome);
  });
});
