// The alert's JSON, computed once per alert and shared by every output that sends it as is
// (webhook body, stdout line, Kafka value, Splunk event): the alert is frozen, so it cannot change.
import { freezeAlert, type Alert } from './alert.ts';
import { parseJson } from './json.ts';

const cache = new WeakMap<Alert, string>();

export function serializeAlert(alert: Alert): string {
  let json = cache.get(alert);
  if (json === undefined) {
    json = JSON.stringify(alert);
    cache.set(alert, json);
  }
  return json;
}

/** The alert back from its JSON (a queue holds deep backlogs compact): equal to the original, frozen, its JSON cached. */
export function thawAlert(json: string): Alert {
  const alert = freezeAlert(parseJson(json) as Alert);
  cache.set(alert, json);
  return alert;
}
