// The falco_alert::1.0.0 event, field by field as falcosidekick fills it, written as Go writes JSON.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { eventProblems } from '../../test/support/spyderbat-receiver.ts';
import { goJson, sourceUid, spyderbatEvent } from './event.ts';

const NOW = Date.parse('2026-12-07T22:38:50.026Z');
const alert = (json: string) => freezeAlert(toAlert(parseJson(json) as AlertInput));
const base = (fields: string, extra = '') =>
  alert(`{"uuid":"a-1","output":"10:21:36.167531875: Notice A shell was spawned (user=root cmd=<sh> & more)","priority":"Notice","rule":"r","time":"2026-11-20T10:21:36.167531875Z","source":"syscall","output_fields":{${fields}}${extra}}`);

describe('spyderbat event', () => {
  it('the whole line: schema, the alert id, monotonic_time, orc_time, time (whole seconds of evt.time), pid, level, msg, args, container', () => {
    expect(spyderbatEvent(base('"evt.time":1700000006172839455,"proc.pid":4242,"proc.cmdline":"sh -c \'a<b\'","container.id":"1f0a2e5c8d3b"'), NOW)).toBe(
      '{"schema":"falco_alert::1.0.0","id":"a-1","monotonic_time":26000000,"orc_time":1796683130.026,"time":1700000006,"pid":4242,"level":"low","msg":["A","shell","was","spawned","(user=root","cmd=\\u003csh\\u003e","\\u0026","more)"],"args":"sh -c \'a\\u003cb\'","container":"1f0a2e5c8d3b"}\n',
    );
  });

  it('is valid by the receiver\'s event shape', () => {
    const line = spyderbatEvent(base('"evt.time":1700000006172839455,"proc.pid":1'), NOW) as string;
    expect(eventProblems(line.trim())).toEqual([]);
  });

  it.each([
    ['Emergency', 'critical'],
    ['Alert', 'high'],
    ['Critical', 'critical'],
    ['Error', 'high'],
    ['Warning', 'medium'],
    ['Notice', 'low'],
    ['Informational', 'info'],
    ['Debug', 'info'],
  ])('%s is level %s', (priority, level) => {
    const a = alert(`{"output":"a b c","priority":"${priority}","rule":"r","time":"2026-11-20T10:21:36Z","output_fields":{"proc.pid":1}}`);
    expect(JSON.parse(spyderbatEvent(a, NOW) as string)).toMatchObject({ level });
  });

  it('msg: null for an output of two words or fewer; runs of spaces give empty words, as Go splits', () => {
    const msg = (output: string) => (JSON.parse(spyderbatEvent(alert(`{"output":${JSON.stringify(output)},"priority":"Debug","rule":"r","time":"2026-11-20T10:21:36Z","output_fields":{"proc.pid":1}}`), NOW) as string) as { msg: unknown }).msg;
    expect(msg('short')).toBeNull();
    expect(msg('')).toBeNull();
    expect(msg('a b')).toBeNull();
    expect(msg('a b  c')).toEqual(['', 'c']);
  });

  it('pid: a 32-bit integer as Go converts it (4294967297 is 1); args and container "" when not texts', () => {
    expect(JSON.parse(spyderbatEvent(base('"proc.pid":4294967297,"proc.cmdline":12,"container.id":null'), NOW) as string)).toMatchObject({ pid: 1, args: '', container: '' });
    expect(JSON.parse(spyderbatEvent(base('"proc.pid":-5'), NOW) as string)).toMatchObject({ pid: -5 });
  });

  it('time: whole seconds of the alert time when evt.time is missing or not an integer (falcosidekick drops the alert)', () => {
    expect(JSON.parse(spyderbatEvent(base('"proc.pid":1'), NOW) as string)).toMatchObject({ time: 1795170096 });
    expect(JSON.parse(spyderbatEvent(base('"proc.pid":1,"evt.time":"x"'), NOW) as string)).toMatchObject({ time: 1795170096 });
  });

  it('no event without an integer proc.pid: the reason says why', () => {
    expect(spyderbatEvent(base('"evt.time":1'), NOW)).toEqual({ problem: "proc.pid is missing: Spyderbat's falco_alert event needs the process id" });
    expect(spyderbatEvent(base('"proc.pid":"42"'), NOW)).toEqual({ problem: "proc.pid is not an integer: Spyderbat's falco_alert event needs the process id" });
  });

  it("Go's escapes: <, >, &, U+2028, U+2029", () => {
    expect(goJson({ a: '<>&\u2028\u2029é"' })).toBe('{"a":"\\u003c\\u003e\\u0026\\u2028\\u2029é\\""}');
  });

  it('the source uid is falcosidekick_<orguid>, the one falcosidekick creates', () => {
    expect(sourceUid('org123')).toBe('falcosidekick_org123');
  });
});
