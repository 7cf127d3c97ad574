// The kubeless output through the real app: through the API server's service proxy (kubeconfig,
// test/support/kube-apiserver-receiver.ts over TLS) to the function Service's `/`, and straight to
// its in-cluster URL (reached here through HTTP_PROXY), with Kubeless's event-* headers.
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
const dir = mkdtempSync(join(tmpdir(), 'peregrine-kubeless-'));
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
  app = await startApp(`kubeless:\n  function: falco-response\n  namespace: functions\n${yaml}${FAST_RETRY}`);
  for (let i = 0; i < count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  await settled(app, 'kubeless', count);
  return app;
}

const kubelessHeaders = (i: number) => ({ 'content-type': 'application/json', 'event-id': `alert-${i}`, 'event-type': 'falco', 'event-namespace': 'functions' });

describe('kubeless pipeline', () => {
  it("through the service proxy: POST /api/v1/namespaces/<ns>/services/<fn>:8080/proxy/ with falcosidekick's body and headers, the client certificate as identity", async () => {
    api = await new KubeApiServer(certs).start();
    api.allowed.add('cert:peregrine-test-client');
    api.service('functions/falco-response:8080', { endpoints: true, answer: () => ({ status: 200, body: 'ok' }) });
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters:\n- name: c\n  cluster: {server: "${api.url}", certificate-authority: "${certs.ca}"}\n` +
        `contexts:\n- name: x\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {client-certificate: "${certs.clientCert}", client-key: "${certs.clientKey}"}\n`,
    );
    const running = await post(`  kubeconfig: ${kubeconfig}\n`, 2);
    const byUuid = new Map(api.proxied.map((r) => [JSON.parse(r.body).uuid as string, r]));
    for (let i = 0; i < 2; i++) {
      const got = byUuid.get(`alert-${i}`);
      expect(got?.url).toBe('/api/v1/namespaces/functions/services/falco-response:8080/proxy/');
      expect(got?.body).toBe(falcosidekickBody(i));
      expect(got?.headers).toMatchObject({ ...kubelessHeaders(i), accept: 'application/json, */*' });
      expect(got?.headers.authorization).toBeUndefined();
    }
    expect(await metricValue(running, 'peregrine_delivered_total', { output: 'kubeless' })).toBe(2);
  });

  it('straight to the function: POST http://<fn>.<ns>.svc.cluster.local:8080/ with the event-* headers', async () => {
    proxy = await new Receiver().start();
    process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.port}`;
    await post('', 1);
    expect(proxy.received.map((r) => [r.url, r.body])).toEqual([['http://falco-response.functions.svc.cluster.local:8080/', falcosidekickBody(0)]]);
    expect(proxy.received[0]?.headers).toMatchObject({ ...kubelessHeaders(0), 'user-agent': expect.stringMatching(/^peregrine\//) });
  });
});
