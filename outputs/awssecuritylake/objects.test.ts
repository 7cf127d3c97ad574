import { describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { eventDay, objectKey, planObjects } from './objects.ts';

const lake = { prefix: 'ext/falco', region: 'eu-west-3', accountid: '123456789012' };

describe('awssecuritylake objects', () => {
  it('eventDay is the UTC day of the alert\'s own time', () => {
    expect(eventDay(testAlerts(1)[0] as never)).toBe('20261120');
    expect(eventDay(testAlerts(1, { time: '2026-01-01T01:30:00.5+02:00' })[0] as never)).toBe('20251231');
  });

  it('keys <prefix>/region=/accountId=/eventDay=/<first uuid>-<sha256 of the uuids, 16 hex>.parquet, the prefix without outer slashes', () => {
    // sha256("abc") = ba7816bf8f01cfea…
    expect(objectKey(lake, '20261120', ['abc'])).toBe('ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261120/abc-ba7816bf8f01cfea.parquet');
    expect(objectKey({ ...lake, prefix: '/ext/falco/' }, '20261120', ['abc'])).toBe('ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261120/abc-ba7816bf8f01cfea.parquet');
  });

  it('other alerts under the same first uuid (a sender repeating one) get another key: an object delivered is never replaced', () => {
    expect(objectKey(lake, '20261120', ['dup', 'first-1'])).not.toBe(objectKey(lake, '20261120', ['dup', 'second-1']));
    expect(objectKey(lake, '20261120', ['dup', 'first-1'])).toBe(objectKey(lake, '20261120', ['dup', 'first-1']));
  });

  it('one object per eventDay in the batch, alerts in batch order, named after its alerts: the same keys when the batch is sent again', () => {
    const alerts = [
      ...testAlerts(2),
      ...testAlerts(1, { time: '2026-11-21T00:00:00Z', uuid: 'next-day' }),
      ...testAlerts(1, { time: '2026-11-20T23:59:59.999999999Z', uuid: 'same-day' }),
    ];
    const plans = planObjects(alerts, lake);
    expect(plans).toEqual([
      { key: 'ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261120/alert-0-2528b0b4ae803554.parquet', indexes: [0, 1, 3] },
      { key: 'ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261121/next-day-390e534470a488db.parquet', indexes: [2] },
    ]);
    expect(planObjects(alerts, lake)).toEqual(plans);
  });
});
