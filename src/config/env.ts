// Environment overlay, falcosidekick style: WEBHOOK_ADDRESS sets webhook.address,
// CUSTOMFIELDS="a:b,c:d" sets a map (values may contain ':' after the first one).
import type { z } from 'zod';
import type { ConfigProblem } from '../errors.ts';
import { parseList, parsePairs } from './forms.ts';
import { envName, leafPaths } from './introspect.ts';
import { loadYaml } from './yaml.ts';

export interface EnvOverlay {
  /** The input with env values written in. */
  value: Record<string, unknown>;
  /** Which env vars were applied (names only: values may be secrets). */
  applied: string[];
  /** CUSTOMFIELDS entries naming an env var (k:%VAR) that is unset or empty. */
  problems: ConfigProblem[];
}

/**
 * falcosidekick reads `CUSTOMFIELDS="k:%VAR"` as "the value of env var VAR" (a pod's node name, …).
 * falcosidekick logs an unset VAR and drops the field; Peregrine refuses to start instead, so a
 * field a dashboard depends on never silently disappears.
 */
function resolveEnvRefs(fields: Record<string, string>, env: NodeJS.ProcessEnv, problems: ConfigProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!value.startsWith('%')) {
      out[key] = value;
      continue;
    }
    const name = value.slice(1);
    const resolved = env[name];
    if (resolved === undefined || resolved === '') {
      problems.push({ path: `customfields.${key}`, message: `CUSTOMFIELDS sets ${key}:%${name}, but the env var ${name} is unset or empty`, env: 'CUSTOMFIELDS' });
    } else out[key] = resolved;
  }
  return out;
}

// Strict: Number() takes "0x10", "1e3", " 12 " and gives NaN for "12abc"; an env number is decimal digits.
const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/;

/** An env var's text as the value of a key of this kind (config/introspect.ts LeafKind). */
export function convert(raw: string, kind: string): unknown {
  switch (kind) {
    case 'number':
      return raw.trim() === '' ? raw : Number(raw);
    case 'boolean':
      return /^(true|1|yes|on)$/i.test(raw.trim()) ? true : /^(false|0|no|off)$/i.test(raw.trim()) ? false : raw;
    case 'map':
      return parsePairs(raw);
    case 'list':
      return parseList(raw);
    case 'other':
      // Structured keys (match): YAML or JSON text. Text that is not YAML stays text for zod to reject.
      try {
        return loadYaml().parse(raw) as unknown;
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
  const problems: ConfigProblem[] = [];
  for (const leaf of leafPaths(schema)) {
    // Named instances have their own form: config/instance-env.ts.
    if (leaf.path[0] === 'outputs') continue;
    const name = envName(leaf.path);
    const raw = env[name];
    // falcosidekick (viper) ignores an empty env var: its chart passes every value as one, and a value
    // left "" means the default. Taken as "", WEBHOOK_CHECKCERT= turned TLS verification off.
    if (raw === undefined || raw === '') continue;
    let node = value;
    for (const key of leaf.path.slice(0, -1)) {
      const next = node[key];
      node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[key] = {})) as Record<string, unknown>;
    }
    if (leaf.kind === 'number' && raw.trim() !== '' && !DECIMAL.test(raw)) {
      problems.push({ path: leaf.path.join('.'), env: name, message: `${name}=${JSON.stringify(raw.slice(0, 40))} is not a number (write digits only, e.g. 2801)` });
      continue;
    }
    let converted = convert(raw, leaf.envKind);
    if (name === 'CUSTOMFIELDS') converted = resolveEnvRefs(converted as Record<string, string>, env, problems);
    node[leaf.path[leaf.path.length - 1] as string] = converted;
    applied.push(name);
  }
  return { value, applied, problems };
}
