// Starts the daemon under test as its own process and waits until it answers /ping.
import { spawn, type ChildProcess } from 'node:child_process';

/** `main`: dist/src/main.js (what the image runs) or src/main.ts; BENCH_NODE_FLAGS adds node flags. */
export async function startBenchDaemon(main: string, configFile: string, port: number, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  // The same V8 flag as the image's ENTRYPOINT and `npm start`; BENCH_NODE_FLAGS adds more (to try one).
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--max-semi-space-size=8', ...extra, main, '-c', configFile], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
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
