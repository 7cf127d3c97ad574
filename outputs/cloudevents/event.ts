// The CloudEvent falcosidekick sends for an alert, in HTTP binary mode (CloudEvents 1.0 HTTP
// binding): the context attributes as ce-* headers, the alert JSON as the body with
// Content-Type: application/json (its datacontenttype).
//
//   ce-specversion 1.0, ce-id, ce-source https://falco.org, ce-type falco.rule.output.v1,
//   ce-time (the alert's time in UTC, RFC 3339 with the fraction's trailing zeros dropped),
//   extensions ce-priority, ce-rule, ce-eventsource, ce-hostname (when the alert has one), then
//   the configured `extensions` (which win over those four, as in falcosidekick).
import { epochNanos, rfc3339Nanos, type Alert, type OptionProblem } from '../../src/plugin/index.ts';

/** The CloudEvents 1.0 context attributes: an extension may not take their names. */
const SPEC_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'datacontenttype', 'dataschema', 'subject', 'time', 'data', 'data_base64'];
/** "CloudEvents attribute names MUST consist of lower-case letters ('a' to 'z') or digits ('0' to '9')"; upper case is lower-cased first, as falcosidekick's SDK does. */
const NAME = /^[a-z0-9]+$/;

/** The alert's time as the Go SDK writes a CloudEvent's `time`: UTC, RFC3339Nano (no trailing zeros). */
export function ceTime(time: string): string {
  return rfc3339Nanos(epochNanos(time)).replace(/\.?0+Z$/, 'Z');
}

/**
 * A header value as falcosidekick's SDK sends it: the text's UTF-8 bytes as they are (undici writes
 * a header value's characters as bytes, so UTF-8 goes as latin1 text). Characters no HTTP header can
 * carry (control characters) are percent-encoded, as the CloudEvents HTTP binding encodes them
 * (falcosidekick's request fails instead); a value with one also has its `%` encoded, so that a
 * decoding receiver reads it back.
 */
export function headerValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  const encoded = /[\x00-\x08\x0a-\x1f\x7f]/.test(value) ? value.replace(/[\x00-\x08\x0a-\x1f\x7f%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) : value;
  return Buffer.from(encoded, 'utf8').toString('latin1');
}

/** Extension names lower-cased, as the SDK sets them. */
export function normalizeExtensions(extensions: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(extensions).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * Names falcosidekick's SDK refuses: then it sends no alert at all (each send fails validation), so
 * here they are configuration errors. Over 20 characters is only advised against by the spec
 * ("SHOULD NOT"), and accepted.
 */
export function extensionProblems(extensions: Readonly<Record<string, string>>): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const name of Object.keys(extensions)) {
    const lower = name.toLowerCase();
    if (!NAME.test(lower)) problems.push({ path: `extensions.${name}`, message: "is not a CloudEvents attribute name: letters 'a'-'z' and digits '0'-'9' only (falcosidekick sends no event at all with it)" });
    else if (SPEC_ATTRIBUTES.includes(lower)) problems.push({ path: `extensions.${name}`, message: `is a CloudEvents context attribute: an extension must not overwrite it (falcosidekick sends no event at all with it)` });
  }
  return problems;
}

/** The ce-* headers of the alert's event (names lower-case), values as headerValue() sends them. */
export function ceHeaders(alert: Alert, extensions: Readonly<Record<string, string>>): Record<string, string> {
  const attributes: Record<string, string> = {
    specversion: '1.0',
    id: alert.uuid,
    source: 'https://falco.org',
    type: 'falco.rule.output.v1',
    time: ceTime(alert.time),
    priority: alert.priority,
    rule: alert.rule,
    eventsource: alert.source,
  };
  if (alert.hostname) attributes.hostname = alert.hostname;
  Object.assign(attributes, extensions);
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`ce-${k}`, headerValue(v)]));
}
