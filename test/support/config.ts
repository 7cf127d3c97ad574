// Loads a config from YAML text (written to a temp file) with an explicit env, as main.ts would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../src/config/load.ts';
import type { ConfigError } from '../../src/errors.ts';
import { outputs } from './outputs.ts';

export function configFromYaml(yaml: string, env: NodeJS.ProcessEnv = {}): LoadedConfig {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-config-'));
  const file = join(dir, 'peregrine.yaml');
  writeFileSync(file, yaml);
  return loadConfig({ file, env, plugins: outputs, cwd: dir });
}

/** Loads from env vars alone (no file), as a container started with only SECTION_KEY variables. */
export function configFromEnv(env: NodeJS.ProcessEnv): LoadedConfig {
  return loadConfig({ env, plugins: outputs, cwd: tmpdir() });
}

/** The "path: message" problems loading `env` reports; [] when it loads. */
export function envProblems(env: NodeJS.ProcessEnv): string[] {
  try {
    configFromEnv(env);
  } catch (err) {
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}
