// An alert as the event falcosidekick's spyderbat output sends to Spyderbat (schema
// "falco_alert::1.0.0"), one JSON line each, written as Go's encoder writes it (`<`, `>`, `&`,
// U+2028, U+2029 escaped): the event time in whole seconds from evt.time, the process id from
// proc.pid (as a 32-bit integer), a level from the priority, the output's words after its first two
// (the time and the priority) as msg, proc.cmdline as args, container.id as container.
import { epochNanos, type Alert, type Priority } from '../../src/plugin/index.ts';

const SCHEMA = 'falco_alert::1.0.0';

const LEVELS: Record<Priority, string> = {
  Emergency: 'critical',
  Alert: 'high',
  Critical: 'critical',
  Error: 'high',
  Warning: 'medium',
  Notice: 'low',
  Informational: 'info',
  Debug: 'info',
};

/** An integer output field (a JSON number, big ones kept exact), or undefined. */
function integerField(value: unknown): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (value !== null && typeof value === 'object' && JSON.isRawJSON(value)) {
    const text = (value as { rawJSON: string }).rawJSON;
    return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
  }
  return undefined;
}

/** JSON text as Go's encoding/json writes it. */
export function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * The event's JSON line (with its "\n"), or why there is none: Spyderbat's event needs the process id.
 * `nowMs`: the send time (orc_time, and monotonic_time as falcosidekick fills it: the nanoseconds of
 * the current second).
 */
export function spyderbatEvent(alert: Alert, nowMs: number): string | { problem: string } {
  const fields = alert.output_fields;
  const pid = integerField(fields['proc.pid']);
  if (pid === undefined) return { problem: `proc.pid is ${fields['proc.pid'] === undefined ? 'missing' : 'not an integer'}: Spyderbat's falco_alert event needs the process id` };
  // evt.time in ns; without it, the alert's time (the same instant as Falco writes it).
  const evtTime = integerField(fields['evt.time']) ?? epochNanos(alert.time);
  const words = alert.output.split(' ');
  const event = {
    schema: SCHEMA,
    id: alert.uuid,
    monotonic_time: (((nowMs % 1000) + 1000) % 1000) * 1_000_000,
    orc_time: nowMs / 1000,
    time: JSON.rawJSON((evtTime / 1_000_000_000n).toString()),
    pid: Number(BigInt.asIntN(32, pid)),
    level: LEVELS[alert.priority],
    msg: words.length > 2 ? words.slice(2) : null,
    args: typeof fields['proc.cmdline'] === 'string' ? fields['proc.cmdline'] : '',
    container: typeof fields['container.id'] === 'string' ? fields['container.id'] : '',
  };
  return `${goJson(event)}\n`;
}

/** The source falcosidekick creates for the org, and Peregrine uses too (so either can feed it). */
export function sourceUid(orguid: string): string {
  return `falcosidekick_${orguid}`;
}
