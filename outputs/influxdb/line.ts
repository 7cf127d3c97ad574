// An alert as one InfluxDB line-protocol point, as falcosidekick writes it: measurement `events`;
// tags rule, priority, source, the string output fields, hostname, tags; one string field `value`
// (the output text). Peregrine escapes what the line protocol requires and adds the alert time.
import { epochNanos, type Alert } from '../../src/plugin/index.ts';

export type Precision = 'ns' | 'us' | 'u' | 'ms' | 's' | 'm' | 'h';

/** Nanoseconds per unit of each precision ("" = the server's default, ns). */
const DIVISOR: Record<Precision | '', bigint> = { '': 1n, ns: 1n, us: 1_000n, u: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

// Tag keys the point sets itself, and names InfluxDB refuses as tag keys (`time`) or reserves (`_…`).
const RESERVED = new Set(['rule', 'priority', 'source', 'hostname', 'tags', 'time']);

/**
 * A tag key or value (line protocol: escape comma, equals sign and space; no newline allowed). A
 * backslash that would escape what follows it (a special character, or the separator after the
 * value) is doubled: two contiguous backslashes read as one. Other backslashes stay literal.
 */
export function escapeTag(text: string): string {
  return text
    .replace(/[\r\n\t]/g, ' ')
    .replace(/\\(?=[ ,=]|$)/g, '\\\\')
    .replace(/[ ,=]/g, '\\$&');
}

/** A string field value between double quotes: escape `"` and `\`; a newline becomes the text `\n`. */
export function escapeFieldString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** falcosidekick's tag values of the rule and the output fields: spaces as `_` (rule=Terminal_shell_in_container); a line break or tab too. */
const underscored = (text: string) => text.replace(/[ \r\n\t]/g, '_');

export function toLine(alert: Alert, precision: Precision | ''): string {
  const tags: [string, string][] = [
    ['rule', underscored(alert.rule)],
    ['priority', alert.priority],
    ['source', alert.source],
  ];
  const fields = alert.output_fields;
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key];
    // As falcosidekick: string fields only (numbers, booleans and nulls are left out).
    if (typeof value === 'string' && key !== '' && !key.startsWith('_') && !RESERVED.has(key)) tags.push([key, underscored(value)]);
  }
  if (alert.hostname) tags.push(['hostname', alert.hostname]);
  if (alert.tags.length) tags.push(['tags', alert.tags.join('_')]);
  // An empty tag value is invalid line protocol: the tag is left out.
  const tagSet = tags.filter(([, value]) => value !== '').map(([key, value]) => `,${escapeTag(key)}=${escapeTag(value)}`).join('');
  const timestamp = epochNanos(alert.time) / DIVISOR[precision];
  return `events${tagSet} value=${escapeFieldString(alert.output)} ${timestamp}`;
}

/** One request body: one line per alert. */
export function toLines(alerts: readonly Alert[], precision: Precision | ''): string {
  return alerts.map((alert) => toLine(alert, precision)).join('\n');
}
