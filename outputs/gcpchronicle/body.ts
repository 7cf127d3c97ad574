// The logs:import request body falcosidekick builds, one Log per alert:
// {"inlineSource":{"logs":[{"collectionTime":…,"data":…,"logEntryTime":…}]}} (keys in the order Go's
// encoding/json writes a map's: sorted). `data` is the base64 of the alert's JSON (the webhook body);
// the times are RFC 3339 to the second, as Go's time.RFC3339 layout prints them.
import { serializeAlert, type Alert } from '../../src/plugin/index.ts';

const PARTS = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Go's zone in the RFC3339 layout: "Z" for a zero offset, else ±hh:mm. */
const zoneText = (zone: string) => (/^[Zz]$|^[+-]00:00$/.test(zone) ? 'Z' : zone);

/** The alert time as falcosidekick writes logEntryTime: the wall clock written in the alert, to the second, with its offset. */
export function logEntryTime(time: string): string {
  const m = PARTS.exec(time);
  if (!m) throw new RangeError(`not an RFC 3339 timestamp: ${time}`);
  return `${m[1]}T${m[2]}${zoneText(m[3] ?? 'Z')}`;
}

/** Epoch seconds written as RFC 3339 in the zone `zone` ("Z" or ±hh:mm). */
function secondsIn(seconds: number, zone: string): string {
  const z = zoneText(zone);
  const offsetMin = z === 'Z' ? 0 : (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4, 6)));
  return `${new Date((seconds + offsetMin * 60) * 1000).toISOString().slice(0, 19)}${z}`;
}

/**
 * collectionTime: now (UTC, to the second), or, when that is not after logEntryTime (an alert of
 * this very second, one stamped in the future, a clock behind Falco's), the alert time plus one
 * second in the alert's zone, as falcosidekick does for a future alert: the API wants
 * collectionTime after logEntryTime.
 */
export function collectionTime(time: string, nowMs: number): string {
  const m = PARTS.exec(time);
  if (!m) throw new RangeError(`not an RFC 3339 timestamp: ${time}`);
  const alertS = Math.floor(Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`) / 1000);
  const nowS = Math.floor(nowMs / 1000);
  return nowS > alertS ? secondsIn(nowS, 'Z') : secondsIn(alertS + 1, m[3] ?? 'Z');
}

/** One Log of the import: its JSON text, keys sorted as falcosidekick's. */
function logEntry(alert: Alert, nowMs: number): string {
  const data = Buffer.from(serializeAlert(alert), 'utf8').toString('base64');
  return `{"collectionTime":"${collectionTime(alert.time, nowMs)}","data":"${data}","logEntryTime":"${logEntryTime(alert.time)}"}`;
}

/** The ImportLogsRequest body for these alerts. */
export function importBody(alerts: readonly Alert[], nowMs: number): string {
  return `{"inlineSource":{"logs":[${alerts.map((a) => logEntry(a, nowMs)).join(',')}]}}`;
}
