// Falco-shaped alerts for load and delivery tests, built from the shared fixture.
import { randomBytes, randomUUID } from 'node:crypto';
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

export { rfc3339Nanos } from '../../src/alert/time.ts';
import { rfc3339Nanos } from '../../src/alert/time.ts';

export const FIXTURE_TIME_NS = 1795170096167531875n; // 2026-11-20T10:21:36.167531875Z, the fixture's time

/**
 * The fixture alert, made distinct by `i` and `marker`: uuid `<marker>-<i>`, its own time (the
 * fixture's plus i ms and i ns, so every digit matters), evt.time > 2^53 (+i), and one output field
 * of each JSON type besides strings: proc.pid (integer), evt.score (float), fd.is_server (bool).
 */
export function distinctAlert(marker: string, i: number, priority: Priority = 'Notice'): { json: string; timeNs: bigint; evtTime: bigint } {
  const timeNs = FIXTURE_TIME_NS + BigInt(i) * 1_000_001n;
  const evtTime = 1700000000167531875n + BigInt(i);
  const json = falcoAlertJson(i, priority)
    .replace('"uuid":"alert-', `"uuid":"${marker}-`)
    .replace('"time":"2026-11-20T10:21:36.167531875Z"', `"time":"${rfc3339Nanos(timeNs)}"`)
    .replace(`"evt.time":${1700000000167531875n + BigInt(i)}`, `"evt.time":${evtTime},"proc.pid":${4242 + i},"evt.score":${i + 0.5},"fd.is_server":${i % 2 === 0}`);
  return { json, timeNs, evtTime };
}

/**
 * A distinct alert's JSON as ingest writes it (no line end), varied as a cluster's alerts are: a
 * random uuid, a container id of its own, one of 40 hosts. What packing them saves depends on it
 * (src/alert/packed.ts): the fixture's copies differ in a few digits only.
 */
export function variedAlertJson(i: number): string {
  return distinctAlert('x', i)
    .json.trim()
    .replace(/"uuid":"x-\d+"/, `"uuid":"${randomUUID()}"`)
    .replace(/1f0a2e5c8d3b/g, randomBytes(6).toString('hex'))
    .replace('"hostname":"node-1"', `"hostname":"node-${i % 40}"`);
}

/** Resolves once the turn's I/O is done: by then a Packer (src/alert/packed.ts) has made every full block. */
export const afterPacking = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A fixture file of alerts (one object or an array) as the frozen Alerts outputs receive. */
export function fixtureAlerts(path: string): Alert[] {
  const value = parseJson(fixtureText(path)) as AlertInput | AlertInput[];
  return (Array.isArray(value) ? value : [value]).map((input) => freezeAlert(toAlert(input)));
}

/** The fixture alerts as the core hands them to an output (validated, frozen), for plugin unit tests. */
export function testAlerts(n: number, extra: Partial<AlertInput> = {}, priority: Priority = 'Notice'): Alert[] {
  return Array.from({ length: n }, (_, i) => freezeAlert(toAlert({ ...(parseJson(falcoAlertJson(i, priority)) as AlertInput), ...extra })));
}

/** An AWS SDK service error as the SDK throws it (name, fault, HTTP status, headers). */
export function awsSdkError(name: string, status: number, message = `${name} message`, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, $response: { headers } });
}
