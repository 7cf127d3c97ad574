// One span per alert, as falcosidekick's otlp.traces output builds it (outputs/otlp_traces.go):
//   trace id    trace-id.ts (one trace per pod, container or host)
//   name        the rule; kind SERVER; start = the alert's time, end = start + `duration` ms
//   attributes  uuid, source, priority, rule, hostname, tags, then the output fields. falcosidekick
//               writes every field as text (Go's %v: 42 → "42", null → "<nil>"); here they keep
//               their types, as the otlp (logs) output sends them, and null is left out
//   event       one, named with the output line, at the alert's time
//   flags       257: sampled, and "not remote" stated, as the Go SDK writes them
// The resource is falcosidekick's: service.name (otlp.traces.servicename) and service.version
// "v0.1.0", under the semantic conventions' schema 1.23.1; the scope is "falco-event".
import { epochNanos, type Alert } from '../../src/plugin/index.ts';
import { keyValues, toValue, type KeyValue, type Value } from '../otlp/any-value.ts';
import { spanId, traceId } from './trace-id.ts';

export const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.23.1';
export const SCOPE_NAME = 'falco-event';
export const SPAN_KIND_SERVER = 2;
export const SPAN_FLAGS = 0x101;

export interface SpanRecord {
  traceId: Uint8Array;
  spanId: Uint8Array;
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: KeyValue[];
  /** The one event's name: the Falco output line. */
  event: string;
}

const text = (value: string): Value => ({ kind: 'string', value });

export function resourceOf(serviceName: string): KeyValue[] {
  return [
    { key: 'service.name', value: text(serviceName) },
    { key: 'service.version', value: text('v0.1.0') },
  ];
}

export function spanOf(alert: Alert, durationMs: number): SpanRecord {
  const startNs = epochNanos(alert.time);
  return {
    traceId: traceId(alert),
    spanId: spanId(alert),
    name: alert.rule,
    startNs,
    endNs: startNs + BigInt(durationMs) * 1_000_000n,
    attributes: [
      { key: 'uuid', value: text(alert.uuid) },
      { key: 'source', value: text(alert.source) },
      { key: 'priority', value: text(alert.priority) },
      { key: 'rule', value: text(alert.rule) },
      { key: 'hostname', value: text(alert.hostname ?? '') },
      { key: 'tags', value: toValue([...alert.tags]) as Value },
      ...keyValues(alert.output_fields),
    ],
    event: alert.output,
  };
}
