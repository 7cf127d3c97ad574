// falcosidekick keys named like a core key (an output's `aliases`): rabbitmq's `queue: falco` is the
// queue's name, where `queue:` in every output holds the core's queue bounds (maxalerts, maxbytes).
// Before anything else reads the config, a text value at such a key (in the file, in its
// SECTION_KEY env var, or in a named instance of that type) moves to the plugin's own key; a mapping
// stays where it is, for the core. Env still wins over the file, as everywhere. The value is read
// as the key it moves to reads text (otlp.traces `timeout: 1000` → `timeoutms: 1000`, a number).
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { sectionPath } from './schema.ts';
import { convert } from './env.ts';
import { envName } from './introspect.ts';

type Node = Record<string, unknown>;

const isMapping = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown) => typeof v === 'string' || typeof v === 'number';

/** The key of `node` spelled `key` in any letter case (the loader matches keys so, as viper does). */
const keyOf = (node: Node, key: string) => Object.keys(node).find((k) => k.toLowerCase() === key);

/** Moves a text value at `alias` to `to` within one section (a copy); a value already at `to` wins. */
function moveIn(section: Node, alias: string, to: string, read: (text: string) => unknown): Node {
  const at = keyOf(section, alias);
  if (at === undefined || !isText(section[at])) return section;
  const { [at]: value, ...rest } = section;
  return keyOf(rest, to) === undefined ? { ...rest, [to]: read(String(value)) } : rest;
}

/**
 * `input` with every alias applied; `applied`: the env vars read; `written`: for a section key set
 * through an alias, what the user wrote (`otlp.traces.timeoutms` → the key `otlp.traces.timeout` or
 * its env var), so a problem with the value names that. `kindOf` names how the key at a section path
 * reads text (config/introspect.ts LeafKind; a named instance's key is its section's).
 */
export function applyAliases(
  plugins: readonly AnyOutputPlugin[],
  input: Node,
  env: NodeJS.ProcessEnv,
  kindOf: (path: readonly string[]) => string = () => 'string',
): { value: Node; applied: string[]; written: Map<string, { path: string; env: string }> } {
  const applied: string[] = [];
  const written = new Map<string, { path: string; env: string }>();
  let value = input;
  for (const plugin of plugins) {
    for (const [alias, to] of Object.entries(plugin.aliases ?? {})) {
      const path = sectionPath(plugin);
      const kind = kindOf([...path, to]);
      const read = (text: string) => convert(text, kind);
      const fromEnv = env[envName([...path, alias])];
      value = update(value, path, (section) => {
        const moved = moveIn(section, alias, to, read);
        // The value at `to` is the alias's: moved from the file (no `to` there already) or from its env
        // var, and not replaced later by `to`'s own env var.
        const fromAlias = (moved !== section && keyOf(section, to) === undefined) || (fromEnv !== undefined && fromEnv !== '');
        const ownEnv = env[envName([...path, to])];
        if (fromAlias && (ownEnv === undefined || ownEnv === '')) written.set([...path, to].join('.'), { path: [...path, alias].join('.'), env: envName([...path, alias]) });
        if (fromEnv === undefined || fromEnv === '') return moved;
        applied.push(envName([...path, alias]));
        const own = keyOf(moved, to);
        return { ...Object.fromEntries(Object.entries(moved).filter(([k]) => k !== own)), [to]: read(fromEnv) };
      });
      value = updateInstances(value, plugin.name, (instance) => moveIn(instance, alias, to, read));
    }
  }
  return { value, applied, written };
}

/** `node` with the mapping at `path` replaced by `change(it)` (created when absent, for env values). */
function update(node: Node, path: readonly string[], change: (section: Node) => Node): Node {
  const [head, ...rest] = path as [string, ...string[]];
  const at = keyOf(node, head) ?? head;
  const child = isMapping(node[at]) ? (node[at] as Node) : {};
  const next = rest.length === 0 ? change(child) : update(child, rest, change);
  if (next === child || (Object.keys(next).length === 0 && node[at] === undefined)) return node;
  return { ...node, [at]: next };
}

/** Named instances (`outputs.<name>`) of type `type`, each changed by `change`. */
function updateInstances(node: Node, type: string, change: (instance: Node) => Node): Node {
  const at = keyOf(node, 'outputs');
  const outputs = at === undefined ? undefined : node[at];
  if (at === undefined || !isMapping(outputs)) return node;
  let changed = false;
  const next: Node = {};
  for (const [name, instance] of Object.entries(outputs)) {
    const typeKey = isMapping(instance) ? keyOf(instance, 'type') : undefined;
    const isOfType = typeKey !== undefined && String((instance as Node)[typeKey]).toLowerCase() === type;
    next[name] = isOfType ? change(instance as Node) : instance;
    changed ||= next[name] !== instance;
  }
  return changed ? { ...node, [at]: next } : node;
}
