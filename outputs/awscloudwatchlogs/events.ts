// Alerts → PutLogEvents calls within CloudWatch Logs' limits: at most 10,000 events and 1,048,576
// bytes (each message's UTF-8 bytes + 26) per call, events in chronological order, a call's events
// within 24 hours of each other. Pure: index.ts does the IO.
import { epochMillis, serializeAlert, type Alert } from '../../src/plugin/index.ts';

export const MAX_EVENTS = 10_000;
export const MAX_CALL_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
export const MAX_SPAN_MS = 24 * 3_600_000;

export interface LogEvent {
  index: number;
  timestamp: number;
  message: string;
  /** Message bytes + the 26 bytes CloudWatch counts per event. */
  bytes: number;
}

/** One event per alert, stably sorted by alert time (PutLogEvents refuses an unsorted call). */
export function toEvents(alerts: readonly Alert[]): LogEvent[] {
  return alerts
    .map((alert, index) => {
      const message = serializeAlert(alert);
      return { index, timestamp: epochMillis(alert.time), message, bytes: Buffer.byteLength(message) + EVENT_OVERHEAD };
    })
    .sort((a, b) => a.timestamp - b.timestamp || a.index - b.index);
}

/** Sorted events → calls within the count, byte and 24-hour limits, in order. */
export function chunkEvents(events: readonly LogEvent[]): LogEvent[][] {
  const chunks: LogEvent[][] = [];
  let current: LogEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const first = current[0];
    if (first && (current.length >= MAX_EVENTS || bytes + event.bytes > MAX_CALL_BYTES || event.timestamp - first.timestamp > MAX_SPAN_MS)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += event.bytes;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

export interface RejectedInfo {
  tooOldLogEventEndIndex?: number;
  tooNewLogEventStartIndex?: number;
  expiredLogEventEndIndex?: number;
}

/**
 * Why CloudWatch skipped the event at position `i` of a call, from `rejectedLogEventsInfo`
 * (indexes into the call's sorted events); undefined when it was stored. The AWS API reference:
 * the too-new start is inclusive, the too-old end exclusive (the count of too-old events, as the
 * CloudWatch agent reads it); the expired end is read the same way.
 */
export function rejectionOf(info: RejectedInfo | undefined, i: number): string | undefined {
  if (!info) return undefined;
  if (info.tooNewLogEventStartIndex !== undefined && i >= info.tooNewLogEventStartIndex) return 'too new: more than 2 hours in the future';
  if (info.tooOldLogEventEndIndex !== undefined && i < info.tooOldLogEventEndIndex) return 'too old: older than 14 days or than the log group retention';
  if (info.expiredLogEventEndIndex !== undefined && i < info.expiredLogEventEndIndex) return 'expired: older than the log group retention';
  return undefined;
}
