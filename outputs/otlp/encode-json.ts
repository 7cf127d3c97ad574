// OTLP/HTTP JSON (ExportLogsServiceRequest, proto3 JSON mapping as the OTLP spec amends it):
// int64 values and timestamps as decimal strings, so nothing passes through a JS number.
// Plain objects + JSON.stringify (faster here than concatenating the text: bench/otlp-encode.ts).
// Text well-formed: a lone surrogate (alert text may carry one, as a JSON escape) becomes U+FFFD, as
// in the protobuf encoding (UTF-8), instead of a \udXXX escape that proto3 JSON readers may refuse.
// Not @opentelemetry/otlp-transformer's JsonLogsSerializer: it takes JS numbers and rounds integers
// above 2^53 (the same bench prints what it does to evt.time).
import type { KeyValue, Value } from './any-value.ts';
import type { ResourceLogs } from './record.ts';

export const SCOPE_NAME = 'falco';

export function encodeJson(groups: readonly ResourceLogs[], observedNs: bigint): string {
  const observed = observedNs.toString();
  return JSON.stringify({
    resourceLogs: groups.map((group) => ({
      resource: { attributes: group.resource.map(keyValueJson) },
      scopeLogs: [
        {
          scope: { name: SCOPE_NAME },
          logRecords: group.records.map((r) => ({
            timeUnixNano: r.timeUnixNano.toString(),
            observedTimeUnixNano: observed,
            severityNumber: r.severityNumber,
            severityText: r.severityText,
            body: { stringValue: r.body.toWellFormed() },
            attributes: r.attributes.map(keyValueJson),
          })),
        },
      ],
    })),
  });
}

/** A KeyValue (attribute) in OTLP/JSON: the logs and traces encodings share it. */
export function keyValueJson(kv: KeyValue): unknown {
  return { key: kv.key.toWellFormed(), value: valueJson(kv.value) };
}

function valueJson(v: Value): unknown {
  switch (v.kind) {
    case 'string':
      return { stringValue: v.value.toWellFormed() };
    case 'int':
      return { intValue: v.value };
    case 'double':
      // proto3 JSON writes the non-finite doubles as strings (JSON.stringify would write null).
      return { doubleValue: Number.isFinite(v.value) ? v.value : String(v.value) };
    case 'bool':
      return { boolValue: v.value };
    // An empty list is {"arrayValue":{}}: proto3 JSON leaves empty repeated fields out, as the
    // protobuf encoding must.
    case 'array':
      return { arrayValue: v.values.length ? { values: v.values.map(valueJson) } : {} };
    case 'kvlist':
      return { kvlistValue: v.values.length ? { values: v.values.map(keyValueJson) } : {} };
    case 'empty':
      return {};
  }
}
