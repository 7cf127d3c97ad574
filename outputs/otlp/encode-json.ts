// OTLP/HTTP JSON (ExportLogsServiceRequest, proto3 JSON mapping as the OTLP spec amends it):
// int64 values and timestamps as decimal strings, so nothing passes through a JS number.
// Built as text: @opentelemetry/otlp-transformer's JsonLogsSerializer takes JS numbers and rounds
// integers above 2^53 (bench/otlp-encode.ts measures both).
import type { KeyValue, Value } from './any-value.ts';
import type { ResourceLogs } from './record.ts';

export const SCOPE_NAME = 'falco';

export function encodeJson(groups: readonly ResourceLogs[], observedNs: bigint): string {
  const observed = `"${observedNs}"`;
  const parts: string[] = [];
  for (const group of groups) {
    const records = group.records.map(
      (r) =>
        `{"timeUnixNano":"${r.timeUnixNano}","observedTimeUnixNano":${observed},"severityNumber":${r.severityNumber},"severityText":${JSON.stringify(r.severityText)},"body":{"stringValue":${JSON.stringify(r.body)}},"attributes":${keyValuesJson(r.attributes)}}`,
    );
    parts.push(`{"resource":{"attributes":${keyValuesJson(group.resource)}},"scopeLogs":[{"scope":{"name":"${SCOPE_NAME}"},"logRecords":[${records.join(',')}]}]}`);
  }
  return `{"resourceLogs":[${parts.join(',')}]}`;
}

function keyValuesJson(kvs: readonly KeyValue[]): string {
  let out = '[';
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i] as KeyValue;
    out += `${i ? ',' : ''}{"key":${JSON.stringify(kv.key)},"value":${valueJson(kv.value)}}`;
  }
  return `${out}]`;
}

function valueJson(v: Value): string {
  switch (v.kind) {
    case 'string':
      return `{"stringValue":${JSON.stringify(v.value)}}`;
    case 'int':
      return `{"intValue":"${v.value}"}`;
    case 'double':
      // proto3 JSON writes the non-finite doubles as strings.
      return Number.isFinite(v.value) ? `{"doubleValue":${v.value}}` : `{"doubleValue":"${v.value === Infinity ? 'Infinity' : v.value === -Infinity ? '-Infinity' : 'NaN'}"}`;
    case 'bool':
      return `{"boolValue":${v.value}}`;
    // An empty list is {"arrayValue":{}}: proto3 JSON leaves empty repeated fields out, as the
    // protobuf encoding must.
    case 'array':
      return v.values.length ? `{"arrayValue":{"values":[${v.values.map(valueJson).join(',')}]}}` : '{"arrayValue":{}}';
    case 'kvlist':
      return v.values.length ? `{"kvlistValue":{"values":${keyValuesJson(v.values)}}}` : '{"kvlistValue":{}}';
    case 'empty':
      return '{}';
  }
}
