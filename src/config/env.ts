// Environment overlay, falcosidekick style: WEBHOOK_ADDRESS sets webhook.address,
// CUSTOMFIELDS="a:b,c:d" sets a map (values may contain ':' after the first one).
import YAML from 'yaml';
import type { z } from 'zod';
import { envName, leafPaths } from './introspect.ts';

export interface EnvOverlay {
  /** The input with env values written in. */
  value: Record<string, unknown>;
  /** Which env vars were applied (names only: values may be secrets). */
  applied: string[];
}

function parseMap(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf(':');
    if (at <= 0) out[pair.trim()] = '';
    else out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return out;
}

/** An env var's text as the value of a key of this kind (config/introspect.ts LeafKind). */
export function convert(raw: string, kind: string): unknown {
  switch (kind) {
    case 'number':
      return raw.trim() === '' ? raw : Number(raw);
    case 'boolean':
      return /^(true|1|yes|on)$/i.test(raw.trim()) ? true : /^(false|0|no|off|)$/i.test(raw.trim()) ? false : raw;
    case 'map':
      return parseMap(raw);
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    case 'other':
      // Structured keys (match): YAML or JSON text. Text that is not YAML stays text for zod to reject.
      try {
        return YAML.parse(raw) as unknown;
      } catch {
        return raw;
      }
    default:
      return raw;
  }
}

export function applyEnv(schema: z.ZodType, input: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvOverlay {
  const value = structuredClone(input);
  const applied: string[] = [];
  for (const leaf of leafPaths(schema)) {
    // Named instances have their own form: config/instance-env.ts.
    if (leaf.path[0] === 'outputs') continue;
    const name = envName(leaf.path);
    const raw = env[name];
    if (raw === undefined) continue;
    let node = value;
    for (const key of leaf.path.slice(0, -1)) {
      const next = node[key];
      node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[key] = {})) as Record<string, unknown>;
    }
    node[leaf.path[leaf.path.length - 1] as string] = convert(raw, leaf.kind);
    applied.push(name);
  }
  return { value, applied };
}
