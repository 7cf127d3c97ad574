// An alert's fields by name, for outputs that let users pick fields (Splunk indexed fields,
// PagerDuty dedup keys, Opsgenie aliases): "rule", "priority", "source", "hostname", "uuid" are the
// alert's own; any other name is an output_fields key (customfields and templatedfields included).
import { createHash } from 'node:crypto';
import type { Alert } from '../alert/alert.ts';

const ALERT_KEYS: Record<string, (alert: Alert) => unknown> = {
  rule: (a) => a.rule,
  priority: (a) => a.priority,
  source: (a) => a.source,
  hostname: (a) => a.hostname,
  uuid: (a) => a.uuid,
};

export function alertField(alert: Alert, key: string): unknown {
  const pick = ALERT_KEYS[key];
  return pick ? pick(alert) : alert.output_fields[key];
}

/** A scalar as text: strings as they are, big integers (JSON.rawJSON) as their exact digits; undefined for null, objects, arrays. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value !== null && typeof value === 'object' && JSON.isRawJSON(value)) return (value as { rawJSON: string }).rawJSON;
  return undefined;
}

/**
 * A key that is the same for every alert with the same values in `fields` (and differs when one
 * differs): sha256 of the field names and their values as text, hex. An absent field and an empty
 * one count as different. Undefined when `fields` is empty (the caller sends no key).
 */
export function stableKey(alert: Alert, fields: readonly string[]): string | undefined {
  if (fields.length === 0) return undefined;
  const parts = fields.map((field) => [field, scalarText(alertField(alert, field)) ?? null]);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Cuts to `max` UTF-16 units, never inside a surrogate pair, ending with the marker when cut. */
export function truncate(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - marker.length);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}${marker}`;
}
