// The Datadog event falcosidekick posts to the Events API (v1): title = rule, text = output,
// alert_type from the priority, source_type_name "falco", and its tags: each string output field
// as "name:value" (sorted by name), source:<source>, source:falco, hostname:<hostname>, the rule's
// tags (sorted).
import { truncate, type Alert, type Priority } from '../../src/plugin/index.ts';

/** The Events API's limit on `text` (its OpenAPI schema: maxLength 4000). */
export const MAX_TEXT = 4000;

const ALERT_TYPE: Record<Priority, 'error' | 'warning' | 'info'> = {
  Emergency: 'error',
  Alert: 'error',
  Critical: 'error',
  Error: 'error',
  Warning: 'warning',
  Notice: 'info',
  Informational: 'info',
  Debug: 'info',
};

/**
 * falcosidekick's tags: only fields whose value is a string (its type switch skips numbers,
 * booleans and nulls), names in byte order, then the source, the host and the rule's tags.
 */
export function eventTags(alert: Alert): string[] {
  const tags: string[] = [];
  const fields = alert.output_fields;
  for (const name of Object.keys(fields).sort(byCodeUnit)) {
    const value = fields[name];
    if (typeof value === 'string') tags.push(`${name}:${value}`);
  }
  tags.push(`source:${alert.source}`, 'source:falco');
  if (alert.hostname) tags.push(`hostname:${alert.hostname}`);
  tags.push(...alert.tags); // sorted when the alert was read (src/alert/alert.ts)
  return tags;
}

/** The request body: falcosidekick's datadogPayload, its fields in its order. */
export function datadogEvent(alert: Alert): string {
  return JSON.stringify({
    title: alert.rule,
    // Required by the Events API: sent even when the output is empty (falcosidekick leaves it out).
    text: truncate(alert.output, MAX_TEXT),
    alert_type: ALERT_TYPE[alert.priority],
    source_type_name: 'falco',
    tags: eventTags(alert),
  });
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
