// An alert as a PolicyReport result, as falcosidekick's newResult builds it (key order as its Go
// types encode them: source, policy, rule, category, severity, timestamp, result, resources,
// message, properties), and the report's namespace (k8s.ns.name, else ka.target.namespace; none:
// the ClusterPolicyReport).
import { epochNanos, type Alert } from '../../src/plugin/index.ts';

type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export type ResultKind = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

interface Subject {
  kind?: string;
  namespace?: string;
  name: string;
  apiVersion?: string;
}

export interface PolicyResult {
  source: 'Falco';
  policy: string;
  rule: string;
  category: string;
  severity: Severity;
  timestamp: { seconds: number; nanos: number };
  result: ResultKind;
  resources?: Subject[];
  message?: string;
  properties?: Record<string, string>;
}

/** falcosidekick writes only alerts of these sources (handlers.go). */
const SOURCES = new Set(['syscalls', 'syscall', 'k8saudit']);

export function reportable(alert: Alert): boolean {
  return SOURCES.has(alert.source);
}

// The resources of the k8saudit ruleset (falcosidekick's resourceMapping; "Secrets" is its spelling).
const RESOURCES: Record<string, { apiVersion: string; kind: string }> = {
  pods: { apiVersion: 'v1', kind: 'Pod' },
  services: { apiVersion: 'v1', kind: 'Service' },
  secrets: { apiVersion: 'v1', kind: 'Secrets' },
  configmaps: { apiVersion: 'v1', kind: 'ConfigMap' },
  namespaces: { apiVersion: 'v1', kind: 'Namespace' },
  serviceaccounts: { apiVersion: 'v1', kind: 'ServiceAccount' },
  daemonsets: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  deployments: { apiVersion: 'apps/v1', kind: 'Deployment' },
  statefulsets: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  cronjobs: { apiVersion: 'batch/v1', kind: 'CronJob' },
  jobs: { apiVersion: 'batch/v1', kind: 'Job' },
  clusterroles: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  clusterrolebindings: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  roles: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  rolebindings: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
};

const SEVERITY: Record<Alert['priority'], Severity> = {
  Debug: 'info',
  Informational: 'info',
  Notice: 'low',
  Warning: 'medium',
  Error: 'high',
  Critical: 'critical',
  Alert: 'critical',
  Emergency: 'critical',
};

/** Debug to Notice: skip; Warning: warn; above: fail. */
function resultOf(priority: Alert['priority']): ResultKind {
  if (priority === 'Warning') return 'warn';
  return SEVERITY[priority] === 'info' || SEVERITY[priority] === 'low' ? 'skip' : 'fail';
}

/** A field's value as Go's fmt "%v" prints what falcosidekick decoded: null is "<nil>", arrays "[a b]", objects "map[k:v]". */
export function goText(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (JSON.isRawJSON(value)) return (value as { rawJSON: string }).rawJSON;
  if (Array.isArray(value)) return `[${value.map(goText).join(' ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:${goText(v)}`).join(' ')}]`;
}

const present = (fields: Alert['output_fields'], key: string) => fields[key] !== undefined && fields[key] !== null;

/** The report's namespace: k8s.ns.name, else ka.target.namespace; "" = the ClusterPolicyReport. */
export function namespaceOf(alert: Alert): string {
  const f = alert.output_fields;
  if (present(f, 'k8s.ns.name')) return goText(f['k8s.ns.name']);
  if (present(f, 'ka.target.namespace')) return goText(f['ka.target.namespace']);
  return '';
}

function subjectOf(alert: Alert, namespace: string): Subject | undefined {
  const f = alert.output_fields;
  let name: string;
  let resource: string;
  if (present(f, 'k8s.pod.name')) [name, resource] = [goText(f['k8s.pod.name']), 'pods'];
  else if (!present(f, 'ka.target.resource')) return undefined;
  else if (present(f, 'ka.target.name')) [name, resource] = [goText(f['ka.target.name']), goText(f['ka.target.resource'])];
  else if (present(f, 'ka.resp.name')) [name, resource] = [goText(f['ka.resp.name']), goText(f['ka.target.resource'])];
  else return undefined;
  if (name === '' || resource === '') return undefined;
  const known = RESOURCES[resource];
  // Go's ObjectReference order: kind, namespace, name, apiVersion (each left out when empty).
  return { ...(known ? { kind: known.kind } : {}), ...(namespace !== '' ? { namespace } : {}), name, ...(known ? { apiVersion: known.apiVersion } : {}) };
}

/**
 * The alert's result. `namespace`: the report's namespace (the alert's, or the fallback when the
 * alert's does not exist: the subject names it then, as in falcosidekick).
 */
export function policyResult(alert: Alert, namespace: string): PolicyResult {
  const ns = epochNanos(alert.time);
  const seconds = ns / 1_000_000_000n - (ns < 0n && ns % 1_000_000_000n !== 0n ? 1n : 0n);
  const result: PolicyResult = {
    source: 'Falco',
    policy: alert.source,
    rule: alert.rule,
    category: 'SI - System and Information Integrity',
    severity: SEVERITY[alert.priority],
    timestamp: { seconds: Number(seconds), nanos: Number(ns - seconds * 1_000_000_000n) },
    result: resultOf(alert.priority),
  };
  const subject = subjectOf(alert, namespace);
  if (subject) result.resources = [subject];
  if (alert.output !== '') result.message = alert.output;
  const keys = Object.keys(alert.output_fields).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length > 0) result.properties = Object.fromEntries(keys.map((k) => [k, goText(alert.output_fields[k])]));
  return result;
}

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The results with `added` appended, cut to `max`: the oldest first, or (`byPriority`) the oldest of the lowest severity first. */
export function appendResults(existing: readonly PolicyResult[], added: readonly PolicyResult[], max: number, byPriority: boolean): PolicyResult[] {
  const results = [...existing, ...added];
  if (results.length <= max) return results;
  if (!byPriority) return results.slice(results.length - max);
  let excess = results.length - max;
  for (let rank = 0; rank <= 4 && excess > 0; rank++) {
    for (let i = 0; i < results.length && excess > 0; ) {
      if (RANK[(results[i] as PolicyResult).severity] === rank) {
        results.splice(i, 1);
        excess--;
      } else i++;
    }
  }
  return results;
}

/** The report's summary: results counted by kind. */
export function summary(results: readonly { result?: unknown }[]): Record<ResultKind, number> {
  const s = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) if (typeof r.result === 'string' && r.result in s) s[r.result as ResultKind]++;
  return s;
}
