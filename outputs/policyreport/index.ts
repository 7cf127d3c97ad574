// falcosidekick's policyreport output: each alert a result of the PolicyReport
// "falco-policy-report" of its namespace (k8s.ns.name or ka.target.namespace), or of the
// ClusterPolicyReport "falco-cluster-policy-report" when it has none, through the Kubernetes API
// (a kubeconfig, or in-cluster). A batch is one read and one write per report.
import { blameWholeCall, defineOutput, jsonObject, notOwn, ok, settle, type Outcome } from '../../src/plugin/index.ts';
import { serviceProxy } from '../openfaas/service-proxy.ts';
import { KubeApi, reportPath } from './api.ts';
import { classifyKube } from './classify.ts';
import { fallbackNamespace, kubeTarget } from './cluster.ts';
import { policyreportSchema } from './options.ts';
import { CLUSTER_POLICY_REPORT, POLICY_REPORT, writeResults } from './report.ts';
import { namespaceOf, policyResult, reportable, type PolicyResult } from './result.ts';

/** A Kubernetes namespace name (a DNS-1123 label). */
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

export default defineOutput({
  name: 'policyreport',
  description: 'Write alerts as results of Kubernetes PolicyReport (per namespace) and ClusterPolicyReport objects (wgpolicyk8s.io/v1alpha2).',
  schema: policyreportSchema,
  example: { enabled: true, kubeconfig: '/etc/peregrine/kubeconfig' },
  enabled: (options) => options.enabled,
  // One GET and one PUT of each report per batch; one batch at a time, so that Peregrine never
  // conflicts with itself on a report's resourceVersion.
  batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 1000 },
  concurrency: 1,
  connect(options, ctx) {
    const target = kubeTarget(options.kubeconfig);
    return { api: new KubeApi(serviceProxy(target, 1, ctx.timeoutMs), ctx.userAgent, ctx.clock), fallback: fallbackNamespace(options.falconamespace) };
  },
  async healthcheck({ client, signal, clock }) {
    // The ClusterPolicyReport's read: the API server, the credentials, RBAC and the CRDs in one call.
    const res = await client.api.request('GET', reportPath({ namespace: '', name: CLUSTER_POLICY_REPORT }, true), undefined, signal);
    if (res.status === 200 || (res.status === 404 && jsonObject<{ details?: unknown }>(res.text)?.details !== undefined)) return { ok: true };
    const outcome = classifyKube(res, `GET clusterpolicyreports ${CLUSTER_POLICY_REPORT}`, clock.now());
    return { ok: false, message: outcome.kind === 'ok' ? '' : outcome.reason };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const outcomes: Outcome[] = alerts.map(() => ok());
    // Alerts by their report, in order of arrival; an alert of another source is not written (as falcosidekick).
    const byNamespace = new Map<string, number[]>();
    alerts.forEach((alert, i) => {
      if (!reportable(alert)) return;
      const ns = namespaceOf(alert);
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), i]);
    });
    const reports = new Map<string, { index: number; result: PolicyResult }[]>();
    for (const [ns, indexes] of byNamespace) {
      // A namespace that does not exist: its results go to the fallback namespace's report (falcosidekick's rule).
      let target = ns;
      // A name no namespace can have (alert text such as ".."): the fallback too, without asking.
      if (ns !== '' && !NAMESPACE.test(ns)) target = client.fallback;
      else if (ns !== '') {
        const res = await client.api.request('GET', `/api/v1/namespaces/${encodeURIComponent(ns)}`, undefined, signal);
        if (res.status === 404) target = client.fallback;
      }
      const list = reports.get(target) ?? [];
      for (const index of indexes) list.push({ index, result: policyResult(alerts[index] as (typeof alerts)[number], target) });
      reports.set(target, list);
    }
    for (const [namespace, entries] of reports) {
      const ref = { namespace, name: namespace === '' ? CLUSTER_POLICY_REPORT : POLICY_REPORT };
      let outcome: Outcome;
      try {
        outcome = await writeResults(client.api, ref, entries.map((e) => e.result), options, signal, () => clock.now());
      } catch (err) {
        if (signal.aborted) {
          for (const e of entries) outcomes[e.index] = notOwn(`no answer within the deadline: ${(err as Error).message}`);
          continue;
        }
        outcome = { kind: 'retry', reason: `${ref.namespace || 'cluster'} report: ${(err as Error).message}` };
      }
      if (outcome.kind === 'retry' && outcome.auth) client.api.proxy.refused();
      // A conflict (another writer, notOwn) is nobody's alert: halving would only add writes.
      const shared = outcome.kind === 'retry' && outcome.notOwn ? outcome : blameWholeCall(outcome, entries.length);
      for (const e of entries) outcomes[e.index] = shared;
    }
    return settle(outcomes);
  },
  async close(client) {
    await client.api.proxy.pool.close();
  },
});
