// The CloudEvent's headers: falcosidekick's attributes and extensions, its time format, what
// cannot be a header value, and the extension names its SDK refuses.
import { describe, expect, it } from 'vitest';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { ceHeaders, ceTime, extensionProblems, headerValue, normalizeExtensions } from './event.ts';

describe('cloudevents event', () => {
  it.each([
    ['2026-11-20T10:21:36.000000001Z', '2026-11-20T10:21:36.000000001Z'],
    ['2026-11-20T10:21:37.500Z', '2026-11-20T10:21:37.5Z'],
    ['2026-11-20T10:21:38Z', '2026-11-20T10:21:38Z'],
    ['2026-11-20T10:21:39.000000120Z', '2026-11-20T10:21:39.00000012Z'],
    ['2026-11-20T12:21:40.25+02:00', '2026-11-20T10:21:40.25Z'],
    ['2026-11-20T10:21:42.000000000Z', '2026-11-20T10:21:42Z'],
  ])('ce-time of %s is %s (UTC, Go RFC3339Nano)', (time, expected) => {
    expect(ceTime(time)).toBe(expected);
  });

  it('headers: the four required attributes, time, falcosidekick\'s four extensions, then the configured ones (which win)', () => {
    const alert = priorityAlerts()[5]!;
    expect(ceHeaders(alert, { env: 'prod', rule: 'overridden' })).toEqual({
      'ce-specversion': '1.0',
      'ce-id': 'priority-5',
      'ce-source': 'https://falco.org',
      'ce-type': 'falco.rule.output.v1',
      'ce-time': '2026-11-20T10:21:36.167531875Z',
      'ce-priority': 'Notice',
      'ce-rule': 'overridden',
      'ce-eventsource': 'syscall',
      'ce-hostname': 'node-1',
      'ce-env': 'prod',
    });
  });

  it('no ce-hostname for an alert without a host', () => {
    expect(Object.keys(ceHeaders(priorityAlerts()[7]!, {}))).not.toContain('ce-hostname');
  });

  it.each([
    ['plain text, spaces included, as falcosidekick sends it', 'Terminal shell in container', 'Terminal shell in container'],
    ['UTF-8 bytes as they are (latin1 text on the wire)', 'Écriture sous /etc', Buffer.from('Écriture sous /etc', 'utf8').toString('latin1')],
    ['a line break (no header carries it) percent-encoded, with the % of that value', 'a\nb 100%', 'a%0Ab 100%25'],
    ['a % alone left as it is', '100% sure', '100% sure'],
  ])('header value: %s', (_name, value, sent) => {
    expect(headerValue(value)).toBe(sent);
  });

  it.each<[Record<string, string>, string[]]>([
    [{ env: 'prod', team2: 'sec' }, []],
    [{ MyExt: 'v' }, []],
    [{ averyveryverylongextensionname: 'v' }, []],
    [{ Bad_Name: 'v' }, ['extensions.Bad_Name']],
    [{ 'x-y': 'v' }, ['extensions.x-y']],
    [{ ID: 'v', source: 'v' }, ['extensions.ID', 'extensions.source']],
  ])('extension names %j: problems at %j', (extensions, paths) => {
    expect(extensionProblems(extensions).map((p) => p.path)).toEqual(paths);
  });

  it('extension names are lower-cased, as the SDK sets them', () => {
    expect(normalizeExtensions({ MyExt: 'v1' })).toEqual({ myext: 'v1' });
  });
});
