// The outputs that run: each falcosidekick-style section that is on (one instance named after its
// type) plus every named instance under `outputs:`. The one place that reads an output's section
// of the config; app.ts, config loading and the CLI all go through resolveInstances().
import type { Alert } from '../alert/alert.ts';
import { buildEnricher, type Enricher } from '../enrich/enrich.ts';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { compileMatch, type CompiledMatch } from '../routing/compile.ts';
import { compileRoute } from '../routing/route.ts';
import { outputSchema, sectionOf, sectionPath, type Config, type OutputSection } from './schema.ts';

export interface OutputInstance {
  /** Metric label, log binding, /healthz key, spool and dead-letter output. */
  name: string;
  plugin: AnyOutputPlugin;
  /** The plugin's options plus the core keys (minimumpriority, queue, retry, batch, match, …). */
  options: OutputSection;
  /** Where it is configured: ["webhook"] or ["outputs", "soc-pager"]. */
  path: readonly string[];
  /** minimumpriority ∧ match, compiled. */
  filter: CompiledMatch;
  /** The instance's own customfields/templatedfields over the shared alert; undefined when it has none. */
  overlay: Enricher | undefined;
}

export interface ResolveOptions {
  /** A per-instance template failed for an alert (wired to the template error counter). */
  onTemplateError?: (field: string, error: unknown) => void;
}

function namedInstances(config: Config): [string, OutputSection & { type: string }][] {
  return Object.entries((config.outputs ?? {}) as Record<string, OutputSection & { type: string }>);
}

/** Resolves every instance; problems carry dotted paths relative to the config root. */
export function resolveInstances(
  config: Config,
  plugins: readonly AnyOutputPlugin[],
  options: ResolveOptions = {},
): { instances: OutputInstance[]; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const found: { name: string; plugin: AnyOutputPlugin; options: OutputSection; path: string[] }[] = [];
  for (const plugin of plugins) {
    const section = sectionOf(config, plugin);
    if (section && plugin.enabled(section as never)) found.push({ name: plugin.name, plugin, options: section, path: [...sectionPath(plugin)] });
  }
  for (const [name, instance] of namedInstances(config)) {
    const path = ['outputs', name];
    const plugin = plugins.find((p) => p.name === instance.type);
    if (!plugin) {
      problems.push({ path: [...path, 'type'].join('.'), message: `unknown output type ${JSON.stringify(instance.type)}; known types: ${plugins.map((p) => p.name).join(', ')}` });
      continue;
    }
    const clash = found.find((f) => f.name === name);
    if (clash) {
      problems.push({
        path: path.join('.'),
        message: `the output name "${name}" is taken by the ${clash.path.join('.')}: section, which is also set; rename outputs.${name} or remove the ${clash.path.join('.')}: section`,
      });
      continue;
    }
    if (!plugin.enabled(instance as never)) {
      problems.push(offProblem(plugin, instance, path));
      continue;
    }
    found.push({ name, plugin, options: instance, path });
  }

  const instances: OutputInstance[] = [];
  for (const f of found) {
    const before = problems.length;
    for (const problem of f.plugin.validate?.(f.options as never) ?? []) {
      problems.push({ path: [...f.path, ...problem.path.split('.').filter(Boolean)].join('.'), message: problem.message });
    }
    const filter = collect(problems, f.path, () =>
      // A plugin's own legacy key (falcosidekick's otlp.logs.minimumpriority) counts when the core key is empty.
      compileRoute(f.options.minimumpriority || (f.plugin.legacySettings?.(f.options as never).minimumpriority ?? ''), compileMatch(f.options.match, { bracketreplacer: String(config.bracketreplacer ?? ''), path: [...f.path, 'match'] })),
    );
    const overlay = collect(problems, f.path, () => buildOverlay(f.options, options));
    if (problems.length === before && filter) instances.push({ ...f, filter, overlay });
  }
  return { instances, problems };
}

/** resolveInstances for callers that cannot go on with problems (app.ts, the CLI). Throws ConfigError. */
export function instancesOrThrow(config: Config, plugins: readonly AnyOutputPlugin[], options: ResolveOptions = {}): OutputInstance[] {
  const { instances, problems } = resolveInstances(config, plugins, options);
  if (problems.length) throw new ConfigError(problems);
  return instances;
}

// Compiles one part; a ConfigError's problems are relative to the instance (buildEnricher) or absolute (compileMatch).
function collect<T>(problems: ConfigProblem[], path: readonly string[], build: () => T): T | undefined {
  try {
    return build();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) problems.push({ ...p, path: p.path.startsWith(`${path.join('.')}.`) ? p.path : [...path, p.path].join('.') });
    return undefined;
  }
}

function buildOverlay(section: OutputSection, options: ResolveOptions): Enricher | undefined {
  const customfields = section.customfields ?? {};
  const templatedfields = section.templatedfields ?? {};
  if (Object.keys(customfields).length === 0 && Object.keys(templatedfields).length === 0) return undefined;
  const enrich = buildEnricher(
    { customfields, templatedfields, customtags: [], bracketreplacer: '' },
    options.onTemplateError ? { onTemplateError: options.onTemplateError } : {},
  );
  // The shared alert is frozen; the instance's copy is frozen the same way (alert/alert.ts).
  return (alert: Alert) => {
    const derived = enrich(alert) as { output_fields: object };
    Object.freeze(derived.output_fields);
    return Object.freeze(derived) as Alert;
  };
}

/**
 * Why a named instance is off, naming the keys that turn its type on: the keys of the plugin's
 * example without which enabled() is false (webhook: address; kafka: hostport and topic).
 */
function offProblem(plugin: AnyOutputPlugin, instance: OutputSection, path: string[]): ConfigProblem {
  const schema = outputSchema(plugin);
  const example = schema.parse(plugin.example) as Record<string, unknown>;
  const empty = schema.parse({}) as Record<string, unknown>;
  const required = Object.keys(plugin.example).filter((key) => !plugin.enabled({ ...example, [key]: empty[key] } as never));
  const missing = required.filter((key) => instance[key] === empty[key]);
  if (missing.length === 0) return { path: path.join('.'), message: `this ${plugin.name} output is off with these options: see docs/outputs/${plugin.name}.md for the keys that turn it on` };
  return {
    path: [...path, missing[0] as string].join('.'),
    message: `a ${plugin.name} output needs ${required.join(' and ')}; ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`,
  };
}
