import { describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { chunkEvents, MAX_CALL_BYTES, MAX_EVENTS, MAX_SPAN_MS, rejectionOf, toEvents, type LogEvent } from './events.ts';

const event = (index: number, timestamp: number, bytes = 100): LogEvent => ({ index, timestamp, message: '', bytes });

describe('awscloudwatchlogs events', () => {
  it('one event per alert: the alert JSON, the alert time in ms, bytes + 26, sorted stably by time', () => {
    const alerts = [
      ...testAlerts(1, { uuid: 'late', time: '2026-11-20T10:21:37Z' }),
      ...testAlerts(1, { uuid: 'early', time: '2026-11-20T10:21:36.167531875Z' }),
      ...testAlerts(1, { uuid: 'early-too', time: '2026-11-20T10:21:36.167999Z' }),
    ];
    const events = toEvents(alerts);
    expect(events.map((e) => [e.index, e.timestamp])).toEqual([
      [1, Date.parse('2026-11-20T10:21:36.167Z')],
      [2, Date.parse('2026-11-20T10:21:36.167Z')],
      [0, Date.parse('2026-11-20T10:21:37Z')],
    ]);
    expect(events[0]?.message).toContain('"evt.time":1700000000167531875');
    expect(events[0]?.bytes).toBe(Buffer.byteLength(events[0]?.message ?? '') + 26);
  });

  it('splits at 10,000 events, 1,048,576 bytes and a 24-hour span', () => {
    expect(chunkEvents(Array.from({ length: MAX_EVENTS + 1 }, (_, i) => event(i, i))).map((c) => c.length)).toEqual([MAX_EVENTS, 1]);
    const big = Math.floor(MAX_CALL_BYTES / 3);
    expect(chunkEvents([event(0, 0, big), event(1, 1, big), event(2, 2, big), event(3, 3, big)]).map((c) => c.map((e) => e.index))).toEqual([[0, 1, 2], [3]]);
    expect(chunkEvents([event(0, 0), event(1, MAX_SPAN_MS), event(2, MAX_SPAN_MS + 1)]).map((c) => c.map((e) => e.index))).toEqual([[0, 1], [2]]);
  });

  it('maps rejectedLogEventsInfo indexes to reasons (AWS: the too-old and expired ends exclusive, the too-new start inclusive)', () => {
    const info = { tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 4, expiredLogEventEndIndex: 3 };
    expect([0, 1, 2, 3, 4, 5].map((i) => rejectionOf(info, i))).toEqual([
      'too old: older than 14 days or than the log group retention',
      'too old: older than 14 days or than the log group retention',
      'expired: older than the log group retention',
      undefined,
      'too new: more than 2 hours in the future',
      'too new: more than 2 hours in the future',
    ]);
    // The event at the too-old end was stored (it was dead-lettered when the end was read as inclusive).
    expect([0, 1, 2].map((i) => rejectionOf({ tooOldLogEventEndIndex: 2 }, i))).toEqual([expect.stringContaining('too old'), expect.stringContaining('too old'), undefined]);
    expect(rejectionOf(undefined, 0)).toBeUndefined();
    expect(rejectionOf({}, 0)).toBeUndefined();
  });
});
