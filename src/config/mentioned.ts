// Which outputs a config mentions, read before any output is imported (src/plugin/registry.ts): the
// ones whose top-level key is in the file, whose SECTION_ env vars are set, or that a named instance
// is of. An output mentioned nowhere parses to its defaults, and every output is off on its defaults
// (test/contract/outputs.test.ts), so leaving it out changes nothing but the memory it would take.
// Where the answer would change a message (a typo suggestion, "known types: …"), every output loads.
import { entryKey, type OutputEntry } from '../plugin/registry.ts';
import { baseShape } from './base.ts';
import { FALCOSIDEKICK_SECTIONS } from './falcosidekick-outputs.ts';
import { instanceVariable } from './instance-env.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The names of the outputs `raw` (the config file, before any check) and `env` mention, or 'all'. */
export function mentionedOutputs(entries: readonly OutputEntry[], raw: unknown, env: NodeJS.ProcessEnv): ReadonlySet<string> | 'all' {
  const byKey = new Map<string, string[]>();
  for (const entry of entries) byKey.set(entryKey(entry), [...(byKey.get(entryKey(entry)) ?? []), entry.name]);
  const names = new Set<string>();
  const file = isObject(raw) ? raw : {};
  for (const rawKey of Object.keys(file)) {
    const key = rawKey.toLowerCase();
    const owners = byKey.get(key);
    if (owners) owners.forEach((n) => names.add(n));
    // Anything else unknown may be a typo of an output's key: the suggestion needs every section.
    else if (!(key in baseShape) && key !== 'outputs' && !FALCOSIDEKICK_SECTIONS.has(key)) return 'all';
  }
  // Named instances: the type decides which output's schema checks them (config/instances.ts).
  const types = new Map<string, unknown>();
  const listed = file[Object.keys(file).find((k) => k.toLowerCase() === 'outputs') ?? 'outputs'];
  for (const [name, instance] of Object.entries(isObject(listed) ? listed : {})) types.set(name, isObject(instance) ? instance.type : undefined);
  for (const [variable, value] of Object.entries(env)) {
    // Empty is unset (config/env.ts).
    if (value === undefined || value === '') continue;
    const instance = instanceVariable(variable);
    if (instance) {
      if (instance.key === 'TYPE') types.set(instance.name, value);
      else if (!types.has(instance.name)) types.set(instance.name, undefined);
      continue;
    }
    const cut = variable.indexOf('_');
    if (cut > 0) byKey.get(variable.slice(0, cut).toLowerCase())?.forEach((n) => names.add(n));
  }
  for (const type of types.values()) {
    // A missing or unknown type is an error that lists the known types: every output loads.
    if (typeof type !== 'string' || !entries.some((e) => e.name === type)) return 'all';
    names.add(type);
  }
  return names;
}
