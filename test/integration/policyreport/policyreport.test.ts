// The policyreport output against an in-process stand-in for the Kubernetes API server
// (test/support/policyreport-receiver.ts: the wgpolicyk8s.io/v1alpha2 CRDs' GET/POST/PUT with
// resourceVersions, 409s, 404s, RBAC 403s, 401s), reached through a kubeconfig over TLS. The reports
// are compared with what falcosidekick 2.34.1 wrote for the same alerts against the same receiver.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { makeCerts, type TestCerts } from '../../support/certs.ts';
import { fixtureText } from '../../support/fixtures.ts';
import { PolicyReportApi } from '../../support/policyreport-receiver.ts';
import { waitFor } from '../../support/receiver.ts';

const CATEGORY = 'SI - System and Information Integrity';
const LABELS = { 'app.kubernetes.io/managed-by': 'falcosidekick' };
// Alerts and the results falcosidekick 2.34.1 wrote for them (captured against this receiver), but
// for timestamp.seconds: falcosidekick writes the second of the minute (time.Second()), Peregrine the Unix time.
const ALERTS = [
  fixtureText('alerts/falco-shell.json'),
  '{"output":"o2","output_fields":{"k8s.ns.name":"gone","k8s.pod.name":"p2","b":true,"z":null},"priority":"Warning","rule":"r2","time":"2026-11-20T10:21:07.5Z","tags":["a"]}',
  '{"output":"o3","output_fields":{"proc.name":"sh"},"priority":"Critical","rule":"r3","time":"2026-11-20T10:21:37.000000001Z"}',
  '{"output":"o4","output_fields":{"ka.target.namespace":"default","ka.target.resource":"deployments","ka.target.name":"web","ka.user.name":"bob"},"priority":"Error","rule":"r4","source":"k8s_audit","time":"2026-11-20T10:21:38Z"}',
  '{"output":"o5","output_fields":{"k8s.ns.name":"default"},"priority":"Debug","rule":"r5","time":"2026-11-20T10:21:39Z"}',
  '{"output":"o6","output_fields":{"k8s.ns.name":"default","k8s.pod.name":"p6"},"priority":"Informational","rule":"r6","time":"2026-11-20T10:21:40Z"}',
];
const RESULTS = {
  shell: {
    source: 'Falco', policy: 'syscall', rule: 'Terminal shell in container', category: CATEGORY, severity: 'low', timestamp: { seconds: 1795170096, nanos: 167531875 }, result: 'skip',
    resources: [{ kind: 'Pod', namespace: 'default', name: 'web-7d9', apiVersion: 'v1' }],
    message: '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)',
    properties: { 'container.id': '1f0a2e5c8d3b', 'evt.time': '1700000000167531875', 'k8s.ns.name': 'default', 'k8s.pod.name': 'web-7d9', 'proc.aname[2]': '<nil>', 'proc.cmdline': 'sh -c id', 'user.name': 'root' },
  },
  r2: { source: 'Falco', policy: 'syscalls', rule: 'r2', category: CATEGORY, severity: 'medium', timestamp: { seconds: 1795170067, nanos: 500000000 }, result: 'warn', resources: [{ kind: 'Pod', namespace: 'prod', name: 'p2', apiVersion: 'v1' }], message: 'o2', properties: { b: 'true', 'k8s.ns.name': 'gone', 'k8s.pod.name': 'p2', z: '<nil>' } },
  r3: { source: 'Falco', policy: 'syscalls', rule: 'r3', category: CATEGORY, severity: 'critical', timestamp: { seconds: 1795170097, nanos: 1 }, result: 'fail', message: 'o3', properties: { 'proc.name': 'sh' } },
  r5: { source: 'Falco', policy: 'syscalls', rule: 'r5', category: CATEGORY, severity: 'info', timestamp: { seconds: 1795170099, nanos: 0 }, result: 'skip', message: 'o5', properties: { 'k8s.ns.name': 'default' } },
  r6: { source: 'Falco', policy: 'syscalls', rule: 'r6', category: CATEGORY, severity: 'info', timestamp: { seconds: 1795170100, nanos: 0 }, result: 'skip', resources: [{ kind: 'Pod', namespace: 'default', name: 'p6', apiVersion: 'v1' }], message: 'o6', properties: { 'k8s.ns.name': 'default', 'k8s.pod.name': 'p6' } },
};
const summary = (s: Partial<Record<'pass' | 'fail' | 'warn' | 'error' | 'skip', number>>) => ({ pass: 0, fail: 0, warn: 0, error: 0, skip: 0, ...s });

