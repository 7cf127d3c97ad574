// Alert → Alertmanager API v2 postable alert: labels and annotations as falcosidekick 2.34.1 builds
// them (outputs/alertmanager.go), plus startsAt = the alert time (falcosidekick sends none, so
// Alertmanager stamped the time it received the alert: a retried alert got the wrong start).
import { epochNanos, rfc3339Nanos, type Alert, type Priority } from '../../src/plugin/index.ts';
import { dropLabel, dropLabelName, fieldLabelValue, higher, labelValue, safeLabelName } from './labels.ts';
import type { AlertmanagerOptions } from './options.ts';

export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
}

/** falcosidekick's defaultSeverityMap. */
const DEFAULT_SEVERITY: Record<Priority, string> = {
  Debug: 'information',
  Informational: 'information',
  Notice: 'information',
  Warning: 'warning',
  Error: 'warning',
  Critical: 'critical',
  Alert: 'critical',
  Emergency: 'critical',
};

export type PayloadOptions = Pick<
  AlertmanagerOptions,
  'expiresafter' | 'extralabels' | 'extraannotations' | 'customseveritymap' | 'dropeventthresholds' | 'dropeventdefaultpriority'
>;

export function toPostableAlert(alert: Alert, options: PayloadOptions): PostableAlert {
  const labels: Record<string, string> = {};
  let priority = alert.priority;
  for (const [field, value] of Object.entries(alert.output_fields)) {
    if (field.startsWith('n_evts')) continue; // a delta of event counts: a new label set every time
    if (field.startsWith('n_drop')) {
      const drop = dropLabel(value, options.dropeventthresholds, options.dropeventdefaultpriority);
      const name = dropLabelName(field);
      if (drop && name) {
        labels[name] = drop.value;
        priority = higher(priority, drop.atLeast);
      }
      continue;
    }
    const name = safeLabelName(field);
    const text = fieldLabelValue(value);
    if (name !== undefined && text !== undefined) labels[name] = text;
  }
  set(labels, 'source', 'falco');
  set(labels, 'rule', alert.rule);
  // Every Prometheus alert has alertname; routes and templates expect it.
  set(labels, 'alertname', alert.rule);
  set(labels, 'eventsource', alert.source);
  if (alert.hostname) set(labels, 'hostname', alert.hostname);
  if (alert.tags.length > 0) set(labels, 'tags', [...alert.tags].sort().join(','));
  set(labels, 'priority', priority);
  set(labels, 'severity', options.customseveritymap[priority] ?? DEFAULT_SEVERITY[priority]);
  for (const [name, value] of Object.entries(options.extralabels)) set(labels, name, value);

  // Annotations may be empty (Alertmanager keeps them); only their text is made well-formed.
  const annotations: Record<string, string> = { info: alert.output.toWellFormed(), description: alert.output.toWellFormed(), summary: alert.rule.toWellFormed() };
  for (const [name, value] of Object.entries(options.extraannotations)) annotations[name] = value.toWellFormed();

  const start = epochNanos(alert.time);
  const out: PostableAlert = { labels, annotations, startsAt: rfc3339Nanos(start) };
  if (options.expiresafter > 0) out.endsAt = rfc3339Nanos(start + BigInt(options.expiresafter) * 1_000_000_000n);
  return out;
}

/** Sets a label, or removes it when the value is empty (Alertmanager drops empty labels). */
function set(target: Record<string, string>, name: string, text: string): void {
  const value = labelValue(text);
  if (value === undefined) delete target[name];
  else target[name] = value;
}

export function alertsBody(alerts: readonly Alert[], options: PayloadOptions): string {
  return JSON.stringify(alerts.map((alert) => toPostableAlert(alert, options)));
}
