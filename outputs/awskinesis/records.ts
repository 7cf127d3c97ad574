// Alerts → PutRecords entries: the alert JSON as the record data, the alert uuid as partition key,
// and calls of at most 500 records and 5 MiB (data and partition keys). Pure: send.ts does the IO.
import { chunkBySize, serializeAlert, type Alert } from '../../src/plugin/index.ts';

/** PutRecords takes at most 500 records per call. */
const MAX_RECORDS = 500;
/** PutRecords takes at most 5 MiB per call, partition keys included. A bigger record goes alone. */
export const MAX_CALL_BYTES = 5 * 1024 * 1024;

export interface KinesisRecord {
  /** The alert's position in the worker batch. */
  index: number;
  data: Uint8Array;
  partitionKey: string;
  /** Data and partition key bytes, as Kinesis counts them against its limits. */
  bytes: number;
}

export function toRecords(alerts: readonly Alert[]): KinesisRecord[] {
  return alerts.map((alert, index) => {
    const data = Buffer.from(serializeAlert(alert), 'utf8');
    // The uuid is random per alert (v4, or a sender's id of at most 128 characters): it spreads the
    // alerts over the shards as falcosidekick's fresh uuid does, and a re-sent alert keeps its shard.
    const partitionKey = alert.uuid;
    return { index, data, partitionKey, bytes: data.byteLength + Buffer.byteLength(partitionKey) };
  });
}

export function chunkRecords(records: readonly KinesisRecord[]): KinesisRecord[][] {
  return chunkBySize(records, MAX_RECORDS, MAX_CALL_BYTES, 0);
}
