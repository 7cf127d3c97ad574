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

/** The fixture alerts as the core hands them to an output (validated, frozen), for plugin unit tests. */
export function testAlerts(n: number, extra: Partial<AlertInput> = {}, priority: Priority = 'Notice'): Alert[] {
  return Array.from({ length: n }, (_, i) => freezeAlert(toAlert({ ...(parseJson(falcoAlertJson(i, priority)) as AlertInput), ...extra })));
}

/** An AWS SDK service error as the SDK throws it (name, fault, HTTP status, headers). */
export function awsSdkError(name: string, status: number, message = `${name} message`, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, $response: { headers } });
}
