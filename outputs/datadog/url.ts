// The Datadog site's host key and the URL of one of its APIs.
import { httpUrl, z } from '../../src/plugin/index.ts';

/**
 * A host key with falcosidekick's default: "" means the default too (falcosidekick's chart writes
 * `host: ""`, and falcosidekick reads an empty value as unset).
 */
export function siteHost(fallback: string, describe: string) {
  return z
    .string()
    .default(fallback)
    .transform((v) => (v === '' ? fallback : v))
    .pipe(httpUrl(fallback))
    .describe(describe);
}

/**
 * `host` without its trailing slashes (falcosidekick's default logs host ends with one: it posted to
 * "…com//api/v2/logs"), then the API's path.
 */
export function apiUrl(host: string, path: string): string {
  return `${host.replace(/\/+$/, '')}${path}`;
}
