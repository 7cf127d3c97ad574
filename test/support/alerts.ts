// Falco-shaped alerts for load and delivery tests, built from the shared fixture.
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import type { Priority } from '../../src/alert/priority.ts';
import { fixtureText } from './fixtures.ts';

const template = fixtureText('alerts/falco-shell.json');

/** The fixture alert as JSON text with a distinct uuid, priority and evt.time (kept > 2^53). */
export function falcoAlertJson(i: number, priority: Priority = 'Notice'): string {
  return template
    .replace('"priority":"Notice"', `"priority":"${priority}"`)
    .replace('"evt.time":1700000000167531875', `"evt.time":${1700000000167531875n + BigInt(i)}`)
    .replace(/^\{/, `{"uuid":"alert-${i}",`);
}

/** A fixture file of alerts (one object or an array) as the frozen Alerts outputs receive. */
export function fixtureAlerts(path: string): Alert[] {
  const value = parseJson(fixtureText(path)) as AlertInput | AlertInput[];
  return (Array.isArray(value) ? value : [value]).map((input) => freezeAlert(toAlert(input)));
}
