// Object names: falcosidekick's <prefix>/<YYYY-MM-DD>/<RFC 3339>.json layout, from the alert's own
// time in UTC, with the uuid that keeps two alerts of one nanosecond apart.
import { describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { objectName } from './key.ts';

describe('gcpstorage object names', () => {
  const [alert] = testAlerts(1);
  const uuid = alert!.uuid;

  it.each([
    ['falco', `falco/2026-11-20/2026-11-20T10:21:36.167531875Z_${uuid}.json`],
    ['', `2026-11-20/2026-11-20T10:21:36.167531875Z_${uuid}.json`],
    ['/a/b/', `a/b/2026-11-20/2026-11-20T10:21:36.167531875Z_${uuid}.json`],
  ])('prefix %j → %s', (prefix, name) => {
    expect(objectName(prefix, alert!)).toBe(name);
  });

  it('an alert time with an offset is named in UTC, on its UTC day', () => {
    const [late] = testAlerts(1, { time: '2026-11-20T23:30:00.5+02:00' } as never);
    expect(objectName('p', late!)).toBe(`p/2026-11-20/2026-11-20T21:30:00.500000000Z_${late!.uuid}.json`);
    const [early] = testAlerts(1, { time: '2026-11-20T01:00:00-03:00' } as never);
    expect(objectName('p', early!)).toBe(`p/2026-11-20/2026-11-20T04:00:00.000000000Z_${early!.uuid}.json`);
    const [next] = testAlerts(1, { time: '2026-11-20T22:00:00-03:00' } as never);
    expect(objectName('p', next!)).toBe(`p/2026-11-21/2026-11-21T01:00:00.000000000Z_${next!.uuid}.json`);
  });

  it('two alerts of the same time get two names; the same alert always the same one', () => {
    const [a, b] = testAlerts(2);
    expect(a!.time).toBe(b!.time);
    expect(objectName('p', a!)).not.toBe(objectName('p', b!));
    expect(objectName('p', a!)).toBe(objectName('p', a!));
  });
});
