// ExportTraceServiceRequest (opentelemetry.proto.collector.trace.v1) in protobuf, written field by
// field with the otlp output's writer, and in OTLP/JSON (ids as lowercase hex, int64 as decimal
// text: the OTLP spec's JSON mapping). One resource, one scope, the batch's spans in order.
import { keyValueJson } from '../otlp/encode-json.ts';
import { keyValue } from '../otlp/encode-protobuf.ts';
import type { KeyValue } from '../otlp/any-value.ts';
import { ProtoWriter } from '../otlp/protobuf-writer.ts';
import { SCHEMA_URL, SCOPE_NAME, SPAN_FLAGS, SPAN_KIND_SERVER, type SpanRecord } from './span.ts';

export function encodeProtobuf(resource: readonly KeyValue[], spans: readonly SpanRecord[]): Uint8Array {
  const w = new ProtoWriter(16_384);
  const rs = w.begin(1); // ExportTraceServiceRequest.resource_spans
  const res = w.begin(1); // ResourceSpans.resource
  for (const kv of resource) keyValue(w, 1, kv); // Resource.attributes
  w.end(res);
  const ss = w.begin(2); // ResourceSpans.scope_spans
  const scope = w.begin(1); // ScopeSpans.scope
  w.tag(1, 2); // InstrumentationScope.name
  w.string(SCOPE_NAME);
  w.end(scope);
  for (const span of spans) {
    const s = w.begin(2); // ScopeSpans.spans
    w.tag(1, 2); // Span.trace_id
    w.bytes(span.traceId);
    w.tag(2, 2); // span_id
    w.bytes(span.spanId);
    w.tag(5, 2); // name
    w.string(span.name);
    w.tag(6, 0); // kind
    w.uint32(SPAN_KIND_SERVER);
    w.tag(7, 1); // start_time_unix_nano
    w.fixed64(span.startNs);
    w.tag(8, 1); // end_time_unix_nano
    w.fixed64(span.endNs);
    for (const kv of span.attributes) keyValue(w, 9, kv); // attributes
    const event = w.begin(11); // events
    w.tag(1, 1); // Event.time_unix_nano
    w.fixed64(span.startNs);
    w.tag(2, 2); // Event.name
    w.string(span.event);
    w.end(event);
    w.tag(16, 5); // flags
    w.fixed32(SPAN_FLAGS);
    w.end(s);
  }
  w.end(ss);
  w.tag(3, 2); // ResourceSpans.schema_url
  w.string(SCHEMA_URL);
  w.end(rs);
  return w.finish();
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export function encodeJson(resource: readonly KeyValue[], spans: readonly SpanRecord[]): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: resource.map(keyValueJson) },
        scopeSpans: [
          {
            scope: { name: SCOPE_NAME },
            spans: spans.map((span) => ({
              traceId: hex(span.traceId),
              spanId: hex(span.spanId),
              flags: SPAN_FLAGS,
              name: span.name.toWellFormed(),
              kind: SPAN_KIND_SERVER,
              startTimeUnixNano: span.startNs.toString(),
              endTimeUnixNano: span.endNs.toString(),
              attributes: span.attributes.map(keyValueJson),
              events: [{ timeUnixNano: span.startNs.toString(), name: span.event.toWellFormed() }],
            })),
          },
        ],
        schemaUrl: SCHEMA_URL,
      },
    ],
  });
}
