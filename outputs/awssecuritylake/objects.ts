// A worker batch → Security Lake objects: the alerts grouped by the UTC day of their own time (the
// eventDay partition), each group one Parquet object named after its alerts (the first one's uuid
// and a digest of them all): the same alerts sent again overwrite the object they wrote before
// instead of adding a second copy, and other alerts never replace it, even under a uuid repeated
// by a sender.
import { createHash } from 'node:crypto';
import { epochMillis, type Alert } from '../../src/plugin/index.ts';

export interface LakeTarget {
  prefix: string;
  region: string;
  accountid: string;
}

export interface ObjectPlan {
  key: string;
  /** Indexes of the alerts in the worker batch, in batch order. */
  indexes: number[];
}

/** `20261120`: the UTC day of the alert's time. */
export function eventDay(alert: Alert): string {
  return new Date(epochMillis(alert.time)).toISOString().slice(0, 10).replaceAll('-', '');
}

/** 16 hex digits of the SHA-256 of the uuids, in order: which alerts an object holds. */
export function contentId(uuids: readonly string[]): string {
  return createHash('sha256').update(uuids.join('\n')).digest('hex').slice(0, 16);
}

/** `<prefix>/region=<region>/accountId=<accountid>/eventDay=<YYYYMMDD>/<first uuid>-<contentId>.parquet`, without a leading slash. */
export function objectKey(target: LakeTarget, day: string, uuids: readonly string[]): string {
  const prefix = target.prefix.replace(/^\/+|\/+$/g, '');
  return `${prefix}/region=${target.region}/accountId=${target.accountid}/eventDay=${day}/${uuids[0] ?? ''}-${contentId(uuids)}.parquet`;
}

export function planObjects(alerts: readonly Alert[], target: LakeTarget): ObjectPlan[] {
  const days = new Map<string, number[]>();
  alerts.forEach((alert, index) => {
    const day = eventDay(alert);
    const list = days.get(day);
    if (list) list.push(index);
    else days.set(day, [index]);
  });
  return [...days].map(([day, indexes]) => ({ key: objectKey(target, day, indexes.map((i) => (alerts[i] as Alert).uuid)), indexes }));
}
