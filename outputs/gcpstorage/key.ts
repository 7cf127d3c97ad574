// The object name of one alert: falcosidekick's layout, <prefix>/<YYYY-MM-DD>/<RFC 3339 time>.json,
// with the alert's own time (UTC, nine fraction digits) instead of the send time, and its uuid: a
// re-sent alert gets the same name (written once, ifGenerationMatch=0), two alerts never share one.
import { epochNanos, rfc3339Nanos, type Alert } from '../../src/plugin/index.ts';

/** `<prefix>/<YYYY-MM-DD>/<time>_<uuid>.json`; no leading slash when the prefix is empty. */
export function objectName(prefix: string, alert: Alert): string {
  const time = rfc3339Nanos(epochNanos(alert.time));
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return `${trimmed ? `${trimmed}/` : ''}${time.slice(0, 10)}/${time}_${alert.uuid}.json`;
}
