// An alert as one point in the Wavefront data format, as falcosidekick's Wavefront output writes it:
//   "<metricname>" 1 <alert time, epoch ns> source="falco-exporter" "severity"="…" "rule"="…" …
// Point tags: severity (the priority), rule, source, hostname, the string output fields, tags (", "
// joined). Peregrine writes them in that order (falcosidekick's come in Go's random map order),
// leaves out a tag whose value is empty (the Wavefront SDK refuses the whole point for one), cuts a
// value so that key and value fit Wavefront's 254 characters (Wavefront drops a longer point), and
// drops a value's trailing backslashes (they would escape the closing quote).
import { epochNanos, type Alert } from '../../src/plugin/index.ts';

/** The point's source, as falcosidekick names it. */
const SOURCE = 'falco-exporter';

/** Wavefront's limit on a point tag's key and value together (the "=" not counted). */
const TAG_LIMIT = 254;

const DELTA = '\u2206';
const ALT_DELTA = '\u0394';

/**
 * A metric name or tag key as the Wavefront SDK sanitizes it: every byte of the UTF-8 text that is
 * not a letter, a digit, `_`, `-`, `.`, `,` or `/` becomes `-`; a leading `~` (internal metric) and
 * a leading delta sign (∆ or Δ, optionally followed by `~`) are kept.
 */
export function sanitizeName(text: string): string {
  let head = '';
  let rest = text;
  if (rest.startsWith(DELTA) || rest.startsWith(ALT_DELTA)) {
    head = rest.slice(0, 1);
    rest = rest.slice(1);
  }
  if (rest.startsWith('~')) {
    head += '~';
    rest = rest.slice(1);
  }
  let out = head;
  for (const byte of Buffer.from(rest, 'utf8')) {
    const legal = (byte >= 44 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte === 95;
    out += legal ? String.fromCharCode(byte) : '-';
  }
  return out;
}

/** A point tag key: sanitized as a name, and `,` and `/` too (Wavefront documents letters, digits, `-`, `_`, `.` for keys). */
export function sanitizeTagKey(key: string): string {
  return sanitizeName(key).replace(/[,/]/g, '-');
}

// Go's strings.TrimSpace: Unicode White_Space.
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

/** A tag value's text before quoting: trimmed as the SDK trims it. */
export function trimValue(value: string): string {
  return value.replace(TRIM, '');
}

/**
 * A tag value between double quotes: `"` escaped as `\"` and a line break written as `\n`, as the
 * SDK does; trailing backslashes dropped; cut (with "…") to `max` characters.
 */
export function quoteValue(value: string, max: number): string {
  let text = value.replace(/\\+$/, '');
  if (text.length > max) {
    let end = Math.max(0, max - 1);
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) end--;
    text = `${text.slice(0, end).replace(/\\+$/, '')}…`;
  }
  return `"${text.replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The point's tags, in falcosidekick's order of assignment (a later one with the same key replaces the value). */
function pointTags(alert: Alert): Map<string, string> {
  const tags = new Map<string, string>([
    ['severity', alert.priority],
    ['rule', alert.rule],
    ['source', alert.source],
  ]);
  if (alert.hostname) tags.set('hostname', alert.hostname);
  const fields = alert.output_fields;
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key];
    // As falcosidekick: string fields only (numbers, booleans, nulls and lists are left out).
    if (typeof value === 'string' && key !== '') tags.set(key, value);
  }
  if (alert.tags.length > 0) tags.set('tags', alert.tags.join(', '));
  return tags;
}

/** One line, ending with "\n". `metric` is the sanitized metric name. */
export function pointLine(alert: Alert, metric: string): string {
  let line = `"${metric}" 1 ${epochNanos(alert.time)} source="${SOURCE}"`;
  const written = new Set<string>();
  for (const [key, raw] of pointTags(alert)) {
    const value = trimValue(raw);
    const name = sanitizeTagKey(key);
    // Two keys that sanitize alike: the first one (Wavefront keeps one value per key).
    if (value === '' || written.has(name)) continue;
    // Key and value within Wavefront's limit; a key that long alone leaves the tag out.
    const room = TAG_LIMIT - name.length;
    if (room < 2) continue;
    const quoted = quoteValue(value, room);
    if (quoted === '""') continue;
    written.add(name);
    line += ` "${name}"=${quoted}`;
  }
  return `${line}\n`;
}

/** A request body: one line per alert. */
export function pointLines(alerts: readonly Alert[], metric: string): string {
  return alerts.map((alert) => pointLine(alert, metric)).join('');
}
