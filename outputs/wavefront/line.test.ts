// The point line: falcosidekick's metric, value, time, source and tags, with the Wavefront SDK's
// sanitizing and quoting, and Peregrine's fixes (empty tags left out, values cut to the limit).
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parsePoint } from '../../test/support/wavefront-receiver.ts';
import { pointLine, pointLines, quoteValue, sanitizeName, sanitizeTagKey, trimValue } from './line.ts';

const alert = (extra: Partial<AlertInput> = {}) =>
  freezeAlert(
    toAlert({
      uuid: 'u1',
      output: 'out',
      priority: 'Warning',
      rule: 'Read sensitive file',
      time: '2026-11-20T10:21:36.167531875Z',
      source: 'syscall',
      hostname: 'node-1',
      tags: ['filesystem', 'T1555'],
      output_fields: { 'fd.name': '/etc/shadow', 'proc.pid': 42, 'proc.tty': false, 'proc.aname[2]': null, 'user.name': 'root' },
      ...extra,
    }),
  );

describe('wavefront point line', () => {
  it('the whole line: metric, 1, epoch ns, source "falco-exporter", severity, rule, source, hostname, string fields (sorted keys), tags (sorted, ", " joined)', () => {
    expect(pointLine(alert(), 'falco.alert')).toBe(
      '"falco.alert" 1 1795170096167531875 source="falco-exporter" "severity"="Warning" "rule"="Read sensitive file" "source"="syscall" "hostname"="node-1" "fd.name"="/etc/shadow" "user.name"="root" "tags"="T1555, filesystem"\n',
    );
  });

  it('no hostname tag without a hostname, no tags tag without tags', () => {
    expect(pointLine(alert({ hostname: '', tags: [], output_fields: {} }), 'm')).toBe('"m" 1 1795170096167531875 source="falco-exporter" "severity"="Warning" "rule"="Read sensitive file" "source"="syscall"\n');
  });

  it('an output field named like a tag replaces its value in place (falcosidekick writes into one map)', () => {
    expect(pointLine(alert({ hostname: '', tags: [], output_fields: { rule: 'from field' } }), 'm')).toBe(
      '"m" 1 1795170096167531875 source="falco-exporter" "severity"="Warning" "rule"="from field" "source"="syscall"\n',
    );
  });

  it('values: trimmed, quotes escaped, line breaks as \\n, backslashes kept inside, trailing ones dropped; empty ones left out', () => {
    const line = pointLine(alert({ hostname: '', tags: [], output_fields: { a: '  sh -c "echo \'hi\'"\nnext ', b: 'C:\\dir\\', c: '', d: ' \t ', e: '\\' } }), 'm');
    expect(line).toBe('"m" 1 1795170096167531875 source="falco-exporter" "severity"="Warning" "rule"="Read sensitive file" "source"="syscall" "a"="sh -c \\"echo \'hi\'\\"\\nnext" "b"="C:\\dir"\n');
    expect(parsePoint(line.slice(0, -1))).toMatchObject({ tags: { a: 'sh -c "echo \'hi\'"\\nnext', b: 'C:\\dir' } });
  });

  it('a value is cut (with …) so that key and value fit 254 characters; the line stays valid', () => {
    const line = pointLine(alert({ hostname: '', tags: [], output_fields: { 'proc.cmdline': 'A'.repeat(300) } }), 'm');
    const tag = `"proc.cmdline"="${'A'.repeat(254 - 12 - 1)}…"`;
    expect(line).toBe(`"m" 1 1795170096167531875 source="falco-exporter" "severity"="Warning" "rule"="Read sensitive file" "source"="syscall" ${tag}\n`);
    expect(parsePoint(line.slice(0, -1))).not.toBeTypeOf('string');
  });

  it('keys: bytes Wavefront does not allow become "-" (a UTF-8 character gives one per byte); two keys alike keep the first', () => {
    const line = pointLine(alert({ hostname: '', tags: [], output_fields: { 'proc.aname[2]': 'init', 'naïve': 'ü', 'a/b': 'x', 'a,b': 'y' } }), 'm');
    expect(line).toBe('"m" 1 1795170096167531875 source="falco-exporter" "severity"="Warning" "rule"="Read sensitive file" "source"="syscall" "a-b"="y" "na--ve"="ü" "proc.aname-2-"="init"\n');
  });

  it.each([
    ['falco.alert', 'falco.alert'],
    ['falco alert/x,y', 'falco-alert/x,y'],
    ['~internal.metric', '~internal.metric'],
    ['\u2206~delta.count', '\u2206~delta.count'],
    ['\u0394delta', '\u0394delta'],
    ['é', '--'],
  ])('metric name %j is sent as %j', (name, sent) => {
    expect(sanitizeName(name)).toBe(sent);
  });

  it('tag keys also lose "," and "/"', () => {
    expect(sanitizeTagKey('k8s/ns,name')).toBe('k8s-ns-name');
  });

  it("trims Go's white space (incl. U+0085, U+00A0, U+3000), not a BOM", () => {
    expect(trimValue('\u0085\u00a0 x \u3000\n')).toBe('x');
    expect(trimValue('\ufeffx')).toBe('\ufeffx');
  });

  it('cuts before a surrogate pair, never inside it', () => {
    expect(quoteValue(`ab😀cd`, 4)).toBe('"ab…"');
  });

  it('a body is one line per alert', () => {
    expect(pointLines([alert(), alert({ rule: 'Other' })], 'm').split('\n')).toHaveLength(3);
  });
});
