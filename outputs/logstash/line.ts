// One alert as falcosidekick writes it to Logstash: its JSON with the output_fields keys' indexes
// written with a dot (`proc.aname[2]` → `proc.aname.2`: Logstash reads brackets in a field name as a
// field reference and refuses the event), the section's tags after the alert's, and CRLF at the end
// (go-stash's framing; the json_lines codec splits on LF and JSON takes the CR as whitespace).
import { serializeAlert, type Alert } from '../../src/plugin/index.ts';

const INDEX = /\[(\d+)\]/g;

export function logstashLine(alert: Alert, tags: readonly string[]): string {
  return `${logstashJson(alert, tags)}\r\n`;
}

function logstashJson(alert: Alert, extraTags: readonly string[]): string {
  const fields = alert.output_fields;
  if (extraTags.length === 0 && !hasIndexedKey(fields)) return serializeAlert(alert);
  const tags = [...alert.tags, ...extraTags];
  const { tags: _, ...rest } = alert;
  // The keys in the alert's order: tags between source and hostname, left out when empty (omitempty).
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    out[key] = key === 'output_fields' ? dotIndexes(fields) : value;
    if (key === 'source' && tags.length > 0) out.tags = tags;
  }
  return JSON.stringify(out);
}

function hasIndexedKey(fields: Readonly<Record<string, unknown>>): boolean {
  for (const [key, value] of Object.entries(fields)) {
    if (key.includes('[') || (isPlainObject(value) && hasIndexedKey(value))) return true;
  }
  return false;
}

/** Keys rewritten at every level of nested objects (not inside arrays), as falcosidekick does. */
function dotIndexes(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key.replace(INDEX, '.$1')] = isPlainObject(value) ? dotIndexes(value) : value;
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
