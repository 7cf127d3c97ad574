// ExportMetricsServiceRequest (opentelemetry.proto.collector.metrics.v1) in protobuf, written field
// by field with the otlp output's writer in the order the Go SDK writes them, and in OTLP/JSON
// (int64 and times as decimal text). One resource, one scope, one metric: a monotonic cumulative
// Sum with one int data point per attribute set, as falcosidekick's OTel SDK exports its counter.
import { keyValueJson } from '../otlp/encode-json.ts';
import { keyValue } from '../otlp/encode-protobuf.ts';
import type { KeyValue } from '../otlp/any-value.ts';
import { ProtoWriter } from '../otlp/protobuf-writer.ts';
import type { Series } from './counter.ts';

// falcosidekick's (outputs/otlp_metrics/otlp_metrics.go, otlp_metrics.go): its counters carry no
// description on the wire (its With() drops it) and no unit.
const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.23.1';
const SCOPE_NAME = 'falcosecurity.falco.otlpmetrics.meter';
const METRIC_NAME = 'falcosecurity_falco_rules_matches_total';
const CUMULATIVE = 2; // AGGREGATION_TEMPORALITY_CUMULATIVE

const text = (value: string): KeyValue['value'] => ({ kind: 'string', value });

/**
 * falcosidekick's resource, plus service.instance.id (the host name: the pod's in Kubernetes), which
 * falcosidekick does not write: without it every replica writes the same series, and their counts,
 * each cumulative from its own start, overwrite one another at the backend.
 */
export const resourceOf = (instance: string): readonly KeyValue[] => [
  { key: 'service.name', value: text('falco') },
  { key: 'service.version', value: text('0.1.0') },
  { key: 'service.instance.id', value: text(instance) },
];

export interface Export {
  resource: readonly KeyValue[];
  series: readonly Series[];
  startNs: bigint;
  timeNs: bigint;
}

export function encodeProtobuf({ resource, series, startNs, timeNs }: Export): Uint8Array {
  const w = new ProtoWriter(16_384);
  const rm = w.begin(1); // ExportMetricsServiceRequest.resource_metrics
  const res = w.begin(1); // ResourceMetrics.resource
  for (const kv of resource) keyValue(w, 1, kv); // Resource.attributes
  w.end(res);
  const sm = w.begin(2); // ResourceMetrics.scope_metrics
  const scope = w.begin(1); // ScopeMetrics.scope
  w.tag(1, 2); // InstrumentationScope.name
  w.string(SCOPE_NAME);
  w.end(scope);
  const metric = w.begin(2); // ScopeMetrics.metrics
  w.tag(1, 2); // Metric.name
  w.string(METRIC_NAME);
  const sum = w.begin(7); // Metric.sum
  for (const s of series) {
    const dp = w.begin(1); // Sum.data_points
    w.tag(2, 1); // NumberDataPoint.start_time_unix_nano
    w.fixed64(startNs);
    w.tag(3, 1); // time_unix_nano
    w.fixed64(timeNs);
    for (const kv of s.attributes) keyValue(w, 7, kv); // attributes
    w.tag(6, 1); // as_int (sfixed64)
    w.fixed64(BigInt(s.count));
    w.end(dp);
  }
  w.tag(2, 0); // Sum.aggregation_temporality
  w.uint32(CUMULATIVE);
  w.tag(3, 0); // is_monotonic
  w.uint32(1);
  w.end(sum);
  w.end(metric);
  w.end(sm);
  w.tag(3, 2); // ResourceMetrics.schema_url
  w.string(SCHEMA_URL);
  w.end(rm);
  return w.finish();
}

export function encodeJson({ resource, series, startNs, timeNs }: Export): string {
  const start = startNs.toString();
  const time = timeNs.toString();
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: resource.map(keyValueJson) },
        scopeMetrics: [
          {
            scope: { name: SCOPE_NAME },
            metrics: [
              {
                name: METRIC_NAME,
                sum: {
                  dataPoints: series.map((s) => ({ attributes: s.attributes.map(keyValueJson), startTimeUnixNano: start, timeUnixNano: time, asInt: String(s.count) })),
                  aggregationTemporality: CUMULATIVE,
                  isMonotonic: true,
                },
              },
            ],
          },
        ],
        schemaUrl: SCHEMA_URL,
      },
    ],
  });
}
