// A worker batch → Security Lake objects: the alerts grouped by the UTC day of their own time (the
// eventDay partition), each group one Parquet object named after its first alert, so a batch sent
// again overwrites the object it wrote before instead of adding a second copy.
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

/** `<prefix>/region=<region>/accountId=<accountid>/eventDay=<YYYYMMDD>/<uuid>.parquet`, without a leading slash. */
export function objectKey(target: LakeTarget, day: string, firstUuid: string): string {
  const prefix = target.prefix.replace(/^\/+|\/+$/g, '');
  return `${prefix}/region=${target.region}/accountId=${target.accountid}/eventDay=${day}/${firstUuid}.parquet`;
}

export function planObjects(alerts: readonly Alert[], target: LakeTarget): ObjectPlan[] {
  const days = new Map<string, number[]>();
  alerts.forEach((alert, index) => {
    const day = eventDay(alert);
    const list = days.get(day);
    if (list) list.push(index);
    else days.set(day, [index]);
  });
  return [...days].map(([day, indexes]) => ({ key: objectKey(target, day, (alerts[indexes[0] as number] as Alert).uuid), indexes }));
}
