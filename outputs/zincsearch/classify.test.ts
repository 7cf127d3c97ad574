// ZincSearch's answers (pkg/handlers/document/create_update.go, pkg/routes/middleware.go) → outcomes.
import { describe, expect, it } from 'vitest';
import { classifyZincsearch } from './classify.ts';

const res = (status: number, text: string, headers: Record<string, string> = {}) => ({ status, text, headers });

describe('classifyZincsearch', () => {
  it.each([
    ['200 created', res(200, '{"message":"ok","id":"a","_id":"a","_index":"falco","_version":1,"_seq_no":0,"_primary_term":0,"result":"created"}'), { kind: 'ok' }],
    ['401 missing credentials', res(401, '{"auth":"Missing credentials"}'), { kind: 'retry', auth: true, reason: expect.stringMatching(/^HTTP 401: .*Missing credentials.*check zincsearch\.username\/password/) }],
    ['401 invalid credentials', res(401, '{"auth":"Invalid credentials"}'), { kind: 'retry', auth: true, reason: expect.stringContaining('Invalid credentials') }],
    ['403 no permission', res(403, '{"error":"No permission:document.Create"}'), { kind: 'retry', auth: true, reason: expect.stringMatching(/No permission:document\.Create.*document\.Create permission/) }],
    ['400 not a JSON object', res(400, '{"error":"invalid character"}'), { kind: 'fail', reason: 'HTTP 400: {"error":"invalid character"}' }],
    ['500 the WAL failing', res(500, '{"error":"write wal: no space left on device"}'), { kind: 'retry', reason: expect.stringContaining('no space left') }],
    ['503 with Retry-After', res(503, '', { 'retry-after': '7' }), { kind: 'retry', afterMs: 7000 }],
    ['404 not ZincSearch', res(404, '404 page not found'), { kind: 'fail', whole: true, reason: expect.stringMatching(/check zincsearch\.hostport/) }],
  ])('%s', (_name, r, expected) => {
    expect(classifyZincsearch(r, 0)).toMatchObject(expected);
  });
});
