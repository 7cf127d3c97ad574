// Cost per alert of encoding an OTLP logs request: Peregrine's own encoders (outputs/otlp) against
// @opentelemetry/otlp-transformer's JsonLogsSerializer / ProtobufLogsSerializer (building the
// ReadableLogRecords they take is counted: the output would have to do it). Also shows what each
// does to output_fields["evt.time"], an integer above 2^53. `node bench/otlp-encode.ts`.
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { thawAlert } from '../src/alert/serialize.ts';
import { epochNanos, type Alert } from '../src/plugin/index.ts';
import { encodeJson } from '../outputs/otlp/encode-json.ts';
import { encodeProtobuf } from '../outputs/otlp/encode-protobuf.ts';
import { groupByResource, SEVERITY, type RecordPlan } from '../outputs/otlp/record.ts';
import { falcoAlertJson } from '../test/support/alerts.ts';

const BATCH = 500;
const alerts = Array.from({ length: BATCH }, (_, i) => thawAlert(falcoAlertJson(i)));
const plan: RecordPlan = { serviceName: 'falco', customfields: new Set() };
const observed = 1_800_000_000_000_000_000n;

const resources = new Map<string, Resource>();
function readable(alert: Alert): ReadableLogRecord {
  const ns = epochNanos(alert.time);
  const host = alert.hostname ?? '';
  let resource = resources.get(host);
  if (!resource) resources.set(host, (resource = resourceFromAttributes({ 'service.name': 'falco', 'host.name': host })));
  const attributes: Record<string, unknown> = { rule: alert.rule, priority: alert.priority, source: alert.source, tags: [...alert.tags], uuid: alert.uuid };
  for (const [k, v] of Object.entries(alert.output_fields)) {
    if (v === null) continue;
    // The SDK's attribute values are JS numbers: the exact text of a big integer cannot go in.
    attributes[k] = v !== null && typeof v === 'object' && JSON.isRawJSON(v) ? Number((v as { rawJSON: string }).rawJSON) : v;
  }
  return {
    hrTime: [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)],
    hrTimeObserved: [Number(observed / 1_000_000_000n), 0],
    severityNumber: SEVERITY[alert.priority],
    severityText: alert.priority,
    body: alert.output,
    resource,
    instrumentationScope: { name: 'falco' },
    attributes: attributes as ReadableLogRecord['attributes'],
    droppedAttributesCount: 0,
  };
}

const variants: [string, () => Uint8Array | string][] = [
  ['own OTLP/JSON (outputs/otlp)', () => encodeJson(groupByResource(alerts, plan), observed)],
  ['own OTLP/protobuf (outputs/otlp)', () => encodeProtobuf(groupByResource(alerts, plan), observed)],
  ['otlp-transformer JsonLogsSerializer', () => JsonLogsSerializer.serializeRequest(alerts.map(readable)) as Uint8Array],
  ['otlp-transformer ProtobufLogsSerializer', () => ProtobufLogsSerializer.serializeRequest(alerts.map(readable)) as Uint8Array],
];

// Rounds alternate the variants and keep each one's best, so a busy neighbour on this shared
// machine slows all of them alike instead of whichever ran at the wrong moment.
const best = new Map<string, { us: number; bytes: number }>();
for (let round = 0; round < 15; round++) {
  for (const [name, fn] of variants) {
    const reps = 20;
    let bytes = 0;
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) bytes = fn().length;
    const us = ((performance.now() - t0) * 1000) / (reps * BATCH);
    if (us < (best.get(name)?.us ?? Infinity)) best.set(name, { us, bytes });
  }
}
for (const [name, { us, bytes }] of best) {
  console.log(`${name.padEnd(42)} ${us.toFixed(2)} µs per alert (best of 15 alternating rounds; ${BATCH}-alert batches, ${Math.round(bytes / BATCH)} bytes per alert)`);
}

// What happens to evt.time = 1700000000167531875 (alert 0).
const exact = '1700000000167531875';
const officialJson = new TextDecoder().decode(JsonLogsSerializer.serializeRequest([readable(alerts[0] as Alert)]) as Uint8Array);
const officialEvt = /"key":"evt\.time","value":\{"intValue":([^}]+)\}/.exec(officialJson)?.[1];
const ownEvt = /"key":"evt\.time","value":\{"intValue":"([^"]+)"\}/.exec(encodeJson(groupByResource([alerts[0] as Alert], plan), observed))?.[1];
console.log(`evt.time sent ${exact}: own encoder ${ownEvt} (${ownEvt === exact ? 'exact' : 'WRONG'}), JsonLogsSerializer ${officialEvt} (${officialEvt === exact ? 'exact' : 'rounded'})`);
