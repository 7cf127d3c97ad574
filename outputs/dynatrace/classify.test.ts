// Every documented answer of the Logs ingest API v2 to a request of one record, classified.
import { describe, expect, it } from 'vitest';
import { classifyDynatrace, dynatraceMessage } from './classify.ts';

const res = (status: number, body: unknown = '', headers: Record<string, string> = {}) => ({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) });
const err = (code: number, message: string, constraintViolations?: unknown[]) => ({ error: { code, message, ...(constraintViolations ? { constraintViolations } : {}) } });

describe('dynatrace classification', () => {
  it.each([
    ['204 stored', res(204), { kind: 'ok' }],
    ['202 (an ActiveGate that queues)', res(202), { kind: 'ok' }],
    [
      '200 partial success: the one record was not ingested whole',
      res(200, { details: { code: 200, message: 'Only a part of input events were ingested' } }),
      { kind: 'fail', reason: 'Dynatrace did not ingest the record whole (HTTP 200: Only a part of input events were ingested)' },
    ],
    [
      '400 with constraint violations',
      res(400, err(400, 'The input is invalid', [{ path: 'body[0].timestamp', message: 'is too old', parameterLocation: 'PAYLOAD_BODY' }])),
      { kind: 'fail', reason: 'HTTP 400: The input is invalid; body[0].timestamp: is too old' },
    ],
    ['401 missing or bad token', res(401, err(401, 'Token Authentication failed')), { kind: 'retry', reason: 'HTTP 401: Token Authentication failed (token refused: check dynatrace.apitoken and its logs.ingest scope)', auth: true }],
    ['403 token without logs.ingest', res(403, err(403, 'Token is missing required scope')), { kind: 'retry', reason: 'HTTP 403: Token is missing required scope (token refused: check dynatrace.apitoken and its logs.ingest scope)', auth: true }],
    ['402 licence exhausted', res(402, err(402, 'DPS license exhausted')), { kind: 'retry', reason: "HTTP 402: DPS license exhausted (the environment's licence or log budget is exhausted)" }],
    ['404 no ActiveGate with the log module', res(404, err(404, 'Not found')), { kind: 'fail', reason: 'HTTP 404: Not found' }],
    ['413 too big', res(413, err(413, 'Request payload size is too big')), { kind: 'fail', reason: 'HTTP 413: Request payload size is too big' }],
    ['429 with Retry-After', res(429, err(429, 'Too Many Requests'), { 'retry-after': '7' }), { kind: 'retry', reason: 'HTTP 429: Too Many Requests', afterMs: 7000 }],
    ['429 without', res(429, err(429, 'Too Many Requests')), { kind: 'retry', reason: 'HTTP 429: Too Many Requests' }],
    ['501 indexed storage off', res(501, err(501, 'Not implemented')), { kind: 'fail', reason: 'HTTP 501: Not implemented' }],
    ['502 bad gateway, no body', res(502), { kind: 'retry', reason: 'HTTP 502' }],
    ['503 usable space limit', res(503, err(503, 'Usable space limit reached')), { kind: 'retry', reason: 'HTTP 503: Usable space limit reached' }],
    ['504 gateway timeout', res(504, 'upstream timed out'), { kind: 'retry', reason: 'HTTP 504: upstream timed out' }],
  ])('%s', (_name, answer, outcome) => {
    expect(classifyDynatrace(answer, 0)).toMatchObject(outcome);
  });

  it('a body that is not Dynatrace\'s JSON is quoted as it is', () => {
    expect(dynatraceMessage('<html>bad gateway</html>')).toBe('<html>bad gateway</html>');
  });
});
