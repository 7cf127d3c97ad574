// Datadog's documented answers (Events API v1 and Logs intake v2) → outcomes.
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/plugin/index.ts';
import { classifyDatadog, withoutKey } from './classify.ts';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const res = (status: number, text = '', headers: Record<string, string> = {}): HttpResponse => ({ status, text, headers });

describe('classifyDatadog', () => {
  it.each<[string, HttpResponse, object]>([
    ['202 event accepted', res(202, '{"status":"ok","event":{"id":1}}'), { kind: 'ok' }],
    ['202 logs accepted', res(202, '{}'), { kind: 'ok' }],
    ['400 v1 errors', res(400, '{"errors":["Event title is required"]}'), { kind: 'fail', reason: 'HTTP 400: Event title is required' }],
    [
      '400 v2 errors',
      res(400, '{"errors":[{"status":"400","title":"Bad Request","detail":"invalid JSON"}]}'),
      { kind: 'fail', reason: 'HTTP 400: Bad Request: invalid JSON' },
    ],
    ['401', res(401, '{"errors":["Unauthorized"]}'), { kind: 'retry', auth: true, reason: 'HTTP 401: Unauthorized (API key refused: check datadog.apikey, and that datadog.host is the site the key belongs to)' }],
    ['403', res(403, '{"errors":["Forbidden"]}'), { kind: 'retry', auth: true, reason: 'HTTP 403: Forbidden (API key refused: check datadog.apikey, and that datadog.host is the site the key belongs to)' }],
    ['404', res(404, '{"errors":["Not found"]}'), { kind: 'fail', whole: true, reason: 'HTTP 404: Not found (no Datadog API here: check datadog.host)' }],
    ['408', res(408, ''), { kind: 'retry', reason: 'HTTP 408' }],
    ['413', res(413, '{"errors":[{"status":"413","title":"Payload Too Large","detail":"payload too large"}]}'), { kind: 'fail', reason: 'HTTP 413: Payload Too Large: payload too large (payload too large)' }],
    ['429 with X-RateLimit-Reset', res(429, '{"errors":["Rate limit exceeded"]}', { 'x-ratelimit-reset': '17' }), { kind: 'retry', reason: 'HTTP 429: Rate limit exceeded', afterMs: 17_000 }],
    ['429 with Retry-After (wins)', res(429, '', { 'retry-after': '3', 'x-ratelimit-reset': '17' }), { kind: 'retry', reason: 'HTTP 429', afterMs: 3000 }],
    ['429 without either', res(429, '{"errors":["Rate limit exceeded"]}'), { kind: 'retry', reason: 'HTTP 429: Rate limit exceeded' }],
    ['500', res(500, '{"errors":["Internal Server Error"]}'), { kind: 'retry', reason: 'HTTP 500: Internal Server Error' }],
    ['503 with Retry-After', res(503, 'upstream', { 'retry-after': '2' }), { kind: 'retry', reason: 'HTTP 503: upstream', afterMs: 2000 }],
    ['501', res(501, ''), { kind: 'fail', reason: 'HTTP 501' }],
    ['302 (not followed)', res(302, '', { location: 'https://api.datadoghq.eu/api/v1/events' }), { kind: 'fail', whole: true, reason: expect.stringContaining('https://api.datadoghq.eu/api/v1/events') }],
    ['422 (not documented): failed', res(422, 'nope'), { kind: 'fail', reason: 'HTTP 422: nope' }],
  ])('%s', (_name, response, outcome) => {
    expect(classifyDatadog(response, NOW, 'datadog')).toEqual(outcome);
  });

  it('names the output whose keys to check', () => {
    expect(classifyDatadog(res(403, '{"errors":["Forbidden"]}'), NOW, 'datadoglogs')).toMatchObject({ reason: expect.stringContaining('check datadoglogs.apikey') });
  });

  it('an API key echoed in an answer never reaches a reason', () => {
    const outcome = classifyDatadog(res(400, '{"errors":["bad request to /api/v1/events?api_key=abc123"]}'), NOW, 'datadog');
    expect(withoutKey(outcome, 'abc123')).toEqual({ kind: 'fail', reason: 'HTTP 400: bad request to /api/v1/events?api_key=***' });
  });
});
