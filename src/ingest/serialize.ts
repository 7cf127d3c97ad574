// The alert's JSON, computed once per alert and shared by every output that sends it as is
// (webhook body, stdout line, Kafka value, Splunk event): the alert is frozen, so it cannot change.
import type { Alert } from './alert.ts';

const cache = new WeakMap<Alert, string>();

export function serializeAlert(alert: Alert): string {
  let json = cache.get(alert);
  if (json === undefined) {
    json = JSON.stringify(alert);
    cache.set(alert, json);
  }
  return json;
}
