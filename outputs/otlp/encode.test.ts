// OTLP log records and their two encodings: severity per priority, typed attributes, exact times
// and int64s; the protobuf bytes decode (with an independent schema-driven reader below) to
// exactly the JSON encoding.
import { describe, expect, it } from 'vitest';
import { thawAlert } from '../../src/alert/serialize.ts';
import { PRIORITIES } from '../../src/alert/priority.ts';
import { distinctAlert, falcoAlertJson } from '../../test/support/alerts.ts';
import { toValue } from './any-value.ts';
import { encodeJson } from './encode-json.ts';
import { encodeProtobuf } from './encode-protobuf.ts';
import { ProtoWriter } from './protobuf-writer.ts';
import { groupByResource, logRecord, SEVERITY } from './record.ts';
import { partialFromProtobuf } from './response.ts';

const plan = { serviceName: 'falco', customfields: new Set<string>() };
const OBSERVED = 1_800_000_000_123_000_000n;

describe('log records', () => {
  it.each(PRIORITIES.map((p) => [p]))('%s: severity from the OTel syslog table, the priority as severityText', (priority) => {
    const expected = { Emergency: 21, Alert: 19, Critical: 18, Error: 17, Warning: 13, Notice: 10, Informational: 9, Debug: 5 }[priority];
    const record = logRecord(thawAlert(falcoAlertJson(0, priority)), plan);
    expect(record).toMatchObject({ severityNumber: expected, severityText: priority, timeUnixNano: 1795170096167531875n });
    expect(SEVERITY[priority]).toBe(expected);
  });

  it('the whole JSON request for the fixture alert: types kept, null left out, evt.time exact', () => {
    const body = encodeJson(groupByResource([thawAlert(falcoAlertJson(0))], plan), OBSERVED);
    const s = (v: string) => ({ stringValue: v });
    expect(JSON.parse(body)).toEqual({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: s('falco') }, { key: 'host.name', value: s('node-1') }] },
          scopeLogs: [
            {
              scope: { name: 'falco' },
              logRecords: [
                {
                  timeUnixNano: '1795170096167531875',
                  observedTimeUnixNano: '1800000000123000000',
                  severityNumber: 10,
                  severityText: 'Notice',
                  body: s('10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)'),
                  attributes: [
                    { key: 'rule', value: s('Terminal shell in container') },
                    { key: 'priority', value: s('Notice') },
                    { key: 'source', value: s('syscall') },
                    { key: 'tags', value: { arrayValue: { values: ['T1059', 'container', 'mitre_execution', 'shell'].map(s) } } },
                    { key: 'uuid', value: s('alert-0') },
                    { key: 'container.id', value: s('1f0a2e5c8d3b') },
                    { key: 'evt.time', value: { intValue: '1700000000167531875' } },
                    { key: 'proc.cmdline', value: s('sh -c id') },
                    { key: 'k8s.ns.name', value: s('default') },
                    { key: 'k8s.pod.name', value: s('web-7d9') },
                    { key: 'user.name', value: s('root') },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(body).toContain('{"key":"evt.time","value":{"intValue":"1700000000167531875"}}');
  });

  it('customfields go to the resource (one ResourceLogs per distinct resource), not the record', () => {
    const a = thawAlert(falcoAlertJson(0).replace('"user.name":"root"', '"user.name":"root","env":"prod"'));
    const b = thawAlert(falcoAlertJson(1).replace('"hostname":"node-1"', '"hostname":"node-2"').replace('"user.name":"root"', '"user.name":"root","env":"prod"'));
    const groups = groupByResource([a, b, a], { serviceName: 'sec', customfields: new Set(['env']) });
    expect(groups.map((g) => [g.resource.map((kv) => `${kv.key}=${JSON.stringify(toValue(null) ?? kv.value)}`), g.records.length])).toEqual([
      [['service.name={"kind":"string","value":"sec"}', 'host.name={"kind":"string","value":"node-1"}', 'env={"kind":"string","value":"prod"}'], 2],
      [['service.name={"kind":"string","value":"sec"}', 'host.name={"kind":"string","value":"node-2"}', 'env={"kind":"string","value":"prod"}'], 1],
    ]);
    expect(groups[0]?.records[0]?.attributes.map((kv) => kv.key)).not.toContain('env');
  });
});

describe('values', () => {
  const raw = (text: string) => JSON.rawJSON(text);
  it.each([
    ['string', 'x', { kind: 'string', value: 'x' }],
    ['safe integer', 42, { kind: 'int', value: '42' }],
    ['negative integer', -7, { kind: 'int', value: '-7' }],
    ['float', 0.25, { kind: 'double', value: 0.25 }],
    ['boolean', false, { kind: 'bool', value: false }],
    ['big integer (raw JSON)', raw('1700000000167531875'), { kind: 'int', value: '1700000000167531875' }],
    ['int64 max', raw('9223372036854775807'), { kind: 'int', value: '9223372036854775807' }],
    ['int64 min', raw('-9223372036854775808'), { kind: 'int', value: '-9223372036854775808' }],
    ['past int64 (uint64): exact text as a string', raw('18446744073709551615'), { kind: 'string', value: '18446744073709551615' }],
    ['bigint', 12345678901234567890n, { kind: 'string', value: '12345678901234567890' }],
    ['array with a null', ['a', null, 1], { kind: 'array', values: [{ kind: 'string', value: 'a' }, { kind: 'empty' }, { kind: 'int', value: '1' }] }],
    ['object', { k: true }, { kind: 'kvlist', values: [{ key: 'k', value: { kind: 'bool', value: true } }] }],
  ])('%s', (_name, input, expected) => {
    expect(toValue(input)).toEqual(expected);
  });
  it('null and undefined are left out', () => {
    expect(toValue(null)).toBeUndefined();
    expect(toValue(undefined)).toBeUndefined();
  });
});

describe('protobuf encoding', () => {
  it('decodes to exactly the JSON encoding (a 300-alert batch of every priority, every value type, long strings)', () => {
    const alerts = Array.from({ length: 300 }, (_, i) => {
      const json = distinctAlert('pb', i, PRIORITIES[i % PRIORITIES.length]).json.replace(
        '"user.name":"root"',
        `"user.name":"r${'é'.repeat(i)}","neg":-${i + 1},"min":-9223372036854775808,"list":[1,"a",null,true,2.5],"obj":{"x":{"y":[]}}`,
      );
      return thawAlert(i % 50 === 0 ? json.replace('"hostname":"node-1"', '"hostname":"node-x"') : json);
    });
    const groups = groupByResource(alerts, plan);
    expect(decodeRequest(encodeProtobuf(groups, OBSERVED))).toEqual(JSON.parse(encodeJson(groups, OBSERVED)));
  });

  it('a lone surrogate in the body, a value or a key is U+FFFD in both encodings', () => {
    const json = falcoAlertJson(0).replace('"user.name":"root"', '"user.name":"r\\ud800t","k\\udc00":"v"').replace(/"output":"/, '"output":"\\udfff ');
    const groups = groupByResource([thawAlert(json)], plan);
    const decoded = JSON.parse(encodeJson(groups, OBSERVED)) as unknown;
    expect(decodeRequest(encodeProtobuf(groups, OBSERVED))).toEqual(decoded);
    const text = JSON.stringify(decoded);
    expect(text).toContain('"r\ufffdt"');
    expect(text).toContain('k\ufffd');
    expect(text.isWellFormed()).toBe(true);
  });

  it('partial success in a protobuf response is read exactly', () => {
    const w = new ProtoWriter(8);
    const ps = w.begin(1);
    w.tag(1, 0);
    w.int64('3');
    w.tag(2, 2);
    w.string('3 records had no body');
    w.end(ps);
    expect(partialFromProtobuf(w.finish())).toEqual({ rejected: 3n, message: '3 records had no body' });
    expect(partialFromProtobuf(new Uint8Array())).toBeUndefined();
  });
});

// ── An independent reader: protobuf bytes → the OTLP/JSON shape, driven by the .proto field table ──
type Kind = 'string' | 'fixed64' | 'varint' | 'int64' | 'double' | 'bool' | Schema;
interface Schema {
  [field: number]: [name: string, kind: Kind, repeated?: boolean];
}
const ANY: Schema = {};
const KV: Schema = { 1: ['key', 'string'], 2: ['value', ANY] };
Object.assign(ANY, {
  1: ['stringValue', 'string'],
  2: ['boolValue', 'bool'],
  3: ['intValue', 'int64'],
  4: ['doubleValue', 'double'],
  5: ['arrayValue', { 1: ['values', ANY, true] }],
  6: ['kvlistValue', { 1: ['values', KV, true] }],
});
const RECORD: Schema = {
  1: ['timeUnixNano', 'fixed64'],
  11: ['observedTimeUnixNano', 'fixed64'],
  2: ['severityNumber', 'varint'],
  3: ['severityText', 'string'],
  5: ['body', ANY],
  6: ['attributes', KV, true],
};
const REQUEST: Schema = {
  1: ['resourceLogs', { 1: ['resource', { 1: ['attributes', KV, true] }], 2: ['scopeLogs', { 1: ['scope', { 1: ['name', 'string'] }], 2: ['logRecords', RECORD, true] }, true] }, true],
};

function decodeRequest(bytes: Uint8Array): unknown {
  return decode(bytes, REQUEST);
}

function decode(buf: Uint8Array, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const [name, kind, repeated] = schema[field] ?? (() => { throw new Error(`unexpected field ${field}`); })();
    let value: unknown;
    if (kind === 'fixed64') {
      value = view.getBigUint64(pos, true).toString();
      pos += 8;
    } else if (kind === 'double') {
      value = view.getFloat64(pos, true);
      pos += 8;
    } else if (kind === 'varint') value = Number(varint());
    else if (kind === 'int64') value = BigInt.asIntN(64, varint()).toString();
    else if (kind === 'bool') value = varint() === 1n;
    else {
      const len = Number(varint());
      const slice = buf.subarray(pos, pos + len);
      pos += len;
      value = kind === 'string' ? new TextDecoder().decode(slice) : decode(slice, kind);
    }
    if (repeated) ((out[name] ??= []) as unknown[]).push(value);
    else out[name] = value;
  }
  return out;
}
