// The logs:import body, whole, as falcosidekick 2.34.1 builds it (captured from its binary): keys in
// Go's sorted order, data = base64 of the alert JSON, both times RFC 3339 to the second, and
// collectionTime moved after logEntryTime when now is not after it.
import { describe, expect, it } from 'vitest';
import { falcosidekickBody } from '../../test/support/json-post.ts';
import { testAlerts } from '../../test/support/alerts.ts';
import { collectionTime, importBody, logEntryTime } from './body.ts';

const NOW = Date.parse('2026-12-08T00:53:56.224Z');
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('importBody', () => {
  it('one Log per alert, in order, the whole body exactly', () => {
    const alerts = testAlerts(2);
    expect(importBody(alerts, NOW)).toBe(
      '{"inlineSource":{"logs":[' +
        `{"collectionTime":"2026-12-08T00:53:56Z","data":"${b64(falcosidekickBody(0))}","logEntryTime":"2026-11-20T10:21:36Z"},` +
        `{"collectionTime":"2026-12-08T00:53:56Z","data":"${b64(falcosidekickBody(1))}","logEntryTime":"2026-11-20T10:21:36Z"}` +
        ']}}',
    );
  });

  it('an alert stamped in the future: collectionTime is its time plus one second, in its zone', () => {
    const [alert] = testAlerts(1, { time: '2027-03-01T12:00:00.5+02:00' });
    const body = JSON.parse(importBody([alert!], NOW)) as { inlineSource: { logs: Record<string, string>[] } };
    expect(body.inlineSource.logs[0]).toEqual({ collectionTime: '2027-03-01T12:00:01+02:00', data: b64(falcosidekickBody(0).replace('2026-11-20T10:21:36.167531875Z', '2027-03-01T12:00:00.5+02:00')), logEntryTime: '2027-03-01T12:00:00+02:00' });
  });

  it('non-ASCII text: data is the base64 of its UTF-8 bytes', () => {
    const [alert] = testAlerts(1, { output: 'Überwachung: シェル' });
    const body = JSON.parse(importBody([alert!], NOW)) as { inlineSource: { logs: { data: string }[] } };
    expect(JSON.parse(Buffer.from(body.inlineSource.logs[0]!.data, 'base64').toString('utf8'))).toMatchObject({ output: 'Überwachung: シェル' });
  });
});

describe('logEntryTime (Go time.RFC3339 of the alert time)', () => {
  it.each([
    ['2026-11-20T10:21:36.167531875Z', '2026-11-20T10:21:36Z'],
    ['2026-11-20T10:21:36Z', '2026-11-20T10:21:36Z'],
    ['2026-11-20t10:21:36.9z', '2026-11-20T10:21:36Z'],
    ['2026-11-20T10:21:36.5+00:00', '2026-11-20T10:21:36Z'],
    ['2026-11-20T10:21:36.5-00:00', '2026-11-20T10:21:36Z'],
    ['2026-11-20T12:21:36.5+02:00', '2026-11-20T12:21:36+02:00'],
    ['2026-11-20T05:51:36-04:30', '2026-11-20T05:51:36-04:30'],
  ])('%s → %s', (time, expected) => {
    expect(logEntryTime(time)).toBe(expected);
  });
});

describe('collectionTime', () => {
  it.each([
    ['now after the alert', '2026-11-20T10:21:36.1Z', Date.parse('2026-11-20T10:21:37.000Z'), '2026-11-20T10:21:37Z'],
    ['now in UTC whatever the alert zone', '2026-11-20T12:21:36.1+02:00', Date.parse('2026-11-20T10:30:00.999Z'), '2026-11-20T10:30:00Z'],
    ['now in the alert second: alert + 1 s, so that it is after logEntryTime', '2026-11-20T10:21:36.1Z', Date.parse('2026-11-20T10:21:36.900Z'), '2026-11-20T10:21:37Z'],
    ['a future alert: alert + 1 s', '2026-11-20T10:21:36.9Z', Date.parse('2026-11-20T10:00:00Z'), '2026-11-20T10:21:37Z'],
    ['a future alert with an offset: + 1 s in its zone', '2026-11-20T23:59:59.5-03:00', Date.parse('2026-11-20T10:00:00Z'), '2026-11-21T00:00:00-03:00'],
  ])('%s', (_what, time, now, expected) => {
    expect(collectionTime(time, now)).toBe(expected);
  });
});
