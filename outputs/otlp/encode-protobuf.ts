// OTLP/HTTP protobuf (opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest), written
// field by field. @opentelemetry/otlp-transformer's ProtobufLogsSerializer takes JS numbers for
// int64 attributes, so integers above 2^53 (Falco's evt.time) would arrive rounded; here they are
// written from their exact decimal text.
import type { KeyValue, Value } from './any-value.ts';
import { SCOPE_NAME } from './encode-json.ts';
import { ProtoWriter } from './protobuf-writer.ts';
import type { ResourceLogs } from './record.ts';

export function encodeProtobuf(groups: readonly ResourceLogs[], observedNs: bigint): Uint8Array {
  const w = new ProtoWriter(16_384);
  for (const group of groups) {
    const rl = w.begin(1); // ExportLogsServiceRequest.resource_logs
    const res = w.begin(1); // ResourceLogs.resource
    for (const kv of group.resource) keyValue(w, 1, kv); // Resource.attributes
    w.end(res);
    const sl = w.begin(2); // ResourceLogs.scope_logs
    const scope = w.begin(1); // ScopeLogs.scope
    w.tag(1, 2); // InstrumentationScope.name
    w.string(SCOPE_NAME);
    w.end(scope);
    for (const r of group.records) {
      const lr = w.begin(2); // ScopeLogs.log_records
      w.tag(1, 1); // LogRecord.time_unix_nano
      w.fixed64(r.timeUnixNano);
      w.tag(11, 1); // observed_time_unix_nano
      w.fixed64(observedNs);
      w.tag(2, 0); // severity_number
      w.uint32(r.severityNumber);
      w.tag(3, 2); // severity_text
      w.string(r.severityText);
      const body = w.begin(5); // body
      w.tag(1, 2);
      w.string(r.body);
      w.end(body);
      for (const kv of r.attributes) keyValue(w, 6, kv); // attributes
      w.end(lr);
    }
    w.end(sl);
    w.end(rl);
  }
  return w.finish();
}

/** A KeyValue (attribute) at `field` of the message being written: the logs and traces encodings share it. */
export function keyValue(w: ProtoWriter, field: number, kv: KeyValue): void {
  const at = w.begin(field);
  w.tag(1, 2); // KeyValue.key
  w.string(kv.key);
  const v = w.begin(2); // KeyValue.value
  anyValue(w, kv.value);
  w.end(v);
  w.end(at);
}

function anyValue(w: ProtoWriter, v: Value): void {
  switch (v.kind) {
    case 'string':
      w.tag(1, 2);
      w.string(v.value);
      return;
    case 'bool':
      w.tag(2, 0);
      w.uint32(v.value ? 1 : 0);
      return;
    case 'int':
      w.tag(3, 0);
      w.int64(v.value);
      return;
    case 'double':
      w.tag(4, 1);
      w.double(v.value);
      return;
    case 'array': {
      const at = w.begin(5); // ArrayValue
      for (const item of v.values) {
        const i = w.begin(1);
        anyValue(w, item);
        w.end(i);
      }
      w.end(at);
      return;
    }
    case 'kvlist': {
      const at = w.begin(6); // KeyValueList
      for (const kv of v.values) keyValue(w, 1, kv);
      w.end(at);
      return;
    }
    case 'empty':
      return;
  }
}
