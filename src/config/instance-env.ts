// Named instances from the environment, and their key check. The form is
//   OUTPUTS__<NAME>__<KEY>        e.g. OUTPUTS__SOC_PAGER__ADDRESS, OUTPUTS__SOC_PAGER__RETRY_MAXATTEMPTS
// <NAME> is the instance name upper-cased with "-" written "_"; <KEY> is the key path as in every
// other env var (falcosidekick's KEY_SUBKEY). It is unambiguous because names are DNS-label-like
// (no "_", no "--": config/schema.ts), so "__" can only be a separator and the name maps back to
// exactly one instance; and every variable is a valid shell identifier (`export` works), unlike a
// form that keeps the dash. OUTPUTS_SOC_PAGER_ADDRESS would be ambiguous: instance soc-pager, or
// instance soc with a key pager_address?
import type { ConfigProblem } from '../errors.ts';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { convert } from './env.ts';
import { envName, leafPaths } from './introspect.ts';
import { checkKeys } from './keys.ts';
import { instanceSchema } from './schema.ts';

const PREFIX = 'OUTPUTS__';
// The name segment also accepts the name as written (OUTPUTS__soc-pager__ADDRESS, for tools that allow "-").
const INSTANCE_VAR = /^OUTPUTS__([A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*)__([A-Z0-9_]+)$/;

/** The instance name and key an OUTPUTS__<NAME>__<KEY> variable sets, or undefined when it is not of that form. */
export function instanceVariable(variable: string): { name: string; key: string } | undefined {
  const m = INSTANCE_VAR.exec(variable);
  return m ? { name: (m[1] as string).toLowerCase().replaceAll('_', '-'), key: m[2] as string } : undefined;
}

/** The env var that sets `path` of a named instance (["outputs", "soc-pager", "retry", "maxattempts"]). */
function instanceEnvName(path: readonly (string | number)[]): string | undefined {
  if (path[0] !== 'outputs' || path.length < 3) return undefined;
  return `${PREFIX}${String(path[1]).toUpperCase().replaceAll('-', '_')}__${envName(path.slice(2))}`;
}

// Keys set whole by one variable (YAML text or "k:v,k:v"): a problem inside one names that variable.
const WHOLE = new Set(['match', 'customfields', 'templatedfields', 'customheaders']);

/** The env var for any config path: the named-instance form under outputs, falcosidekick's elsewhere; none for outputs.<name> itself. */
export function configEnvName(path: readonly (string | number)[]): string | undefined {
  const cut = path.findIndex((p, i) => i > 0 && WHOLE.has(String(p)));
  const key = cut >= 0 ? path.slice(0, cut + 1) : path;
  return key[0] === 'outputs' ? instanceEnvName(key) : envName(key);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface InstanceEnvResult {
  outputs: Record<string, unknown>;
  applied: string[];
  problems: ConfigProblem[];
}

/** Writes OUTPUTS__<NAME>__<KEY> variables into `outputs` (a copy); an instance may come from the environment alone (with OUTPUTS__<NAME>__TYPE). */
export function applyInstanceEnv(plugins: readonly AnyOutputPlugin[], input: unknown, env: NodeJS.ProcessEnv): InstanceEnvResult {
  const outputs: Record<string, unknown> = isObject(input) ? structuredClone(input) : {};
  const applied: string[] = [];
  const problems: ConfigProblem[] = [];
  const byName = new Map<string, [string, string][]>();
  for (const [variable, raw] of Object.entries(env)) {
    // Empty is unset, as for the falcosidekick-style variables (env.ts).
    if (raw === undefined || raw === '' || !variable.startsWith(PREFIX)) continue;
    const m = instanceVariable(variable);
    if (!m) {
      problems.push({ path: 'outputs', env: variable, message: `${variable} is not of the form OUTPUTS__<NAME>__<KEY> (e.g. OUTPUTS__SOC_PAGER__ADDRESS for outputs.soc-pager.address)` });
      continue;
    }
    byName.set(m.name, [...(byName.get(m.name) ?? []), [variable, m.key]]);
  }
  for (const [name, vars] of byName) {
    const typeVar = vars.find(([, key]) => key === 'TYPE');
    const existing = outputs[name];
    const instance: Record<string, unknown> = isObject(existing) ? existing : {};
    if (typeVar) {
      instance.type = (env[typeVar[0]] as string).trim();
      applied.push(typeVar[0]);
    }
    const plugin = plugins.find((p) => p.name === instance.type);
    if (!plugin) {
      const why = instance.type === undefined ? `outputs.${name} has no type` : `${JSON.stringify(instance.type)} is not an output type`;
      problems.push({ path: `outputs.${name}.type`, env: `${PREFIX}${name.toUpperCase().replaceAll('-', '_')}__TYPE`, message: `${vars.map(([v]) => v).join(', ')} set but ${why}; known types: ${plugins.map((p) => p.name).join(', ')}` });
      continue;
    }
    const leaves = new Map(leafPaths(instanceSchema(plugin)).map((leaf) => [envName(leaf.path), leaf]));
    for (const [variable, key] of vars) {
      if (key === 'TYPE') continue;
      const leaf = leaves.get(key);
      if (!leaf) {
        problems.push({ path: `outputs.${name}`, env: variable, message: `${variable}: a ${plugin.name} output has no key ${key.toLowerCase().replaceAll('_', '.')}` });
        continue;
      }
      let node = instance;
      for (const part of leaf.path.slice(0, -1)) {
        const next = node[part];
        node = (isObject(next) ? next : (node[part] = {})) as Record<string, unknown>;
      }
      node[leaf.path[leaf.path.length - 1] as string] = convert(env[variable] as string, leaf.envKind);
      applied.push(variable);
    }
    outputs[name] = instance;
  }
  return { outputs, applied, problems };
}

/** Typos in named instances, checked against their type's keys (case-insensitive, like the sections). */
export function checkInstanceKeys(plugins: readonly AnyOutputPlugin[], input: unknown): { outputs: unknown; problems: ConfigProblem[]; warnings: string[] } {
  if (!isObject(input)) return { outputs: input, problems: [], warnings: [] };
  const outputs: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  for (const [name, instance] of Object.entries(input)) {
    const plugin = isObject(instance) ? plugins.find((p) => p.name === instance.type) : undefined;
    if (!plugin || !isObject(instance)) {
      outputs[name] = instance; // zod reports the missing or unknown type
      continue;
    }
    const checked = checkKeys(instanceSchema(plugin), instance, {}, ['outputs', name]);
    outputs[name] = checked.value;
    // keys.ts names the env var in falcosidekick's form; the message already names the right key.
    for (const p of checked.problems) problems.push({ path: p.path, message: p.message });
    warnings.push(...checked.warnings);
  }
  return { outputs, problems, warnings };
}
