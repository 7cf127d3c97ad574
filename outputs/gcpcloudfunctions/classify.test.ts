// Every functions.call answer: the CallFunctionResponse (ran, or ran and failed) and Google's errors.
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/plugin/index.ts';
import { classifyCall } from './classify.ts';

const NAME = 'projects/p/locations/us-central1/functions/f';
const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) });
const gerr = (code: number, status: string, message: string) => ({ error: { code, status, message } });

describe('classifyCall', () => {
  it.each([
    ['200 with a result', res(200, { executionId: 'e1', result: 'ok' }), { kind: 'ok' }],
    ['200 without result', res(200, { executionId: 'e1' }), { kind: 'ok' }],
    ['200 with the function\'s error', res(200, { executionId: 'e2', error: 'TypeError: boom' }), { kind: 'fail', reason: `function ${NAME} failed (execution e2): TypeError: boom` }],
    ['200 not JSON', res(200, '<html>'), { kind: 'retry', reason: 'Cloud Functions answered 200 with a body that is not a CallFunctionResponse: <html>' }],
    ['400', res(400, gerr(400, 'INVALID_ARGUMENT', 'bad data')), { kind: 'fail', reason: 'Cloud Functions answered 400 INVALID_ARGUMENT: bad data' }],
    ['401', res(401, gerr(401, 'UNAUTHENTICATED', 'bad token')), { kind: 'retry', auth: true, reason: 'Cloud Functions answered 401 UNAUTHENTICATED: bad token (the credentials were refused: check gcp.credentials or the Application Default Credentials)' }],
    ['403', res(403, gerr(403, 'PERMISSION_DENIED', 'denied')), { kind: 'retry', auth: true, reason: `Cloud Functions answered 403 PERMISSION_DENIED: denied (the account may not call ${NAME}: grant it roles/cloudfunctions.developer, which holds cloudfunctions.functions.call)` }],
    ['404', res(404, gerr(404, 'NOT_FOUND', 'no such function')), { kind: 'retry', auth: true, reason: `Cloud Functions answered 404 NOT_FOUND: no such function (function ${NAME} does not exist: fix gcp.cloudfunctions.name)` }],
    ['429 without Retry-After', res(429, gerr(429, 'RESOURCE_EXHAUSTED', 'quota')), { kind: 'retry', afterMs: 10_000, reason: 'Cloud Functions answered 429 RESOURCE_EXHAUSTED: quota' }],
    ['429 with Retry-After', res(429, gerr(429, 'RESOURCE_EXHAUSTED', 'quota'), { 'retry-after': '3' }), { kind: 'retry', afterMs: 3000, reason: 'Cloud Functions answered 429 RESOURCE_EXHAUSTED: quota' }],
    ['500', res(500, gerr(500, 'INTERNAL', 'oops')), { kind: 'retry', reason: 'Cloud Functions answered 500 INTERNAL: oops' }],
    ['503 not JSON', res(503, 'down'), { kind: 'retry', reason: 'Cloud Functions answered 503: down' }],
    ['501', res(501, gerr(501, 'UNIMPLEMENTED', 'no')), { kind: 'fail', reason: 'Cloud Functions answered 501 UNIMPLEMENTED: no' }],
    ['409', res(409, gerr(409, 'ABORTED', 'conflict')), { kind: 'fail', reason: 'Cloud Functions answered 409 ABORTED: conflict' }],
  ])('%s', (_what, answer, outcome) => {
    expect(classifyCall(answer, 0, NAME)).toEqual(outcome);
  });
});
