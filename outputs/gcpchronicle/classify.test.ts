// Every documented logs:import answer (Google's {"error": {code, message, status}}) → an outcome.
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/plugin/index.ts';
import { classifyImport } from './classify.ts';

const TARGET = { projectid: 'p1', region: 'us', instanceid: 'inst-1', logtype: 'FALCO_IDS' };
const PARENT = 'projects/p1/locations/us/instances/inst-1/logTypes/FALCO_IDS';
const NOW = Date.parse('2026-12-08T01:00:00Z');
const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) });
const gerr = (code: number, status: string, message: string) => ({ error: { code, status, message } });

describe('classifyImport', () => {
  it.each([
    ['200 {}', res(200, {}), { kind: 'ok' }],
    ['200 empty', res(200, ''), { kind: 'ok' }],
    ['400 INVALID_ARGUMENT: refused, halved by the core', res(400, gerr(400, 'INVALID_ARGUMENT', 'Invalid value at inline_source.logs[0].data')), { kind: 'fail', reason: 'Chronicle answered 400 INVALID_ARGUMENT: Invalid value at inline_source.logs[0].data' }],
    ['401', res(401, gerr(401, 'UNAUTHENTICATED', 'bad token')), { kind: 'retry', auth: true, reason: 'Chronicle answered 401 UNAUTHENTICATED: bad token (the credentials were refused: check gcp.credentials or the Application Default Credentials)' }],
    ['403', res(403, gerr(403, 'PERMISSION_DENIED', 'denied')), { kind: 'retry', auth: true, reason: `Chronicle answered 403 PERMISSION_DENIED: denied (the account may not import logs into ${PARENT}: grant it chronicle.logs.import on the instance, e.g. roles/chronicle.editor)` }],
    ['404 NOT_FOUND: the config, not an alert (held)', res(404, gerr(404, 'NOT_FOUND', 'not found')), { kind: 'retry', auth: true, reason: `Chronicle answered 404 NOT_FOUND: not found (${PARENT} does not exist: check gcp.chronicle.projectid (p1), gcp.chronicle.instanceid (inst-1), gcp.chronicle.region (us) and gcp.chronicle.logtype (FALCO_IDS))` }],
    ['404 not JSON (a wrong endpoint)', res(404, '<html>Not Found</html>'), { kind: 'retry', auth: true, reason: `Chronicle answered 404: <html>Not Found</html> (${PARENT} does not exist: check gcp.chronicle.projectid (p1), gcp.chronicle.instanceid (inst-1), gcp.chronicle.region (us) and gcp.chronicle.logtype (FALCO_IDS))` }],
    ['413', res(413, 'Request Entity Too Large'), { kind: 'fail', reason: 'Chronicle answered 413: Request Entity Too Large' }],
    ['429 without Retry-After: the core backs off', res(429, gerr(429, 'RESOURCE_EXHAUSTED', 'quota')), { kind: 'retry', reason: 'Chronicle answered 429 RESOURCE_EXHAUSTED: quota' }],
    ['429 with Retry-After seconds', res(429, gerr(429, 'RESOURCE_EXHAUSTED', 'quota'), { 'retry-after': '7' }), { kind: 'retry', afterMs: 7000, reason: 'Chronicle answered 429 RESOURCE_EXHAUSTED: quota' }],
    ['503 with Retry-After date', res(503, gerr(503, 'UNAVAILABLE', 'down'), { 'retry-after': 'Tue, 08 Dec 2026 01:00:30 GMT' }), { kind: 'retry', afterMs: 30_000, reason: 'Chronicle answered 503 UNAVAILABLE: down' }],
    ['500', res(500, gerr(500, 'INTERNAL', 'oops')), { kind: 'retry', reason: 'Chronicle answered 500 INTERNAL: oops' }],
    ['502 not JSON', res(502, 'Bad Gateway'), { kind: 'retry', reason: 'Chronicle answered 502: Bad Gateway' }],
    ['504', res(504, gerr(504, 'DEADLINE_EXCEEDED', 'slow')), { kind: 'retry', reason: 'Chronicle answered 504 DEADLINE_EXCEEDED: slow' }],
    ['408', res(408, 'timeout'), { kind: 'retry', reason: 'Chronicle answered 408: timeout' }],
    ['501', res(501, gerr(501, 'UNIMPLEMENTED', 'no')), { kind: 'fail', reason: 'Chronicle answered 501 UNIMPLEMENTED: no' }],
    ['409', res(409, gerr(409, 'ABORTED', 'conflict')), { kind: 'fail', reason: 'Chronicle answered 409 ABORTED: conflict' }],
  ])('%s', (_what, answer, outcome) => {
    expect(classifyImport(answer, NOW, TARGET)).toEqual(outcome);
  });
});
