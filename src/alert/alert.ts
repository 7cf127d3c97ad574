// The Falco alert: the zod schema is the source of truth (validation, types, the compiled hot-path
// validator in validate.ts, the docs). `Alert` is what the rest of Peregrine sees after
// normalisation: canonical priority, a uuid, defaults filled in, keys in falcosidekick's order.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parsePriority, PRIORITY_NAMES, PRIORITY_PATTERN, type Priority } from './priority.ts';

// RFC 3339 with up to nanoseconds; Go's zero time (what falcosidekick calls "time missing") is refused.
// Seconds 00-59: a leap second (:60), which RFC 3339 allows, is refused as Go's time.Parse (and so
// falcosidekick) refuses it. Accepted, it made every output that turns the time into a number throw
// on each attempt (JavaScript's dates have no leap seconds), blocking the output for the alert's
// whole retry budget.
// The date is one the calendar has (no 31 April, 29 February in leap years only), as Go's time.Parse
// checks: JavaScript's Date rolls 2026-02-31 over to 3 March, which every output would have sent.
const DATE =
  String.raw`(?:\d{4}-(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|\d{4}-(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|\d{4}-02-(?:0[1-9]|1\d|2[0-8])` +
  String.raw`|(?:\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)`;
const RFC3339 = new RegExp(
  String.raw`^(?!0001-01-01[Tt]00:00:00(?:\.0+)?[Zz]$)${DATE}[Tt](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:[Zz]|[+-](?:[01]\d|2[0-3]):[0-5]\d)$`,
);

const ALERT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

// A null where an optional field belongs is that field left out, as Go's decoder reads it into
// falcosidekick's payload (its zero value): refused, the alert would be lost, since Falco ignores the 400.
export const AlertSchema = z
  .object({
    // A sender's id that cannot be a key everywhere (an ES _id, a Kafka key, a header) is replaced,
    // not refused: falcosidekick replaces every one, and a refusal would lose the alert.
    uuid: z
      .string()
      .nullish()
      .describe('Stable alert id, the idempotency key for every output: kept when it is 1-128 of A-Z a-z 0-9 . _ : -; generated (UUID v4) when absent, null or another text.'),
    output: z.string().nullish().describe('The formatted Falco output line.'),
    priority: z.string().regex(new RegExp(PRIORITY_PATTERN)).describe(`One of ${PRIORITY_NAMES}, in any letter case.`),
    rule: z.string().min(1).describe('The Falco rule name.'),
    time: z.string().regex(RFC3339).describe('RFC 3339 timestamp, nanoseconds kept, e.g. 2026-11-20T10:21:36.167531875Z.'),
    // Not required, nor non-empty as falcosidekick requires it: Falco sends {} for a rule whose output
    // names no field and none with json_include_output_fields: false (Falco 0.41), and it ignores the
    // 400 such an alert would get, so a refusal would lose it.
    output_fields: z
      .record(z.string(), z.unknown())
      .nullish()
      .describe('The Falco fields of the alert (an object; keys may contain dots and brackets). May be empty, null or absent: then {}.'),
    source: z.string().nullish().describe('Event source; defaults to "syscalls" as in falcosidekick.'),
    tags: z.array(z.string().nullable()).nullish().describe('Rule tags (a null tag is left out).'),
    hostname: z.string().nullish().describe('Host that emitted the alert.'),
    message: z.unknown().optional().describe('Present when Falco runs with json_include_message_property: accepted whatever it holds, not forwarded (as falcosidekick).'),
  })
  .describe('A Falco alert as sent by http_output with json_output: true.');

export type AlertInput = z.input<typeof AlertSchema>;

export interface Alert {
  readonly uuid: string;
  readonly output: string;
  readonly priority: Priority;
  readonly rule: string;
  readonly time: string;
  readonly output_fields: Readonly<Record<string, unknown>>;
  readonly source: string;
  readonly tags: readonly string[];
  readonly hostname?: string;
  readonly message?: string;
}

/** Human hints for the fields users get wrong, used by both validators' error messages. */
export const FIELD_HINTS: Record<string, string> = {
  priority: `must be one of ${PRIORITY_NAMES} (any letter case)`,
  rule: 'must be a non-empty string',
  time: 'must be an RFC 3339 timestamp such as 2026-11-20T10:21:36.167531875Z (a day the calendar has, seconds 00-59, not the zero time)',
  output_fields: 'must be an object of Falco fields',
  uuid: 'must be a string (or leave it out and Peregrine generates one)',
  tags: 'must be an array of strings',
};

/** Builds the canonical alert from input that passed validation. Pure except for the id generator. */
export function toAlert(input: AlertInput, newId: () => string = randomUUID): Alert {
  const alert: { -readonly [K in keyof Alert]: Alert[K] } = {
    uuid: input.uuid && ALERT_ID_PATTERN.test(input.uuid) ? input.uuid : newId(),
    output: input.output ?? '',
    priority: parsePriority(input.priority) as Priority,
    rule: input.rule,
    time: input.time,
    output_fields: input.output_fields ?? {},
    source: input.source || 'syscalls',
    tags: sortedTags(input.tags ? withoutNulls(input.tags) : []),
  };
  // As falcosidekick decodes it: an empty hostname is none (omitempty), and Falco's `message`
  // (json_include_message_property) has no field in its payload, so no output sends it.
  if (input.hostname) alert.hostname = input.hostname;
  return alert;
}

/** Tags without a null (Go's decoder makes it "", a tag no rule has); the same array when none is null. */
function withoutNulls(tags: (string | null)[]): string[] {
  return tags.includes(null) ? tags.filter((tag): tag is string => tag !== null) : (tags as string[]);
}

/** Tags in order, as falcosidekick sorts them for every alert (Falco sends them so already: then the same array). */
function sortedTags(tags: string[]): string[] {
  for (let i = 1; i < tags.length; i++) if ((tags[i - 1] as string) > (tags[i] as string)) return [...tags].sort();
  return tags;
}

/**
 * Freezes an alert: from the router on, every output shares this one object. `tags` is left
 * unfrozen (it is readonly to the type checker): V8's JSON.stringify leaves its fast path for a
 * frozen array, which doubled the cost of serializing every alert (1.5 → 3.5 µs).
 */
export function freezeAlert(alert: Alert): Alert {
  Object.freeze(alert.output_fields);
  return Object.freeze(alert);
}
