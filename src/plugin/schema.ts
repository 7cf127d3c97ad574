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
      .default({})
      .describe(describe),
  );
}


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
