// Schema pieces every output re-wrote: an http(s) URL, custom headers. Spread or call them in an
// output's zod schema so the same key means the same thing (and is validated the same way) everywhere.
import { z } from 'zod';
import { pairsOrString } from '../config/forms.ts';
import { secret } from '../config/secret.ts';

/** An http(s) URL; `example` goes into the error message ("must be an http(s) URL such as …"). */
export function httpUrl(example: string) {
  return z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` });
}

/** An optional http(s) URL: "" (the default) or a valid URL. The usual "setting it turns the output on" key. */
export function optionalHttpUrl(example: string) {
  return z.union([z.literal(''), httpUrl(example)]).default('');
}

/** One of `values`, written in any letter case (falcosidekick lower-cases `region: EU`); `fallback` when absent. */
export function lowerEnum<const V extends readonly [string, ...string[]]>(values: V, fallback: V[number]) {
  return z
    .string()
    .default(fallback)
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(values, { error: `must be one of ${values.join(', ')}` }));
}

/**
 * falcosidekick's string maps (`alertmanager.extralabels`, …): a map, or the `"name:value,name:value"`
 * string its docs and the chart use (the value may contain `:`; a name without `:` gets "").
 * A union rather than a preprocess, so the Helm schema accepts both.
 */
export function keyValueMap() {
  return z.union([z.string(), z.record(z.string(), z.string())]).transform((v) => (typeof v === 'string' ? parsePairs(v, true) : v));
}

/** falcosidekick's comma-separated lists (`alertmanager.hostport`): a list, or `"a,b"`. `item` validates each entry. */
export function commaList<I extends z.ZodType<unknown, string>>(item: I) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item));
}

/**
 * falcosidekick's `customheaders`: a map, or the chart's `"Name:value,Name:value"` string. Names are
 * lower-cased (HTTP header names are case-insensitive; one spelling lets an output's own header win
 * predictably) and every value is secret: `Authorization`, `X-Api-Key`, `X-Auth-Key` … are credentials
 * whatever they are called.
 */
export function customHeaders(describe: string) {
  return secret(
    pairsOrString()
      .transform((headers) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])))
      // At load, not at the first send: an invalid name made every request fail and nothing said why.
      .refine((headers) => Object.keys(headers).every((name) => HEADER_NAME.test(name)), {
        error: (issue) => {
          const bad = Object.keys(issue.input as Record<string, string>).find((name) => !HEADER_NAME.test(name));
          return `"${bad}" is not an HTTP header name (letters, digits and !#$%&'*+-.^_\`|~); the env form is Name:value,Name:value or a JSON object`;
        },
      })
      .refine((headers) => Object.values(headers).every(isHeaderValue), {
        error: (issue) => {
          const bad = Object.entries(issue.input as Record<string, string>).find(([, value]) => !isHeaderValue(value))?.[0];
          return `the value of "${bad}" ${HEADER_VALUE_PROBLEM}`;
        },
      })
      .default({})
      .describe(describe),
  );
}

/** RFC 9110's token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

/**
 * What an HTTP header value may hold (RFC 9110 field-value; undici refuses the rest on every
 * request, and the alerts would wait for an hour before anything said why).
 */
export function isHeaderValue(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
}

/** The message for a value isHeaderValue refuses; never the value itself (it may be a secret). */
export const HEADER_VALUE_PROBLEM = 'has a character an HTTP header cannot carry (a line break or another control character; a secret mounted from a file often ends in a newline)';


/** Peregrine's ceiling for requests in flight per output (the core's maxconcurrency allows up to this). */
const MAX_CONCURRENCY = 256;

/**
 * falcosidekick's `maxconcurrentrequests` for an HTTP output: an alias of the core's maxconcurrency
 * (which wins when both are set). Return `legacyConcurrency(options)` from the plugin's legacySettings.
 */
export function maxConcurrentRequests() {
  return z
    .number()
    .int()
    .min(0)
    .max(MAX_CONCURRENCY)
    .optional()
    .describe(`falcosidekick spelling of maxconcurrency (requests in flight; 0 = falcosidekick's "unlimited", i.e. ${MAX_CONCURRENCY}); maxconcurrency wins when both are set.`);
}

export function legacyConcurrency(options: { maxconcurrentrequests?: number | undefined }): { maxconcurrency?: number } {
  const n = options.maxconcurrentrequests;
  return n === undefined ? {} : { maxconcurrency: n === 0 ? MAX_CONCURRENCY : n };
}

/** "a:1,b:2" → {a: "1", b: "2"}; a pair without ":" is dropped, or kept with "" when `bare`. */
function parsePairs(raw: string, bare: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const at = pair.indexOf(':');
    if (at < 0 && bare && pair.trim() !== '') out[pair.trim()] = '';
    else if (at > 0) out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}
