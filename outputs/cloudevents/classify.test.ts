// A CloudEvents consumer's answers (a Knative broker's ingress) → outcomes.
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/plugin/index.ts';
import { classifyCloudEvents } from './classify.ts';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const res = (status: number, text = '', headers: Record<string, string> = {}): HttpResponse => ({ status, text, headers });

describe('classifyCloudEvents', () => {
  it.each<[string, HttpResponse, object]>([
    ['202 accepted', res(202), { kind: 'ok' }],
    ['200', res(200), { kind: 'ok' }],
    ['400 an event it cannot read', res(400, 'bad event'), { kind: 'fail', reason: 'HTTP 400: bad event' }],
    ['404 unknown broker', res(404, 'broker not found'), { kind: 'fail', whole: true, reason: "HTTP 404: broker not found (no consumer here: check cloudevents.address, e.g. the broker's namespace and name)" }],
    ['401', res(401), { kind: 'retry', auth: true, reason: "HTTP 401 (credentials refused: check the output's token/username/password)" }],
    ['429 with Retry-After', res(429, '', { 'retry-after': '2' }), { kind: 'retry', reason: 'HTTP 429', afterMs: 2000 }],
    ['503', res(503, 'unavailable'), { kind: 'retry', reason: 'HTTP 503: unavailable' }],
  ])('%s', (_name, response, outcome) => {
    expect(classifyCloudEvents(response, NOW)).toEqual(outcome);
  });
});
