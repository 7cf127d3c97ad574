// The alert's JSON, computed once per alert and shared by every output that sends it as is
// (webhook body, stdout line, Kafka value, Splunk event). The alert and its output_fields are frozen;
// `tags` is readonly by type only (see freezeAlert), and no output may change it.
import { freezeAlert, type Alert } from './alert.ts';
import { parseJson } from './json.ts';

const cache = new WeakMap<Alert, string>();

export function serializeAlert(alert: Alert): string {
  let json = cache.get(alert);
  if (json === undefined) {
    // (An alert made up to show an unreadable spool row has no tags at all.)
    json = JSON.stringify((alert.tags as readonly string[] | undefined)?.length ? alert : withoutTags(alert));
    cache.set(alert, json);
  }
  return json;
}

/** As falcosidekick sends an alert without tags: no `tags` key (omitempty), not `"tags":[]`. */
function withoutTags(alert: Alert): Omit<Alert, 'tags'> {
  const { tags: _, ...rest } = alert;
  return rest;
}

/**
 * What an alert weighs against every bound counted in bytes (batch.maxbytes, queue.maxbytes,
 * spool.maxbytes): its JSON's UTF-8 bytes, as destinations count them. Not `json.length`, which
 * counts UTF-16 units: an alert in Chinese or Japanese is ~3 bytes per unit, so batches sized by
 * length reached 2.3 MB against Kafka's 1 MiB and Splunk's 1 MB limits.
 */
export function alertBytes(json: string): number {
  return Buffer.byteLength(json, 'utf8');
}

/**
 * The alert back from its JSON (a queue holds deep backlogs compact; the spool holds JSON): frozen,
 * with this very string as its cached JSON, so every output sends the same bytes as before. Values
 * JSON cannot tell apart come back in JSON's form: -0 as 0, a number written as a long integer
 * (1.2345678901234567e19) as that integer.
 */
export function thawAlert(json: string): Alert {
  const alert = freezeAlert(parseAlert(json));
  cache.set(alert, json);
  return alert;
}

/** An alert's JSON parsed back, not frozen: `tags` is [] when the JSON has none (serializeAlert leaves an empty list out). */
export function parseAlert(json: string): Alert {
  const alert = parseJson(json) as Alert & { tags?: string[] };
  alert.tags ??= [];
  return alert;
}
