// The API server's own answers through the service proxy (Status objects) apart from the
// function's answers passed through.
import { describe, expect, it } from 'vitest';
import { classifyServiceProxy } from './proxy-classify.ts';

const status = (code: number, reason: string, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
const SERVICE = 'openfaas/gateway:8080';

describe('classifyServiceProxy', () => {
  it.each([
    [401, status(401, 'Unauthorized', 'Unauthorized'), { kind: 'retry', auth: true, reason: "HTTP 401 from the Kubernetes API server: Unauthorized (the kubeconfig's credentials were refused)" }],
    [
      403,
      status(403, 'Forbidden', 'services "gateway:8080" is forbidden: User "system:serviceaccount:falco:peregrine" cannot create resource "services/proxy"'),
      {
        kind: 'retry',
        auth: true,
        reason:
          'HTTP 403 from the Kubernetes API server: services "gateway:8080" is forbidden: User "system:serviceaccount:falco:peregrine" cannot create resource "services/proxy" (grant "create" on "services/proxy" in the service\'s namespace)',
      },
    ],
    [404, status(404, 'NotFound', 'services "gateway" not found'), { kind: 'retry', auth: true, reason: 'HTTP 404 from the Kubernetes API server: services "gateway" not found (no service openfaas/gateway:8080: check the namespace, service and port keys)' }],
    [503, status(503, 'ServiceUnavailable', 'no endpoints available for service "gateway:8080"'), { kind: 'retry', reason: `HTTP 503: ${status(503, 'ServiceUnavailable', 'no endpoints available for service "gateway:8080"')}` }],
    [200, '{"handled":true}', { kind: 'ok' }],
    [404, 'function not found', { kind: 'fail', reason: 'HTTP 404: function not found', whole: true }],
    [500, 'boom', { kind: 'retry', reason: 'HTTP 500: boom' }],
    [400, '{"kind":"Other"}', { kind: 'fail', reason: 'HTTP 400: {"kind":"Other"}' }],
  ])('%i %s', (code, text, expected) => {
    const outcome = classifyServiceProxy({ status: code, headers: {}, text }, 0, SERVICE);
    expect(outcome).toEqual(expected);
  });
});
