import { describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { eventDay, objectKey, planObjects } from './objects.ts';

const lake = { prefix: 'ext/falco', region: 'eu-west-3', accountid: '123456789012' };

describe('awssecuritylake objects', () => {
  it('eventDay is the UTC day of the alert\'s own time', () => {
    expect(eventDay(testAlerts(1)[0] as never)).toBe('20261120');
    expect(eventDay(testAlerts(1, { time: '2026-01-01T01:30:00.5+02:00' })[0] as never)).toBe('20251231');
  });

  it('keys <prefix>/region=/accountId=/eventDay=/<uuid>.parquet, the prefix without outer slashes', () => {
    expect(objectKey(lake, '20261120', 'abc')).toBe('ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261120/abc.parquet');
    expect(objectKey({ ...lake, prefix: '/ext/falco/' }, '20261120', 'abc')).toBe('ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261120/abc.parquet');
  });

  it('one object per eventDay in the batch, alerts in batch order, named after its first alert: the same keys when the batch is sent again', () => {
    const alerts = [
      ...testAlerts(2),
      ...testAlerts(1, { time: '2026-11-21T00:00:00Z', uuid: 'next-day' }),
      ...testAlerts(1, { time: '2026-11-20T23:59:59.999999999Z', uuid: 'same-day' }),
    ];
    const plans = planObjects(alerts, lake);
    expect(plans).toEqual([
      { key: 'ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261120/alert-0.parquet', indexes: [0, 1, 3] },
      { key: 'ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261121/next-day.parquet', indexes: [2] },
    ]);
    expect(planObjects(alerts, lake)).toEqual(plans);
  });
});
