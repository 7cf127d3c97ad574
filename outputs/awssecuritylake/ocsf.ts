// An alert as an OCSF Security Finding (class 2001, activity Generate), the record falcosidekick's
// aws.securitylake writes: the same fields, values and constants (OCSF schema version "0.1.0").
// Two values differ on purpose (docs/outputs/awssecuritylake.md): observables keep output_fields'
// numbers exact and in the alert's order, and raw_data is the alert's JSON as Peregrine forwards it.
import { epochNanos, serializeAlert, type Alert, type Priority } from '../../src/plugin/index.ts';

interface OcsfObservable {
  name: string;
  type: string;
  type_id: number;
  value: string;
}

export interface OcsfFinding {
  activity_id: number;
  activity_name: string;
  category_name: string;
  category_uid: number;
  class_name: string;
  class_uid: number;
  finding: { created_time: bigint; desc: string; title: string; types: string[]; uid: string };
  message: string;
  metadata: { version: string; product: { vendor_name: string; name: string }; labels: string[] };
  observables: OcsfObservable[];
  raw_data: string;
  severity: string;
  severity_id: number;
  state: string;
  state_id: number;
  status: string;
  /** Epoch milliseconds of the alert's time. */
  time: bigint;
  type_name: string;
  type_uid: number;
}

/** OCSF severity (id, name) of each Falco priority, as falcosidekick maps them. */
const SEVERITY: Record<Priority, [number, string]> = {
  Emergency: [6, 'Fatal'],
  Alert: [6, 'Fatal'],
  Critical: [5, 'Critical'],
  Error: [4, 'High'],
  Warning: [3, 'Medium'],
  Notice: [2, 'Low'],
  Informational: [1, 'Informational'],
  Debug: [1, 'Informational'],
};

/**
 * An output field as an observable's value: strings as they are, numbers as their JSON digits (big
 * integers exact); undefined for what falcosidekick leaves out (booleans, null, objects, arrays).
 */
export function observableValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && JSON.isRawJSON(value)) return (value as { rawJSON: string }).rawJSON;
  return undefined;
}

/** The hostname (when the alert has one), then each string or number output field, all of type Other (0). */
function observables(alert: Alert): OcsfObservable[] {
  const out: OcsfObservable[] = [];
  if (alert.hostname) out.push({ name: 'hostname', type: 'Other', type_id: 0, value: alert.hostname });
  for (const [name, raw] of Object.entries(alert.output_fields)) {
    const value = observableValue(raw);
    if (value !== undefined) out.push({ name, type: 'Other', type_id: 0, value });
  }
  return out;
}

export function ocsfFinding(alert: Alert): OcsfFinding {
  const millis = epochNanos(alert.time) / 1_000_000n;
  const [severityId, severity] = SEVERITY[alert.priority];
  return {
    activity_id: 1,
    activity_name: 'Generate',
    category_name: 'Findings',
    category_uid: 2,
    class_name: 'Security Finding',
    class_uid: 2001,
    finding: { created_time: millis, desc: alert.output, title: alert.rule, types: [alert.source], uid: alert.uuid },
    message: alert.rule,
    metadata: { version: '0.1.0', product: { vendor_name: 'Falcosecurity', name: 'Falco' }, labels: [...alert.tags] },
    observables: observables(alert),
    raw_data: serializeAlert(alert),
    severity,
    severity_id: severityId,
    state: 'New',
    state_id: 1,
    status: alert.priority,
    time: millis,
    type_name: 'Security Finding: Generate',
    type_uid: 200101,
  };
}
