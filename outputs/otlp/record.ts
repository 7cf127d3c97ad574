// One OTLP log record per alert, grouped by resource (service.name, host.name, customfields).
//   timeUnixNano  = the alert's own time, exact (epochNanos; never a JS number)
//   severity      = from the Falco priority, per the OTel log data model's syslog table
//   severityText  = the Falco priority as Falco spells it (the spec: "the original string")
//   body          = the Falco output line
//   attributes    = rule, priority, source, tags, uuid, then every output field (types kept), except
//                   the customfields, which are the same for every alert and sit on the resource.
import { epochNanos, type Alert } from '../../src/plugin/index.ts';
import type { Priority } from '../../src/alert/priority.ts';
import { keyValues, toValue, type KeyValue } from './any-value.ts';

/** OTel SeverityNumber per Falco priority (syslog severities, logs data model appendix B). */
export const SEVERITY: Readonly<Record<Priority, number>> = {
  Emergency: 21, // FATAL
  Alert: 19, // ERROR3
  Critical: 18, // ERROR2
  Error: 17, // ERROR
  Warning: 13, // WARN
  Notice: 10, // INFO2
  Informational: 9, // INFO
  Debug: 5, // DEBUG
};

export interface LogRecord {
  timeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: KeyValue[];
}

export interface ResourceLogs {
  resource: KeyValue[];
  records: LogRecord[];
}

export interface RecordPlan {
  serviceName: string;
  /** Global customfields keys: resource attributes rather than record attributes. */
  customfields: ReadonlySet<string>;
}

export function logRecord(alert: Alert, plan: RecordPlan): LogRecord {
  const attributes: KeyValue[] = [
    { key: 'rule', value: { kind: 'string', value: alert.rule } },
    { key: 'priority', value: { kind: 'string', value: alert.priority } },
    { key: 'source', value: { kind: 'string', value: alert.source } },
  ];
  if (alert.tags.length) attributes.push({ key: 'tags', value: toValue(alert.tags) as KeyValue['value'] });
  attributes.push({ key: 'uuid', value: { kind: 'string', value: alert.uuid } });
  attributes.push(...keyValues(alert.output_fields, plan.customfields));
  return {
    timeUnixNano: epochNanos(alert.time),
    severityNumber: SEVERITY[alert.priority],
    severityText: alert.priority,
    body: alert.output,
    attributes,
  };
}

function resourceOf(alert: Alert, plan: RecordPlan): KeyValue[] {
  const out: KeyValue[] = [{ key: 'service.name', value: { kind: 'string', value: plan.serviceName } }];
  if (alert.hostname) out.push({ key: 'host.name', value: { kind: 'string', value: alert.hostname } });
  for (const key of plan.customfields) {
    const value = toValue(alert.output_fields[key]);
    if (value) out.push({ key, value });
  }
  return out;
}

/** The batch as resource groups, alerts in batch order within each group. */
export function groupByResource(alerts: readonly Alert[], plan: RecordPlan): ResourceLogs[] {
  const groups = new Map<string, ResourceLogs>();
  for (const alert of alerts) {
    const resource = resourceOf(alert, plan);
    const key = JSON.stringify(resource);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { resource, records: [] }));
    group.records.push(logRecord(alert, plan));
  }
  return [...groups.values()];
}
