// YAML file → key check → env overlay → zod → semantic checks. Every problem is collected and
// reported at once, with its dotted path and env var; nothing here logs or prints.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { buildEnricher } from '../enrich/enrich.ts';
import { compileTemplates } from '../enrich/templates.ts';
import { checkConfigFiles } from './file-checks.ts';
import { checkConsoleTlsPaths } from '../console/tls-paths.ts';
import { ConfigError, ErrorCodes, type ConfigProblem } from '../errors.ts';
import type { OutputRegistry } from '../plugin/registry.ts';
import type { AnyOutputPlugin } from '../plugin/types.ts';
import { EMBEDDED_DEFAULT } from './default.ts';
import { applyAliases } from './aliases.ts';
import { applyEnv } from './env.ts';
import { applyInstanceEnv, checkInstanceKeys, configEnvName } from './instance-env.ts';
import { resolveInstances } from './instances.ts';
import { flattenUnionIssues } from './issues.ts';
import { envName, leafPaths } from './introspect.ts';
import { checkKeys } from './keys.ts';
import { buildConfigSchema, type Config } from './schema.ts';
import { loadYaml } from './yaml.ts';
import { mentionedOutputs } from './mentioned.ts';

const DEFAULT_CONFIG_FILE = 'config/peregrine.yaml';
const MAX_YAML_ALIASES = 100;

export interface LoadOptions {
  /** -c/--config; when absent, config/peregrine.yaml if present, else the embedded default. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  plugins: readonly AnyOutputPlugin[];
  cwd?: string;
  /** The file already read (loadMentioned()); read here when absent. */
  read?: { raw: unknown; source: string };
}

export interface LoadedConfig {
  config: Config;
  schema: z.ZodObject;
  /** Where the file part came from: a path, or "embedded default". */
  source: string;
  warnings: string[];
  /** Names of the env vars that were applied. */
  envApplied: string[];
  /** Names of the outputs that are on. */
  enabled: string[];
}

function readSource(options: Omit<LoadOptions, 'plugins'>): { raw: unknown; source: string } {
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (file === undefined) return { raw: structuredClone(EMBEDDED_DEFAULT), source: 'embedded default' };
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const e = new ConfigError([{ path: '', message: `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
    Object.assign(e, { code: ErrorCodes.CONFIG_UNREADABLE });
    throw e;
  }
  const doc = loadYaml().parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    throw new ConfigError(doc.errors.map((e) => ({ path: '', message: `${path}: ${e.message.split('\n')[0]}` })));
  }
  try {
    // A few aliases are normal; thousands are a "billion laughs" expansion.
    return { raw: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {}, source: path };
  } catch (err) {
    throw new ConfigError([{ path: '', message: `${path}: ${(err as Error).message} (YAML aliases are limited to ${MAX_YAML_ALIASES} expansions)` }]);
  }
}

export function loadConfig(options: LoadOptions): LoadedConfig {
  const schema = buildConfigSchema(options.plugins);
  const { raw, source } = options.read ?? readSource(options);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError([{ path: '', message: `${source}: the top level must be a mapping of keys (listenport:, webhook:, …)` }]);
  }

  const env = options.env ?? process.env;
  const leaves = leafPaths(schema);
  const kinds = new Map(leaves.map((leaf) => [leaf.path.join('.'), leaf.envKind]));
  const aliased = applyAliases(options.plugins, raw as Record<string, unknown>, env, (path) => kinds.get(path.join('.')) ?? 'string');
  const keys = checkKeys(schema, aliased.value, env);
  const named = checkInstanceKeys(options.plugins, keys.value.outputs);
  const { value, applied, problems: envProblems } = applyEnv(schema, keys.value, env);
  const instanceEnv = applyInstanceEnv(options.plugins, named.outputs, env);
  if (instanceEnv.applied.length || Object.keys(instanceEnv.outputs).length) value.outputs = instanceEnv.outputs;
  applied.push(...aliased.applied, ...instanceEnv.applied);
  const problems: ConfigProblem[] = [...keys.problems, ...envProblems, ...named.problems, ...instanceEnv.problems];

  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const envNames = new Set(leaves.map((l) => envName(l.path)));
    for (const issue of flattenUnionIssues(parsed.error.issues)) {
      const path = issue.path as (string | number)[];
      const alias = aliased.written.get(path.join('.'));
      if (alias) {
        problems.push({ path: alias.path, message: `${issue.message} (read as ${path.join('.')})`, env: alias.env });
        continue;
      }
      const env = configEnvName(path);
      problems.push({ path: path.join('.'), message: issue.message, ...(env !== undefined && (envNames.has(env) || path[0] === 'outputs') ? { env } : {}) });
    }
  }
  // Every problem at once: templates are checked even when other keys are wrong.
  if (!parsed.success) {
    const templates = (value as Record<string, unknown>).templatedfields;
    if (templates && typeof templates === 'object' && !Array.isArray(templates)) {
      problems.push(...compileTemplates(templates as Record<string, string>).problems);
    }
    throw new ConfigError(problems);
  }

  const config = parsed.data as Config;
  try {
    buildEnricher({
      customfields: config.customfields,
      customtags: config.customtags,
      templatedfields: config.templatedfields,
      bracketreplacer: config.bracketreplacer,
      outputfieldformat: config.outputfieldformat,
    });
  } catch (err) {
    problems.push(...(err instanceof ConfigError ? err.problems : [{ path: 'templatedfields', message: String(err) }]));
  }
  problems.push(...checkConfigFiles(config));
  problems.push(...checkConsoleTlsPaths(config));

  // Which outputs run, with their validate() hooks, match and overlays checked.
  const resolved = resolveInstances(config, options.plugins);
  for (const problem of resolved.problems) {
    const env = configEnvName(problem.path.split('.'));
    problems.push({ ...problem, ...(env ? { env } : {}) });
  }
  if (problems.length) throw new ConfigError(problems);
  const enabled = resolved.instances.map((i) => i.name);
  const warnings = [...keys.warnings, ...named.warnings];
  if (enabled.length === 0) warnings.push('no output is enabled: alerts are accepted and counted but sent nowhere');
  return { config, schema, source, warnings, envApplied: applied, enabled };
}

/**
 * loadConfig for a daemon: first imports the outputs the file or the environment mentions (and only
 * those: config/mentioned.ts), then checks the config against them. The registry keeps what it
 * imported, so a reload that mentions a new output adds it.
 */
export async function loadMentioned(registry: OutputRegistry, options: Omit<LoadOptions, 'plugins' | 'read'>): Promise<LoadedConfig> {
  const read = readSource(options);
  const plugins = await registry.load(mentionedOutputs(registry.entries, read.raw, options.env ?? process.env));
  return loadConfig({ ...options, plugins, read });
}
