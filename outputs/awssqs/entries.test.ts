import { describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { chunkEntries, groupId, MAX_CALL_BYTES, messageBody, toEntries } from './entries.ts';

describe('awssqs entries', () => {
  it('uses the alert JSON as the body, big integers intact, no FIFO ids on a standard queue', () => {
    const [entry] = toEntries(testAlerts(1), false, 'hostname');
    expect(entry).toEqual({ index: 0, id: '0', body: expect.stringContaining('"evt.time":1700000000167531875'), bytes: expect.any(Number) });
    expect(JSON.parse(entry?.body ?? '')).toMatchObject({ uuid: 'alert-0', rule: 'Terminal shell in container', time: '2026-11-20T10:21:36.167531875Z' });
  });

  it('sets MessageGroupId and the uuid as MessageDeduplicationId on FIFO queues', () => {
    const entries = toEntries(testAlerts(2), true, 'rule');
    expect(entries.map((e) => [e.groupId, e.dedupId])).toEqual([
      ['Terminal_shell_in_container', 'alert-0'],
      ['Terminal_shell_in_container', 'alert-1'],
    ]);
    const [alert] = testAlerts(1, { hostname: '' });
    expect(groupId(alert as never, 'hostname')).toBe('falco');
    expect(groupId(alert as never, 'single')).toBe('falco');
    expect(groupId(alert as never, 'priority')).toBe('Notice');
  });

  it('splits into calls of at most 10 entries and 256 KiB, in order; a huge entry goes alone', () => {
    const small = toEntries(testAlerts(25), false, 'hostname');
    expect(chunkEntries(small).map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunkEntries(small).flat().map((e) => e.index)).toEqual(small.map((e) => e.index));
    expect(chunkEntries(small)[1]?.map((e) => e.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

    const sizes = [100_000, 100_000, 100_000, 300_000, 10];
    const sized = sizes.map((bytes, index) => ({ index, id: String(index), body: '', bytes }));
    const chunks = chunkEntries(sized);
    expect(chunks.map((c) => c.map((e) => e.index))).toEqual([[0, 1], [2], [3], [4]]);
    for (const chunk of chunks) if (chunk.length > 1) expect(chunk.reduce((n, e) => n + e.bytes, 0)).toBeLessThanOrEqual(MAX_CALL_BYTES);
  });

  it('escapes U+FFFE/U+FFFF, which JSON allows and SQS refuses', () => {
    const [alert] = testAlerts(1, { output: 'bad \uFFFF char' });
    const body = messageBody(alert as never);
    expect(body).toContain('bad \\uffff char');
    expect(JSON.parse(body).output).toBe('bad \uFFFF char');
  });
});