describe('policyreport output against a Kubernetes API stand-in', () => {
  let certs: TestCerts;
  let api: PolicyReportApi;
  let kubeconfig: string;
  const apps: RunningApp[] = [];

  beforeAll(() => {
    certs = makeCerts();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await api?.stop();
  });

  async function setup(token = 'tok'): Promise<void> {
    api = await new PolicyReportApi(certs).start();
    api.tokens.set('tok', 'system:serviceaccount:falco:peregrine');
    api.allowed.add('system:serviceaccount:falco:peregrine');
    api.namespaces.add('prod');
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-kube-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\ncurrent-context: t\ncontexts:\n- name: t\n  context: {cluster: c, user: u}\nclusters:\n- name: c\n  cluster: {server: "${api.url}", certificate-authority: ${certs.ca}}\nusers:\n- name: u\n  user: {token: ${token}}\n`,
    );
  }
  async function start(extra = ''): Promise<RunningApp> {
    const app = await startApp(`policyreport:\n  enabled: true\n  kubeconfig: ${kubeconfig}\n  falconamespace: prod\n  maxevents: 3\n${extra}  retry:\n    initialbackoffms: 50\n    maxbackoffms: 300\n    probems: 100\n`);
    apps.push(app);
    return app;
  }
  const worker = (app: RunningApp) => app.workers.find((w) => w.name === 'policyreport');
  const delivered = (app: RunningApp) => worker(app)?.healthSnapshot().delivered ?? -1;
  const post = async (app: RunningApp, alerts: string[]) => expect((await app.post(`[${alerts.join(',')}]`)).status).toBe(200);
  const reportOf = (ns: string) => {
    const r = api.report(ns) as { kind: string; apiVersion: string; metadata: Record<string, unknown>; summary: unknown; results: unknown };
    return r && { kind: r.kind, apiVersion: r.apiVersion, name: r.metadata.name, labels: r.metadata.labels, summary: r.summary, results: r.results };
  };

  it('falcosidekick\'s reports: one per namespace, a missing namespace\'s results in falconamespace\'s, the ClusterPolicyReport without one, maxevents kept; other sources not written', async () => {
    await setup();
    const app = await start();
    await post(app, ALERTS);
    await waitFor(() => delivered(app) === 6, 15_000, 'six alerts handled');
    expect(reportOf('default')).toEqual({ kind: 'PolicyReport', apiVersion: 'wgpolicyk8s.io/v1alpha2', name: 'falco-policy-report', labels: LABELS, summary: summary({ skip: 3 }), results: [RESULTS.shell, RESULTS.r5, RESULTS.r6] });
    expect(reportOf('prod')).toEqual({ kind: 'PolicyReport', apiVersion: 'wgpolicyk8s.io/v1alpha2', name: 'falco-policy-report', labels: LABELS, summary: summary({ warn: 1 }), results: [RESULTS.r2] });
    expect(reportOf('')).toEqual({ kind: 'ClusterPolicyReport', apiVersion: 'wgpolicyk8s.io/v1alpha2', name: 'falco-cluster-policy-report', labels: LABELS, summary: summary({ fail: 1 }), results: [RESULTS.r3] });
    expect(api.objects.size).toBe(3);
    // The calls, as falcosidekick makes them (one read and one write per report here, per batch),
    // after the health check's read of the ClusterPolicyReport.
    const sends = api.requests.slice(api.requests.findIndex((r) => r.url === '/api/v1/namespaces/default'));
    expect(api.requests.slice(0, api.requests.length - sends.length).map((r) => `${r.method} ${r.url}`)).toEqual(['GET /apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/falco-cluster-policy-report']);
    expect(sends.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/namespaces/default',
      'GET /api/v1/namespaces/gone',
      'GET /apis/wgpolicyk8s.io/v1alpha2/namespaces/default/policyreports/falco-policy-report',
      'POST /apis/wgpolicyk8s.io/v1alpha2/namespaces/default/policyreports',
      'GET /apis/wgpolicyk8s.io/v1alpha2/namespaces/prod/policyreports/falco-policy-report',
      'POST /apis/wgpolicyk8s.io/v1alpha2/namespaces/prod/policyreports',
      'GET /apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/falco-cluster-policy-report',
      'POST /apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports',
    ]);
    // The new report's body: falcosidekick's bytes (but the timestamp's seconds, and Go's \u003c for "<").
    expect(sends[3]?.body).toBe(
      JSON.stringify({ kind: 'PolicyReport', apiVersion: 'wgpolicyk8s.io/v1alpha2', metadata: { name: 'falco-policy-report', labels: LABELS }, summary: summary({ skip: 3 }), results: [RESULTS.shell, RESULTS.r5, RESULTS.r6] }),
    );
    expect(sends[3]?.headers).toMatchObject({ authorization: 'Bearer tok', 'content-type': 'application/json', accept: 'application/json' });
  });

  it('a namespace name no namespace can have (alert text such as ".."): falconamespace\'s report, without a request on that name', async () => {
    await setup();
    const app = await start();
    const alert = JSON.stringify({ output: 'o', output_fields: { 'k8s.ns.name': '..', 'k8s.pod.name': 'p' }, priority: 'Warning', rule: 'dots', source: 'syscall', time: '2026-11-20T10:21:36Z' });
    await post(app, [alert]);
    await waitFor(() => delivered(app) === 1, 15_000, 'handled');
    expect((reportOf('prod')?.results as { rule: string }[]).map((r) => r.rule)).toEqual(['dots']);
    expect(api.requests.some((r) => r.url.includes('/namespaces/..') || r.url.includes('/namespaces/%2E'))).toBe(false);
  });

  it('a report that exists: PUT with the resourceVersion read, results appended and the oldest removed past maxevents (or the lowest severity first, prunebypriority)', async () => {
    await setup();
    const app = await start('  prunebypriority: true\n');
    await post(app, [ALERTS[0] as string, ALERTS[4] as string]);
    await waitFor(() => delivered(app) === 2, 15_000, 'first batch');
    const version = (api.report('default')?.metadata as { resourceVersion: string }).resourceVersion;
    await post(app, [ALERTS[5] as string, ALERTS[2]?.replace('"proc.name":"sh"', '"k8s.ns.name":"default"') as string]);
    await waitFor(() => delivered(app) === 4, 15_000, 'second batch');
    const put = api.requests.filter((r) => r.method === 'PUT');
    expect(put).toHaveLength(1);
    expect((JSON.parse(put[0]?.body ?? '{}') as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toBe(version);
    // Four results for three places: the oldest info (r5) goes, the low one (the shell) stays.
    expect((reportOf('default')?.results as { rule: string }[]).map((r) => r.rule)).toEqual(['Terminal shell in container', 'r6', 'r3']);
    expect(reportOf('default')?.summary).toEqual(summary({ skip: 2, fail: 1 }));
  });

  it('409 Conflict (the report changed since it was read): retried, read again, every result once; nothing dead-lettered', async () => {
    await setup();
    const app = await start();
    await post(app, [ALERTS[0] as string]);
    await waitFor(() => delivered(app) === 1, 15_000, 'first');
    api.scripted.push({ method: 'PUT', answer: { status: 409, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', message: 'Operation cannot be fulfilled on policyreports.wgpolicyk8s.io "falco-policy-report": the object has been modified; please apply your changes to the latest version and try again', code: 409 }) } });
    await post(app, [ALERTS[4] as string]);
    await waitFor(() => delivered(app) === 2, 15_000, 'second after the conflict');
    expect((reportOf('default')?.results as { rule: string }[]).map((r) => r.rule)).toEqual(['Terminal shell in container', 'r5']);
    expect(worker(app)?.healthSnapshot()).toMatchObject({ deadLettered: 0 });
    expect(api.requests.filter((r) => r.method === 'PUT')).toHaveLength(2);
  });

  it('RBAC refuses (403): failing, with what to grant; delivered once allowed', async () => {
    await setup();
    api.allowed.clear();
    const app = await start();
    await post(app, [ALERTS[2] as string]);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 15_000, 'failing');
    expect(worker(app)?.healthSnapshot()).toMatchObject({
      delivered: 0,
      deadLettered: 0,
      // From a send or from the health check (the same read), whichever came last.
      lastError: expect.stringMatching(/^(?:healthcheck: )?GET clusterpolicyreports falco-cluster-policy-report: HTTP 403 Forbidden/),
    });
    expect(worker(app)?.healthSnapshot().lastError?.replace(/^healthcheck: /, '')).toBe(
        'GET clusterpolicyreports falco-cluster-policy-report: HTTP 403 Forbidden: clusterpolicyreports.wgpolicyk8s.io "falco-cluster-policy-report" is forbidden: User "system:serviceaccount:falco:peregrine" cannot get resource "clusterpolicyreports" in API group "wgpolicyk8s.io" at the cluster scope (RBAC: grant get, create and update on policyreports and clusterpolicyreports (wgpolicyk8s.io), and get on namespaces)',
    );
    api.allowed.add('system:serviceaccount:falco:peregrine');
    await waitFor(() => delivered(app) === 1, 15_000, 'delivered once allowed');
    expect(reportOf('')?.results).toEqual([RESULTS.r3]);
  });

  it('a token the API server does not know (401): failing, nothing written', async () => {
    await setup('stale');
    const app = await start();
    await post(app, [ALERTS[2] as string]);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 15_000, 'failing');
    expect(worker(app)?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, lastError: expect.stringMatching(/HTTP 401 Unauthorized: Unauthorized \(the API server refused the credentials/) });
    expect(api.objects.size).toBe(0);
  });

  it('the CRDs not installed (404 without details): retried with the fix; delivered once installed', async () => {
    await setup();
    api.crds = false;
    const app = await start();
    await post(app, [ALERTS[2] as string]);
    await waitFor(() => (worker(app)?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 15_000, 'refused');
    expect(worker(app)?.healthSnapshot()).toMatchObject({
      delivered: 0,
      deadLettered: 0,
      lastError: expect.stringMatching(/^(?:healthcheck: )?GET clusterpolicyreports falco-cluster-policy-report: HTTP 404 NotFound: the server could not find the requested resource \(the PolicyReport CRDs \(wgpolicyk8s\.io\/v1alpha2\) are not installed/),
    });
    api.crds = true;
    await waitFor(() => delivered(app) === 1, 15_000, 'delivered once installed');
    expect(reportOf('')?.results).toEqual([RESULTS.r3]);
  });
});
