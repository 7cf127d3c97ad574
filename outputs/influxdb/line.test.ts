// The line for an alert, against falcosidekick's line and the InfluxDB line-protocol rules
// (docs.influxdata.com, "Line protocol reference", Special characters): measurement — escape comma
// and space; tag keys, tag values, field keys — escape comma, equals sign and space; string field
// values — escape double quote and backslash; no newline in tag or field values; empty tag values
// are not allowed; two contiguous backslashes read as one.
import { describe, expect, it } from 'vitest';
import { fixtureAlerts, testAlerts } from '../../test/support/alerts.ts';
import { escapeFieldString, escapeTag, toLine, toLines } from './line.ts';

/** A reader of tag keys/values as the line-protocol rules above define them (the inverse of escapeTag). */
function readTag(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length && ' ,=\\'.includes(text[i + 1] as string)) out += text[++i];
    else if (' ,='.includes(c)) throw new Error(`unescaped "${c}" at ${i} in ${text}`);
    else if (c === '\n') throw new Error('newline in a tag');
    else out += c;
  }
  return out;
}

/** Splits at `sep` where it is not escaped (a backslash escapes the next of ` ,=\`), outside double quotes. */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < text.length && (quoted ? '"\\' : ' ,=\\').includes(text[i + 1] as string)) {
      current += c + text[++i];
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** A reader of a quoted string field value (the inverse of escapeFieldString). */
function readFieldString(text: string): string {
  expect(text.startsWith('"') && text.endsWith('"')).toBe(true);
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i] as string;
    if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) out += text[++i];
    else if (c === '"') throw new Error(`unescaped quote at ${i}`);
    else if (c === '\n') throw new Error('newline in a field value');
    else out += c;
  }
  return out;
}

describe('influxdb line', () => {
  it("the fixture alert: falcosidekick's line (tags sorted, no null or number fields) plus the alert time in ns", () => {
    const [alert] = fixtureAlerts('alerts/falco-shell.json');
    expect(toLine(alert as never, 'ns')).toBe(
      'events,rule=Terminal_shell_in_container,priority=Notice,source=syscall,container.id=1f0a2e5c8d3b,k8s.ns.name=default,k8s.pod.name=web-7d9,proc.cmdline=sh_-c_id,user.name=root,hostname=node-1,tags=T1059_container_mitre_execution_shell value="10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)" 1795170096167531875',
    );
  });

  it.each([
    ['ns', '1795170096167531875'],
    ['', '1795170096167531875'],
    ['us', '1795170096167531'],
    ['u', '1795170096167531'],
    ['ms', '1795170096167'],
    ['s', '1795170096'],
    ['m', '29919501'],
    ['h', '498658'],
  ] as const)('precision %s: the timestamp in that unit (%s)', (precision, stamp) => {
    const [alert] = testAlerts(1);
    expect(toLine(alert as never, precision).endsWith(` ${stamp}`)).toBe(true);
  });

  it.each([
    ['plain', 'plain'],
    ['a b', 'a\\ b'],
    ['a,b', 'a\\,b'],
    ['a=b', 'a\\=b'],
    ['C:\\Windows', 'C:\\Windows'],
    ['ends\\', 'ends\\\\'],
    ['a\\,b', 'a\\\\\\,b'],
    ['a\\ b', 'a\\\\\\ b'],
    ['two\nlines\r\tx', 'two\\ lines\\ \\ x'],
    ['日本語', '日本語'],
  ])('tag %j is written %j and reads back', (raw, written) => {
    expect(escapeTag(raw)).toBe(written);
    expect(readTag(escapeTag(raw))).toBe(raw.replace(/[\r\n\t]/g, ' '));
  });

  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['ends\\', '"ends\\\\"'],
    ['a = b, c', '"a = b, c"'],
    ['two\nlines\r', '"two\\nlines\\r"'],
  ])('string field %j is written %j', (raw, written) => {
    expect(escapeFieldString(raw)).toBe(written);
    // A newline is written as the two characters \n (no newline inside a value); the rest reads back exactly.
    expect(readFieldString(escapeFieldString(raw))).toBe(raw.replace(/\n/g, '\\n').replace(/\r/g, '\\r'));
  });

  it('escapes every part of a hostile alert; drops empty values, reserved and non-string fields', () => {
    const [alert] = testAlerts(1, {
      rule: 'Rule, with = signs',
      hostname: 'host name,1',
      source: 'k8s audit',
      tags: ['a b', 'c'],
      output: 'out "q" \\ end',
      output_fields: { 'key with space': 'v,1', 'k=2': 'x\\', empty: '', rule: 'dup', time: 't', _internal: 'x', n: 3, b: true, z: null },
    });
    const line = toLine(alert as never, 's');
    expect(line).toBe(
      'events,rule=Rule\\,_with_\\=_signs,priority=Notice,source=k8s\\ audit,k\\=2=x\\\\,key\\ with\\ space=v\\,1,hostname=host\\ name\\,1,tags=a\\ b_c value="out \\"q\\" \\\\ end" 1795170096',
    );
    // The whole line splits where the protocol says: measurement+tags, fields, timestamp.
    const parts = splitUnescaped(line, ' ');
    expect(parts).toHaveLength(3);
    const tags = splitUnescaped(parts[0] as string, ',').slice(1).map((pair) => splitUnescaped(pair, '=').map(readTag));
    expect(tags).toEqual([
      ['rule', 'Rule,_with_=_signs'],
      ['priority', 'Notice'],
      ['source', 'k8s audit'],
      ['k=2', 'x\\'],
      ['key with space', 'v,1'],
      ['hostname', 'host name,1'],
      ['tags', 'a b_c'],
    ]);
    expect(readFieldString((parts[1] as string).slice('value='.length))).toBe('out "q" \\ end');
  });

  it('no hostname and no tags: those tags are left out', () => {
    const [alert] = testAlerts(1, { hostname: '', tags: [], output_fields: { a: 'b' } });
    expect(toLine(alert as never, 'ns')).toBe(`events,rule=Terminal_shell_in_container,priority=Notice,source=syscall,a=b value=${escapeFieldString(alert?.output ?? '')} 1795170096167531875`);
  });

  it('one line per alert, newline-separated', () => {
    const alerts = testAlerts(3);
    expect(toLines(alerts, 'ns').split('\n')).toEqual(alerts.map((a) => toLine(a, 'ns')));
  });
});
