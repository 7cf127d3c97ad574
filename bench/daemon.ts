// Starts the daemon under test as its own process and waits until it answers /ping.
import { spawn, type ChildProcess } from 'node:child_process';

export interface BenchDaemonOptions {
  env?: NodeJS.ProcessEnv;
  /** Working directory (the embedded default's spool goes to ./data there). */
  cwd?: string;
  /** `taskset -c` CPU list the daemon runs on, e.g. "0" or "0,1". */
  cpus?: string;
}

/**
 * `main`: dist/src/main.js (what the image runs) or src/main.ts; `configFile` undefined: no -c, the
 * embedded default (plus env). BENCH_NODE_FLAGS adds node flags.
 */
export async function startBenchDaemon(main: string, configFile: string | undefined, port: number, options: BenchDaemonOptions = {}): Promise<ChildProcess> {
  // The same V8 flag as the image's ENTRYPOINT and `npm start`; BENCH_NODE_FLAGS adds more (to try one).
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const node = [process.execPath, '--max-semi-space-size=8', ...extra, main, ...(configFile === undefined ? [] : ['-c', configFile])];
  const [command, ...args] = options.cpus === undefined ? node : ['taskset', '-c', options.cpus, ...node];
  const child = spawn(command as string, args, {
    // The image's ENV (Dockerfile), unless the caller's environment sets it (to compare).
    env: { MALLOC_ARENA_MAX: '2', ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
  });
  const errors: string[] = [];
  child.stderr?.on('data', (d: Buffer) => errors.push(d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ping`)).ok) return child;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`daemon did not start:\n${errors.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
