import { describe, expect, it } from 'vitest';
import { serializeAlert } from '../../src/plugin/index.ts';
import { testAlerts } from '../../test/support/alerts.ts';
import { chunkRecords, MAX_CALL_BYTES, toRecords } from './records.ts';

describe('awskinesis records', () => {
  it('the alert JSON as the data (big integers intact), the alert uuid as partition key', () => {
    const alerts = testAlerts(2);
    const records = toRecords(alerts);
    expect(records.map((r) => [r.index, Buffer.from(r.data).toString('utf8'), r.partitionKey])).toEqual([
      [0, serializeAlert(alerts[0] as never), 'alert-0'],
      [1, serializeAlert(alerts[1] as never), 'alert-1'],
    ]);
    expect(Buffer.from(records[0]?.data ?? []).toString()).toContain('"evt.time":1700000000167531875');
    expect(records[0]?.bytes).toBe(Buffer.byteLength(serializeAlert(alerts[0] as never)) + 'alert-0'.length);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const [record] = toRecords(testAlerts(1, { output: '日本語' }));
    expect(record?.bytes).toBe((record?.data.byteLength ?? 0) + 'alert-0'.length);
    expect(record?.data.byteLength).toBe(Buffer.byteLength(serializeAlert(testAlerts(1, { output: '日本語' })[0] as never)));
  });

  it('splits into calls of at most 500 records and 5 MiB, in order; a huge record goes alone', () => {
    const many = toRecords(testAlerts(1201));
    expect(chunkRecords(many).map((c) => c.length)).toEqual([500, 500, 201]);
    expect(chunkRecords(many).flat().map((r) => r.index)).toEqual(many.map((r) => r.index));

    const sizes = [2_000_000, 2_000_000, 2_000_000, 6_000_000, 10];
    const sized = sizes.map((bytes, index) => ({ index, data: new Uint8Array(), partitionKey: 'k', bytes }));
    const chunks = chunkRecords(sized);
    expect(chunks.map((c) => c.map((r) => r.index))).toEqual([[0, 1], [2], [3], [4]]);
    for (const chunk of chunks) if (chunk.length > 1) expect(chunk.reduce((n, r) => n + r.bytes, 0)).toBeLessThanOrEqual(MAX_CALL_BYTES);
  });
});
