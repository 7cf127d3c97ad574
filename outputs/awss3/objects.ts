// A worker batch → S3 objects: the alerts grouped by the UTC hour of their own time (Hive-style
// partitions Athena/Glue read as columns), each group one gzipped NDJSON object whose key comes from
// its alerts (first uuid + count), so a batch sent again overwrites the object it wrote before.
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { epochMillis, serializeAlert, type Alert } from '../../src/plugin/index.ts';

const gzipAsync = promisify(gzip);

export interface ObjectPlan {
  key: string;
  /** Indexes of the alerts in the worker batch, in batch order. */
  indexes: number[];
  /** The NDJSON text (one alert JSON per line, each line ending in \n). */
  ndjson: string;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `year=2026/month=11/day=20/hour=10` for the alert's own time, in UTC. */
export function partitionOf(alert: Alert): string {
  const d = new Date(epochMillis(alert.time));
  return `year=${d.getUTCFullYear()}/month=${two(d.getUTCMonth() + 1)}/day=${two(d.getUTCDate())}/hour=${two(d.getUTCHours())}`;
}

/** `<prefix>/<partition>/<first-uuid>-<count>.ndjson.gz`; no leading slash when the prefix is empty. */
export function objectKey(prefix: string, partition: string, firstUuid: string, count: number): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return `${trimmed ? `${trimmed}/` : ''}${partition}/${firstUuid}-${count}.ndjson.gz`;
}

export function planObjects(alerts: readonly Alert[], prefix: string): ObjectPlan[] {
  const groups = new Map<string, number[]>();
  alerts.forEach((alert, index) => {
    const partition = partitionOf(alert);
    const list = groups.get(partition);
    if (list) list.push(index);
    else groups.set(partition, [index]);
  });
  return [...groups].map(([partition, indexes]) => ({
    key: objectKey(prefix, partition, (alerts[indexes[0] as number] as Alert).uuid, indexes.length),
    indexes,
    ndjson: indexes.map((i) => `${serializeAlert(alerts[i] as Alert)}\n`).join(''),
  }));
}

export function gzipText(text: string): Promise<Buffer> {
  return gzipAsync(Buffer.from(text));
}
