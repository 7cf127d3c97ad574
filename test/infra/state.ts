// How an integration test gets a real server: `const es = await useInfra<ElasticsearchInfra>('elasticsearch')`.
// The first caller installs and starts the component (under a file lock, so parallel test files
// share one server); later callers read its state file. test/infra/global-setup.ts stops
// everything at the end of the run.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** A folder of test/infra/ with an install.sh: the folders are the one list of test servers. */
export type Component = string;

const run = promisify(execFile);
export const repoDir = resolve(import.meta.dirname, '../..');

/** Every component, from the folders (the same list `bash test/infra/infra.sh list` prints). */
export function allComponents(): Component[] {
  const dir = join(repoDir, 'test/infra');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'install.sh')))
    .map((d) => d.name)
    .sort();
}
export const stateDir = process.env.PEREGRINE_IT_STATE ?? join(repoDir, '.it-state');

/** Components the developer asked to skip (PEREGRINE_IT_SKIP=kafka,splunk). Never honoured in CI. */
export function skippedComponents(): Set<string> {
  if (process.env.CI === 'true') return new Set();
  return new Set((process.env.PEREGRINE_IT_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

export function infraSkipped(component: Component): boolean {
  return skippedComponents().has(component);
}

/** True when the component's server from an earlier start is still alive. */
export function running(component: Component): boolean {
  const pidFile = join(stateDir, `${component}.pid`);
  if (!existsSync(join(stateDir, `${component}.json`)) || !existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

/** Returns the component's state (ports, credentials, …), starting it first if it is not running. */
export async function useInfra<T = Record<string, unknown>>(component: Component): Promise<T> {
  if (infraSkipped(component)) {
    throw new Error(`test infra component "${component}" is skipped by PEREGRINE_IT_SKIP; ` +
      `guard the suite with describe.skipIf(infraSkipped('${component}'))`);
  }
  if (!running(component)) {
    const script = join(repoDir, 'test/infra/infra.sh');
    const lock = join(stateDir, `${component}.lock`);
    // flock serialises concurrent starters; the second one finds it running and does nothing.
    // -o: the lock fd is not inherited by the servers started under it (they would hold it for life).
    const cmd = `mkdir -p '${stateDir}' && flock -o '${lock}' bash -c '` +
      `if [ -f "${stateDir}/${component}.json" ] && kill -0 "$(cat "${stateDir}/${component}.pid" 2>/dev/null)" 2>/dev/null; then exit 0; fi; ` +
      `bash "${script}" ${component} install && bash "${script}" ${component} start'`;
    try {
      await run('bash', ['-c', cmd], { env: { ...process.env, PEREGRINE_IT_STATE: stateDir }, maxBuffer: 64 << 20 });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`test infra component "${component}" could not be started:\n${e.stderr ?? e.message}`, { cause: err });
    }
  }
  return JSON.parse(readFileSync(join(stateDir, `${component}.json`), 'utf8')) as T;
}
