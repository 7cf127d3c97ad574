import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { gzipText, objectKey, partitionOf, planObjects } from './objects.ts';

describe('awss3 objects', () => {
  it('dates the partition by the alert\'s own time in UTC', () => {
    const [a] = testAlerts(1, { time: '2026-01-01T01:30:00.5+02:00' });
    expect(partitionOf(a as never)).toBe('year=2025/month=12/day=31/hour=23');
    const [b] = testAlerts(1);
    expect(partitionOf(b as never)).toBe('year=2026/month=11/day=20/hour=10');
  });

  it('keys objects <prefix>/<partition>/<first-uuid>-<count>.ndjson.gz, with or without a prefix', () => {
    expect(objectKey('falco', 'year=2026/month=11/day=20/hour=10', 'abc', 3)).toBe('falco/year=2026/month=11/day=20/hour=10/abc-3.ndjson.gz');
    expect(objectKey('/a/b/', 'p', 'u', 1)).toBe('a/b/p/u-1.ndjson.gz');
    expect(objectKey('', 'p', 'u', 1)).toBe('p/u-1.ndjson.gz');
  });

  it('one object per hour in the batch, alerts in batch order, the same key for the same batch', () => {
    const alerts = [
      ...testAlerts(2),
      ...testAlerts(1, { time: '2026-11-20T11:00:00Z', uuid: 'next-hour' }),
      ...testAlerts(1, { time: '2026-11-20T10:59:59.999999999Z', uuid: 'same-hour' }),
    ];
    const plans = planObjects(alerts, 'falco');
    expect(plans.map((p) => [p.key, p.indexes])).toEqual([
      ['falco/year=2026/month=11/day=20/hour=10/alert-0-3.ndjson.gz', [0, 1, 3]],
      ['falco/year=2026/month=11/day=20/hour=11/next-hour-1.ndjson.gz', [2]],
    ]);
    expect(planObjects(alerts, 'falco').map((p) => p.key)).toEqual(plans.map((p) => p.key));
    const lines = (plans[0]?.ndjson ?? '').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[0]).toContain('"evt.time":1700000000167531875');
    expect(lines.slice(0, 3).map((l) => (JSON.parse(l) as { uuid: string }).uuid)).toEqual(['alert-0', 'alert-1', 'same-hour']);
  });

  it('gzips the NDJSON text', async () => {
    expect(gunzipSync(await gzipText('{"a":1}\n')).toString()).toBe('{"a":1}\n');
  });
});
