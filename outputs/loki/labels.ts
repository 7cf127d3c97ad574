// Stream labels, as falcosidekick 2.34.1 builds them (outputs/loki.go), made safe for Loki.
//
// falcosidekick's set, in its order (a later one overwrites an earlier one of the same name):
//   rule, source, priority, k8s_ns_name, k8s_pod_name (string output fields), then every
//   customfields / templatedfields / extralabels key whose output_fields value is a string, then
//   hostname, then tags (sorted, joined with ",").
// Names: falcosidekick turns "." into "_" and drops "[" "]"; we also turn any other character
// Loki refuses (outside [a-zA-Z0-9_], or a leading digit) into "_": falcosidekick would send it
// and Loki would refuse the whole push. Values: '"' removed from output_fields values (as
// falcosidekick does; rule, hostname, … are sent as they are), every value cut to
// MAX_VALUE_BYTES (Loki's default max_label_value_length is 2048 bytes: a longer value fails the
// push), empty values left out (Loki ignores a label with an empty value).
//
// Cardinality (each distinct label set is a stream in Loki; limits: max_global_streams_per_user,
// default 5000): rule, source, priority (8), tags (one set per rule), k8s_ns_name are bounded by
// the rules and namespaces. hostname grows with the nodes. k8s_pod_name grows without bound (one
// stream per pod ever alerted on), and so does any extralabels / templatedfields key taken from a
// per-event field (proc.name, container.id, …). `droplabels` removes any label by name.
import type { Alert } from '../../src/plugin/index.ts';

export const MAX_VALUE_BYTES = 2048;

export type Labels = Record<string, string>;

export interface LabelPlan {
  /** output_fields keys (customfields, templatedfields, extralabels) that become labels when their value is a string. */
  fieldKeys: readonly { key: string; name: string }[];
  drop: ReadonlySet<string>;
}

/** Loki label name from an output_fields key: falcosidekick's replacements, then Loki's charset. */
export function labelName(key: string): string {
  const name = key.replaceAll('.', '_').replaceAll('[', '').replaceAll(']', '').replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** At most MAX_VALUE_BYTES of UTF-8, cut at a character boundary. */
export function labelValue(v: string): string {
  if (v.length * 3 <= MAX_VALUE_BYTES || Buffer.byteLength(v) <= MAX_VALUE_BYTES) return v;
  let end = MAX_VALUE_BYTES;
  const bytes = Buffer.from(v);
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--; // back to the start of a character
  return bytes.subarray(0, end).toString();
}

export function labelPlan(enrichment: { customfields: readonly string[]; templatedfields: readonly string[] }, extralabels: readonly string[], droplabels: readonly string[]): LabelPlan {
  const keys = [...new Set([...enrichment.customfields, ...enrichment.templatedfields, ...extralabels])];
  return { fieldKeys: keys.map((key) => ({ key, name: labelName(key) })), drop: new Set(droplabels) };
}

export function streamLabels(alert: Alert, plan: LabelPlan): Labels {
  const labels: Labels = { rule: alert.rule, source: alert.source, priority: alert.priority };
  const fields = alert.output_fields;
  const ns = fields['k8s.ns.name'];
  if (typeof ns === 'string') labels.k8s_ns_name = ns;
  const pod = fields['k8s.pod.name'];
  if (typeof pod === 'string') labels.k8s_pod_name = pod;
  for (const { key, name } of plan.fieldKeys) {
    const value = fields[key];
    if (typeof value === 'string') labels[name] = value.replaceAll('"', '');
  }
  if (alert.hostname) labels.hostname = alert.hostname;
  if (alert.tags.length) labels.tags = [...alert.tags].sort().join(',');
  const out: Labels = {};
  for (const [name, value] of Object.entries(labels)) {
    if (plan.drop.has(name)) continue;
    const v = labelValue(value);
    if (v !== '') out[name] = v;
  }
  return out;
}
