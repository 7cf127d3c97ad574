// The fission output through the real app: through the API server's service proxy (kubeconfig,
// test/support/kube-apiserver-receiver.ts over TLS) to the router's /fission-function/<name>, and
// straight to the router's in-cluster URL (reached here through HTTP_PROXY).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { makeCerts } from '../support/certs.ts';
import { FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { KubeApiServer } from '../support/kube-apiserver-receiver.ts';
import { Receiver } from '../support/receiver.ts';

const certs = makeCerts();
const dir = mkdtempSync(join(tmpdir(), 'peregrine-fission-'));
let app: RunningApp | undefined;
let api: KubeApiServer | undefined;
let proxy: Receiver | undefined;
const savedProxy = process.env.HTTP_PROXY;
afterEach(async () => {
  await app?.close();
  await api?.stop();
  await proxy?.stop();
  app = api = proxy = undefined;
  if (savedProxy === undefined) delete process.env.HTTP_PROXY;
  else process.env.HTTP_PROXY = savedProxy;
});

async function post(yaml: string, count: number): Promise<RunningApp> {
  app = await startApp(`fission:\n  function: falco-response\n${yaml}${FAST_RETRY}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  await settled(app, 'fission', count);
  return app;
}

describe('fission pipeline', () => {
  it("through the service proxy: POST /api/v1/namespaces/fission/services/router:80/proxy/fission-function/<fn>, falcosidekick's body, Bearer token, event-id", async () => {
    api = await new KubeApiServer(certs).start();
    api.tokens.set('tok', 'system:serviceaccount:falco:peregrine');
    api.allowed.add('system:serviceaccount:falco:peregrine');
    api.service('fission/router:80', { endpoints: true, answer: () => ({ status: 200, body: 'done' }) });
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n- name: c\n  cluster: {server: "${api.url}", certificate-authority: "${certs.ca}"}\n` +
        'contexts:\n- name: x\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: tok}\n',
    );
    const running = await post(`  kubeconfig: ${kubeconfig}\n`, 2);
    const byUuid = new Map(api.proxied.map((r) => [JSON.parse(r.body).uuid as string, r]));
    for (let i = 0; i < 2; i++) {
      const got = byUuid.get(`alert-${i}`);
      expect(got?.url).toBe('/api/v1/namespaces/fission/services/router:80/proxy/fission-function/falco-response');
      expect(got?.body).toBe(falcosidekickBody(i));
      expect(got?.headers).toMatchObject({ authorization: 'Bearer tok', accept: 'application/json, */*', 'content-type': 'application/json', 'event-id': `alert-${i}` });
    }
    expect(await metricValue(running, 'peregrine_delivered_total', { output: 'fission' })).toBe(2);
  });

  it("straight to the router: POST http://router.fission.svc.cluster.local:80/fission-function/<fn>, Content-Type application/json, event-id; the router's 404 dead-letters", async () => {
    proxy = await new Receiver().start();
    proxy.setBehaviour((req) => (JSON.parse(req.body).uuid === 'alert-1' ? { kind: 'status', status: 404, body: 'function not found' } : { kind: 'ok' }));
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
    const running = await post('', 2);
    // The receiver records the answered request (alert-0); alert-1 got the router's 404.
    expect(proxy.attempts).toBe(2);
    const got = proxy.received[0];
    // falcosidekick writes the default port (…local:80); a URL drops it: the same address.
    expect(proxy.received.map((r) => [r.url, r.body])).toEqual([['http://router.fission.svc.cluster.local/fission-function/falco-response', falcosidekickBody(0)]]);
    expect(got?.headers).toMatchObject({ 'content-type': 'application/json', 'event-id': 'alert-0', 'user-agent': expect.stringMatching(/^peregrine\//) });
    expect(await metricValue(running, 'peregrine_delivered_total', { output: 'fission' })).toBe(1);
    expect(await metricValue(running, 'peregrine_dead_lettered_total', { output: 'fission' })).toBe(1);
  });
});
