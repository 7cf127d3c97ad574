import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { BulkBodyBuilder } from './bulk-body.ts';
import { indexName, utcDate } from './index-name.ts';

const alertFrom = (json: string) => freezeAlert(toAlert(parseJson(json) as AlertInput));
const at = (time: string, i = 1) => alertFrom(falcoAlertJson(i).replace('"time":"2026-11-20T10:21:36.167531875Z"', `"time":"${time}"`));
const target = { index: 'falco', suffix: 'daily' as const, datastream: false, flattenfields: false };

describe('index names', () => {
  it('dates the index by the alert time in UTC, for every suffix', () => {
    const t = '2024-02-29T23:59:59.999999999Z';
    expect(indexName('falco', 'daily', t)).toBe('falco-2024.02.29');
    expect(indexName('falco', 'monthly', t)).toBe('falco-2024.02');
    expect(indexName('falco', 'annually', t)).toBe('falco-2024');
    expect(indexName('falco', 'none', t)).toBe('falco');
  });

  it('converts offsets to UTC (the day can change)', () => {
    expect(utcDate('2026-01-01T01:30:00+02:00')).toEqual(['2025', '12', '31']);
    expect(utcDate('2025-12-31T22:30:00.5-03:00')).toEqual(['2026', '01', '01']);
    expect(indexName('falco', 'annually', '2026-01-01T01:30:00+02:00')).toBe('falco-2025');
    // The Z fast path agrees with the epoch arithmetic.
    for (const t of ['2026-11-20T10:21:36.167531875Z', '1999-12-31T23:59:59Z', '2026-03-01T00:00:00.000000001z']) {
      const d = new Date(Date.parse(t.replace(/\.\d+/, '')));
      expect(utcDate(t)).toEqual([String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0')]);
    }
  });
});

describe('bulk body', () => {
  it('writes one create action (_id = uuid) and one document per alert, NDJSON with a final newline', () => {
    const builder = new BulkBodyBuilder(target);
    const body = builder.build([alertFrom(falcoAlertJson(1)), at('2026-11-21T00:00:00.5Z', 2)]);
    const lines = body.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(JSON.parse(lines[0] as string)).toEqual({ create: { _index: 'falco-2026.11.20', _id: 'alert-1' } });
    expect(JSON.parse(lines[2] as string)).toEqual({ create: { _index: 'falco-2026.11.21', _id: 'alert-2' } });
  });

  it('splices @timestamp into the serialized alert: every field, big integers exact', () => {
    const alert = alertFrom(falcoAlertJson(7));
    const doc = new BulkBodyBuilder(target).document(alert);
    expect(doc.startsWith('{"@timestamp":"2026-11-20T10:21:36.167531875Z","uuid":"alert-7",')).toBe(true);
    expect(doc).toContain('"evt.time":1700000000167531882');
    const parsed = JSON.parse(doc) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['@timestamp', 'uuid', 'output', 'priority', 'rule', 'time', 'output_fields', 'source', 'tags', 'hostname']);
    expect(parsed.output_fields).toMatchObject({ 'k8s.ns.name': 'default', 'proc.aname[2]': null });
  });

  it('flattenfields replaces dots in output_fields keys and keeps big integers exact', () => {
    const doc = new BulkBodyBuilder({ ...target, flattenfields: true }).document(alertFrom(falcoAlertJson(7)));
    expect(doc).toContain('"evt_time":1700000000167531882');
    expect(JSON.parse(doc)).toMatchObject({ '@timestamp': '2026-11-20T10:21:36.167531875Z', output_fields: { k8s_ns_name: 'default', 'proc_aname[2]': null } });
  });

  it('writes data streams by name, whatever the suffix', () => {
    const builder = new BulkBodyBuilder({ ...target, datastream: true });
    expect(builder.action(alertFrom(falcoAlertJson(3)))).toBe('{"create":{"_index":"falco","_id":"alert-3"}}');
  });
});
