// Alerts → SendMessageBatch entries: the alert JSON as the body, FIFO group and deduplication ids,
// and calls of at most 10 entries and 256 KiB. Pure: send.ts does the IO.
import { chunkBySize, serializeAlert, type Alert } from '../../src/plugin/index.ts';

/** SendMessageBatch takes at most 10 entries. */
const MAX_ENTRIES = 10;
/**
 * Bytes of message bodies per call. AWS raised the SQS limits to 1 MiB in 2025, but a queue's
 * MaximumMessageSize still defaults to 256 KiB and older regions or stand-ins (LocalStack) keep the
 * old call limit: 256 KiB per call is accepted everywhere. A bigger message (up to the queue's
 * maximum) goes alone in its own call.
 */
export const MAX_CALL_BYTES = 262_144;

export type GroupBy = 'hostname' | 'rule' | 'priority' | 'source' | 'single';

export interface Entry {
  index: number;
  /** The entry Id in the call (unique per call, [\w-]{1,80}). */
  id: string;
  body: string;
  bytes: number;
  groupId?: string;
  dedupId?: string;
}

// SQS bodies must be XML characters: JSON.stringify already escapes controls and lone surrogates,
// which leaves U+FFFE and U+FFFF (valid in JSON, refused by SQS as InvalidMessageContents).
const NON_XML = /[\uFFFE\uFFFF]/g;

export function messageBody(alert: Alert): string {
  const json = serializeAlert(alert);
  return NON_XML.test(json) ? json.replace(NON_XML, (c) => `\\u${c.charCodeAt(0).toString(16)}`) : json;
}

/** FIFO MessageGroupId (1-128 characters): order is kept within a group. */
export function groupId(alert: Alert, by: GroupBy): string {
  const value = by === 'single' ? 'falco' : by === 'hostname' ? (alert.hostname ?? '') : alert[by];
  // The group id allows alphanumerics and punctuation only; anything else (spaces in rule names) becomes '_'.
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, 128);
  return clean === '' ? 'falco' : clean;
}

export function toEntries(alerts: readonly Alert[], fifo: boolean, by: GroupBy): Entry[] {
  return alerts.map((alert, index) => {
    const body = messageBody(alert);
    return {
      index,
      id: String(index),
      body,
      bytes: Buffer.byteLength(body),
      // The alert uuid dedupes a re-sent alert within SQS's 5-minute deduplication window.
      ...(fifo ? { groupId: groupId(alert, by), dedupId: alert.uuid } : {}),
    };
  });
}

export function chunkEntries(entries: readonly Entry[]): Entry[][] {
  // Ids restart in each call ("0".."9"): unique within it, as SQS requires.
  return chunkBySize(entries, MAX_ENTRIES, MAX_CALL_BYTES, 0).map((chunk) => chunk.map((e, i) => ({ ...e, id: String(i) })));
}
