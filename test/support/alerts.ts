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

/** One alert per Falco priority (test/fixtures/alerts/priorities.json), highest first, as ingest builds them. */
export function priorityAlerts(): Alert[] {
  const inputs = parseJson(fixtureText('alerts/priorities.json')) as AlertInput[];
  return inputs.map((input, i) => freezeAlert(toAlert(input, () => `priority-${i}`)));
}
