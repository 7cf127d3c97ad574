import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/plugin/index.ts';
import { classifyKube } from './classify.ts';

const what = 'PUT policyreports default/falco-policy-report';
const res = (status: number, body: object | string, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) });
const st = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code });

describe('policyreport classifyKube', () => {
  const rows: [string, HttpResponse, object][] = [
    ['401', res(401, st(401, 'Unauthorized', 'Unauthorized')), { kind: 'retry', auth: true, reason: `${what}: HTTP 401 Unauthorized: Unauthorized (the API server refused the credentials: check the kubeconfig's token or certificate, or the service account token)` }],
    ['403 RBAC', res(403, st(403, 'Forbidden', 'policyreports.wgpolicyk8s.io "falco-policy-report" is forbidden')), { kind: 'retry', auth: true }],
    ['404 no CRD', res(404, st(404, 'NotFound', 'the server could not find the requested resource')), { kind: 'retry' }],
    ['409 Conflict: not the alerts\'', res(409, st(409, 'Conflict', 'the object has been modified')), { kind: 'retry', notOwn: true, reason: `${what}: HTTP 409 Conflict: the object has been modified (read again on the next try)` }],
    ['409 AlreadyExists', res(409, st(409, 'AlreadyExists', 'already exists')), { kind: 'retry', notOwn: true }],
    ['413', res(413, 'too large'), { kind: 'retry' }],
    ['422 Invalid', res(422, st(422, 'Invalid', 'is invalid: results[0].policy: Required value')), { kind: 'fail' }],
    ['429 with Retry-After', res(429, st(429, 'TooManyRequests', 'slow down'), { 'retry-after': '2' }), { kind: 'retry', afterMs: 2000 }],
    ['500 etcd too large', res(500, st(500, 'InternalError', 'etcdserver: request is too large')), { kind: 'retry', reason: `${what}: HTTP 500 InternalError: etcdserver: request is too large (the report is too big for etcd: lower policyreport.maxevents)` }],
    ['503', res(503, 'unavailable'), { kind: 'retry', reason: `${what}: HTTP 503: unavailable` }],
    ['400', res(400, st(400, 'BadRequest', 'bad')), { kind: 'fail', reason: `${what}: HTTP 400 BadRequest: bad` }],
  ];
  it.each(rows)('%s', (_, r, expected) => {
    const outcome = classifyKube(r, what, 0);
    expect(outcome).toMatchObject(expected);
    if (!('auth' in expected) && outcome.kind === 'retry') expect(outcome.auth).toBeUndefined();
  });
});
