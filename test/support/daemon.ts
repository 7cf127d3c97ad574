// Runs the real daemon (node src/main.ts) as a child process, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoDir = resolve(import.meta.dirname, '../..');
export const nodeBin = process.execPath;

/**
 * Node's compile cache for the daemons and CLIs tests start: `node src/main.ts` compiles every
 * module it loads, and with the cache a start costs about a third of the CPU. The cache is keyed
 * by each file's contents, so a changed file is compiled again.
 */
export const NODE_COMPILE_CACHE = join(tmpdir(), 'peregrine-test-compile-cache');

/** The environment of a child `node src/main.ts`: PATH, the compile cache, and `env`. */
export function daemonEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, NODE_COMPILE_CACHE, ...env };
}

export interface Daemon {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

export function writeConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-daemon-'));
  const file = join(dir, 'peregrine.yaml');
  writeFileSync(file, yaml);
  return file;
}

export function startDaemon(args: string[], env: NodeJS.ProcessEnv = {}, cwd = mkdtempSync(join(tmpdir(), 'peregrine-cwd-'))): Daemon {
  const child = spawn(nodeBin, [join(repoDir, 'src/main.ts'), ...args], { cwd, env: daemonEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const lines = (sink: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      sink.push(...parts);
    };
  };
  child.stdout?.on('data', lines(stdout));
  child.stderr?.on('data', lines(stderr));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, stdout, stderr, exited };
}

export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((res) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

/** Starts the daemon and resolves once it answers GET /ping on `port` (within 30 s). */
export async function startDaemonReady(args: string[], port: number): Promise<Daemon> {
  const daemon = startDaemon(args);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if ((await fetch(`http://127.0.0.1:${port}/ping`).catch(() => undefined))?.ok) return daemon;
    if (daemon.child.exitCode !== null || Date.now() > deadline) {
      daemon.child.kill('SIGKILL');
      throw new Error(`the daemon did not come up on port ${port}:\n${daemon.stderr.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
