// The line falcosidekick writes to Logstash: the alert JSON, indexes in field names dotted, the
// section's tags after the alert's, CRLF.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { serializeAlert } from '../../src/alert/serialize.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { falcosidekickBody } from '../../test/support/json-post.ts';
import { logstashLine } from './line.ts';

const alert = (input: Record<string, unknown>) => freezeAlert(toAlert(input as AlertInput));
const base = { uuid: 'u1', output: 'o', priority: 'Notice', rule: 'R', time: '2026-11-20T10:21:36Z', source: 'syscall' };

describe('logstashLine', () => {
  it("the fixture alert: falcosidekick's JSON with proc.aname[2] as proc.aname.2, the tags appended, CRLF", () => {
    const a = freezeAlert(toAlert(parseJson(falcoAlertJson(0)) as AlertInput));
    const expected = falcosidekickBody(0).replace('"proc.aname[2]"', '"proc.aname.2"').replace('"shell"]', '"shell","extra1","extra2"]');
    expect(logstashLine(a, ['extra1', 'extra2'])).toBe(`${expected}\r\n`);
  });

  it('an alert without indexes nor extra tags is its shared JSON as is', () => {
    const a = alert({ ...base, output_fields: { 'proc.name': 'sh' }, tags: ['b', 'a'] });
    expect(logstashLine(a, [])).toBe(`${serializeAlert(a)}\r\n`);
    expect(logstashLine(a, [])).toBe('{"uuid":"u1","output":"o","priority":"Notice","rule":"R","time":"2026-11-20T10:21:36Z","output_fields":{"proc.name":"sh"},"source":"syscall","tags":["a","b"]}\r\n');
  });

  it('no tags at all: no tags key (omitempty); section tags only: they are the tags, before hostname', () => {
    const a = alert({ ...base, output_fields: { 'x[0]': 1 }, hostname: 'h' });
    expect(logstashLine(a, [])).toBe('{"uuid":"u1","output":"o","priority":"Notice","rule":"R","time":"2026-11-20T10:21:36Z","output_fields":{"x.0":1},"source":"syscall","hostname":"h"}\r\n');
    expect(logstashLine(a, ['t', 't'])).toBe('{"uuid":"u1","output":"o","priority":"Notice","rule":"R","time":"2026-11-20T10:21:36Z","output_fields":{"x.0":1},"source":"syscall","tags":["t","t"],"hostname":"h"}\r\n');
  });

  it('every index of a key, in nested objects too, not inside arrays; other brackets kept', () => {
    const a = alert({ ...base, output_fields: { 'a[0][12]': 1, 'b[x]': 2, nested: { 'c[3]': { 'd[4]': 5 } }, list: [{ 'e[5]': 6 }] } });
    expect(logstashLine(a, [])).toBe(
      '{"uuid":"u1","output":"o","priority":"Notice","rule":"R","time":"2026-11-20T10:21:36Z","output_fields":{"a.0.12":1,"b[x]":2,"nested":{"c.3":{"d.4":5}},"list":[{"e[5]":6}]},"source":"syscall"}\r\n',
    );
  });

  it('big integers stay exact when the fields are rewritten', () => {
    const a = freezeAlert(toAlert(parseJson('{"uuid":"u","output":"","priority":"Notice","rule":"R","time":"2026-11-20T10:21:36Z","output_fields":{"evt.time":1700000000167531875,"p[1]":18446744073709551615}}') as AlertInput));
    expect(logstashLine(a, [])).toBe('{"uuid":"u","output":"","priority":"Notice","rule":"R","time":"2026-11-20T10:21:36Z","output_fields":{"evt.time":1700000000167531875,"p.1":18446744073709551615},"source":"syscalls"}\r\n');
  });
});
