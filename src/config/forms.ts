// falcosidekick's chart (and its env vars) write maps as "k:v,k:v" and lists as "a,b". The same keys
// accept both forms in the config file, so a values file written for falcosidekick loads unchanged.
// `stringform` in the meta tells the Helm schema generator that a string is accepted too.
import { z } from 'zod';

/** "k:v,k:v" → { k: v }: the value may contain ':' after the first one; blank pairs are skipped. */
export function parsePairs(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf(':');
    if (at <= 0) out[pair.trim()] = '';
    else out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
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
