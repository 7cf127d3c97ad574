// falcosidekick's chart (and its env vars) write maps as "k:v,k:v" and lists as "a,b". The same keys
// accept both forms in the config file, so a values file written for falcosidekick loads unchanged.
// `stringform` in the meta tells the Helm schema generator that a string is accepted too.
import { z } from 'zod';

/**
 * "k:v,k:v" → { k: v }: the value may contain ':' after the first one; blank pairs are skipped. A
 * JSON object (`{"k":"v"}`) is read as one, as falcosidekick's viper reads the maps it has no "k:v"
 * parser for (ELASTICSEARCH_CUSTOMHEADERS is read only that way there).
 */
export function parsePairs(raw: string): Record<string, string> {
  const json = jsonObject(raw);
  if (json) return json;
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf(':');
    if (at <= 0) out[pair.trim()] = '';
    else out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

/** A JSON object of scalars, its values as text; undefined for anything else. */
function jsonObject(raw: string): Record<string, string> | undefined {
  if (!raw.trimStart().startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (!entries.every(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [k, String(v)]));
}

/** "a, b" → ["a", "b"]. */
export function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const STRING_FORM = { stringform: true } as const;

/** A string map that also accepts falcosidekick's "k:v,k:v" string. */
export function pairsOrString() {
  return z.preprocess((v) => (typeof v === 'string' ? parsePairs(v) : v), z.record(z.string(), z.string())).meta(STRING_FORM);
}

/** A string list that also accepts falcosidekick's "a,b" string. */
export function listOrString() {
  return z.preprocess((v) => (typeof v === 'string' ? parseList(v) : v), z.array(z.string())).meta(STRING_FORM);
}
