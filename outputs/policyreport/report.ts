// One report's update for a batch: read it, append the batch's results, cut to maxevents, count the
// summary, write it back (PUT with the resourceVersion read) or create it (POST), as falcosidekick
// does for each alert.
import { jsonObject, ok, type Outcome } from '../../src/plugin/index.ts';
import { reportPath, type KubeApi, type ReportRef } from './api.ts';
import { classifyKube } from './classify.ts';
import { appendResults, summary, type PolicyResult } from './result.ts';

export const POLICY_REPORT = 'falco-policy-report';
export const CLUSTER_POLICY_REPORT = 'falco-cluster-policy-report';

export interface Pruning {
  maxevents: number;
  prunebypriority: boolean;
}

type Obj = Record<string, unknown>;

/** A new report, as falcosidekick makes one (its key order). */
export function newReport(ref: ReportRef, results: PolicyResult[]): Obj {
  return {
    kind: ref.namespace === '' ? 'ClusterPolicyReport' : 'PolicyReport',
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    metadata: { name: ref.name, labels: { 'app.kubernetes.io/managed-by': 'falcosidekick' } },
    summary: summary(results),
    results,
  };
}

/** The stored report with the results appended: every other field kept as read (resourceVersion included). */
export function updatedReport(current: Obj, added: readonly PolicyResult[], pruning: Pruning): Obj {
  const existing = Array.isArray(current.results) ? (current.results as PolicyResult[]) : [];
  const results = appendResults(existing, added, pruning.maxevents, pruning.prunebypriority);
  return { ...current, summary: summary(results), results };
}

export async function writeResults(api: KubeApi, ref: ReportRef, added: PolicyResult[], pruning: Pruning, signal: AbortSignal, now: () => number): Promise<Outcome> {
  const where = ref.namespace === '' ? `clusterpolicyreports ${ref.name}` : `policyreports ${ref.namespace}/${ref.name}`;
  const got = await api.request('GET', reportPath(ref, true), undefined, signal);
  let current: Obj | undefined;
  if (got.status === 200) {
    current = jsonObject(got.text);
    if (current === undefined) return classifyKube({ ...got, status: 502 }, `GET ${where} (not a JSON object)`, now());
  } else if (got.status !== 404 || jsonObject<{ details?: unknown }>(got.text)?.details === undefined) {
    // 404 without details: the API does not serve the resource (no CRD), not "no such report".
    return classifyKube(got, `GET ${where}`, now());
  }
  const body = current ? updatedReport(current, added, pruning) : newReport(ref, appendResults([], added, pruning.maxevents, pruning.prunebypriority));
  const method = current ? 'PUT' : 'POST';
  const res = await api.request(method, reportPath(ref, current !== undefined), JSON.stringify(body), signal);
  return res.status >= 200 && res.status < 300 ? ok() : classifyKube(res, `${method} ${where}`, now());
}
