// The openfaas output through the real app. With a kubeconfig: against an in-process API server
// service proxy (test/support/kube-apiserver-receiver.ts) over TLS with a test CA, answering as the
// API server does (401/403 Status objects, 404 service not found, 503 no endpoints). Without one:
// to the gateway's in-cluster URL, reached here through HTTP_PROXY (as falcosidekick's was captured).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { KubeApiServer } from '../support/kube-apiserver-receiver.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

const GATEWAY = 'openfaas/gateway:8080';
let certs: TestCerts;
let dir: string;
let app: RunningApp | undefined;
let api: KubeApiServer | undefined;
let proxy: Receiver | undefined;
const savedProxy = process.env.HTTP_PROXY;

beforeAll(() => {
  certs = makeCerts();
  dir = mkdtempSync(join(tmpdir(), 'peregrine-openfaas-'));
});
afterEach(async () => {
  await app?.close();
  await api?.stop();
  await proxy?.stop();
  app = api = proxy = undefined;
  if (savedProxy === undefined) delete process.env.HTTP_PROXY;
  else process.env.HTTP_PROXY = savedProxy;
});

/** A kubeconfig for `server` with `user` (YAML of the user's fields). */
function kubeconfig(server: string, user: string): string {
  const file = join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority: ${certs.ca}\n` +
      `contexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\nusers:\n- name: u\n  user:\n${user}`,
  );
  return file;
}

const ok = () => ({ status: 200, body: '{"handled":true}' });

async function startApi(): Promise<KubeApiServer> {
  api = await new KubeApiServer(certs).start();
  api.tokens.set('good-token', 'system:serviceaccount:falco:peregrine');
  api.allowed.add('system:serviceaccount:falco:peregrine');
  api.service(GATEWAY, { endpoints: true, answer: ok });
  return api;
}

async function post(yaml: string, count: number): Promise<RunningApp> {
  app = await startApp(`openfaas:\n  functionname: falco-response\n${yaml}${FAST_RETRY}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  return app;
}

describe('openfaas through the API server service proxy (kubeconfig)', () => {
  it("POSTs falcosidekick's body to /api/v1/namespaces/openfaas/services/gateway:8080/proxy/function/<fn>.<ns> with the token file's Bearer token, client-go's headers and event-id", async () => {
    const a = await startApi();
    const tokenFile = join(dir, 'token-ok');
    writeFileSync(tokenFile, 'good-token\n');
    const running = await post(`  kubeconfig: ${kubeconfig(a.url, `    tokenFile: ${tokenFile}\n`)}\n`, 2);
    await settled(running, 'openfaas', 2);
    expect(a.proxied).toHaveLength(2);
    const byUuid = new Map(a.proxied.map((r) => [JSON.parse(r.body).uuid as string, r]));
    for (let i = 0; i < 2; i++) {
      const got = byUuid.get(`alert-${i}`);
      expect(got?.url).toBe('/api/v1/namespaces/openfaas/services/gateway:8080/proxy/function/falco-response.openfaas-fn');
      expect(got?.body).toBe(falcosidekickBody(i));
      expect(got?.headers).toMatchObject({
        authorization: 'Bearer good-token',
        accept: 'application/json, */*',
        'content-type': 'application/json',
        'event-id': `alert-${i}`,
        'user-agent': expect.stringMatching(/^peregrine\//),
      });
    }
    expect(await metricValue(running, 'peregrine_delivered_total', { output: 'openfaas' })).toBe(2);
  });

  it('a client certificate from the kubeconfig (client-certificate / client-key-data) is the identity; no Authorization header', async () => {
    const a = await startApi();
    a.allowed.add('cert:peregrine-test-client');
    const key = readFileSync(certs.clientKey).toString('base64');
    const running = await post(`  kubeconfig: ${kubeconfig(a.url, `    client-certificate: ${certs.clientCert}\n    client-key-data: ${key}\n`)}\n`, 1);
    await settled(running, 'openfaas', 1);
    expect(a.proxied.map((r) => [r.headers.authorization, r.body])).toEqual([[undefined, falcosidekickBody(0)]]);
  });

  it('401 (a rotated token): held, the token file read again at once, delivered with the new token', async () => {
    const a = await startApi();
    const tokenFile = join(dir, 'token-rotating');
    writeFileSync(tokenFile, 'expired-token');
    const running = await post(`  kubeconfig: ${kubeconfig(a.url, `    tokenFile: ${tokenFile}\n`)}\n`, 1);
    await waitFor(() => a.statuses.filter((st) => st === 401).length >= 2, 5000, 'two refused attempts');
    expect(a.proxied).toHaveLength(0);
    writeFileSync(tokenFile, 'good-token');
    await settled(running, 'openfaas', 1);
    expect(a.proxied.map((r) => r.headers.authorization)).toEqual(['Bearer good-token']);
    expect(await metricValue(running, 'peregrine_dead_lettered_total', { output: 'openfaas' })).toBe(0);
  });

  it('403 (RBAC), 404 (no such service), 503 (no endpoints): each held until the cluster is fixed, then delivered once', async () => {
    const a = await startApi();
    a.allowed.clear();
    a.removeService(GATEWAY);
    const running = await post(`  kubeconfig: ${kubeconfig(a.url, '    token: good-token\n')}\n`, 1);
    const answered = async (status: number) => waitFor(() => a.statuses.filter((s) => s === status).length >= 2, 5000, `two ${status} answers`);
    await answered(403);
    a.allowed.add('system:serviceaccount:falco:peregrine');
    await answered(404);
    a.service(GATEWAY, { endpoints: false, answer: ok });
    await answered(503);
    a.service(GATEWAY, { endpoints: true, answer: ok });
    await settled(running, 'openfaas', 1);
    expect([...new Set(a.statuses)]).toEqual([403, 404, 503, 200]);
    expect(a.proxied.map((r) => r.body)).toEqual([falcosidekickBody(0)]);
    expect(await metricValue(running, 'peregrine_dead_lettered_total', { output: 'openfaas' })).toBe(0);
  });

  it("the function's own 400 (passed through the proxy): dead-lettered", async () => {
    const a = await startApi();
    a.service(GATEWAY, { endpoints: true, answer: () => ({ status: 400, body: 'bad input' }) });
    const running = await post(`  kubeconfig: ${kubeconfig(a.url, '    token: good-token\n')}\n`, 1);
    await settled(running, 'openfaas', 1);
    expect(await metricValue(running, 'peregrine_dead_lettered_total', { output: 'openfaas' })).toBe(1);
  });
});

describe('openfaas straight to the gateway (no kubeconfig)', () => {
  it("POSTs falcosidekick's body to http://gateway.openfaas:8080/function/<fn>.<ns> with falcosidekick's Content-Type, no event-id", async () => {
    proxy = await new Receiver().start();
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
    const running = await post('  gatewayport: 8080\n', 2);
    await settled(running, 'openfaas', 2);
    const byUuid = new Map(proxy.received.map((r) => [JSON.parse(r.body).uuid as string, r]));
    for (let i = 0; i < 2; i++) {
      const got = byUuid.get(`alert-${i}`);
      expect(got?.url).toBe('http://gateway.openfaas:8080/function/falco-response.openfaas-fn');
      expect(got?.body).toBe(falcosidekickBody(i));
      expect(got?.headers).toMatchObject({ host: 'gateway.openfaas:8080', 'content-type': 'application/json; charset=utf-8', 'user-agent': expect.stringMatching(/^peregrine\//) });
      expect(got?.headers['event-id']).toBeUndefined();
    }
  });
});
