// Two daemons on one spool folder used to re-send each other's backlog and both answer 503
// "database is locked". The first holds the folder; the second refuses to start and names it;
// `peregrine dlq` still works beside the running daemon; a kill -9 leaves no stale lock.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, NODE_COMPILE_CACHE, nodeBin, repoDir, startDaemon, startDaemonReady, writeConfig, type Daemon } from '../../support/daemon.ts';

const daemons: Daemon[] = [];
afterEach(() => {
  for (const d of daemons.splice(0)) if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
});

async function up(file: string, port: number): Promise<Daemon> {
  const daemon = await startDaemonReady(['-c', file], port);
  daemons.push(daemon);
  return daemon;
}

describe('the spool folder lock', () => {
  it('refuses a second daemon on the same spool with a clear message, and is released by kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-lock-'));
    const config = (port: number) => writeConfig(`listenaddress: 127.0.0.1\nlistenport: ${port}\nspool:\n  enabled: true\n  dir: ${dir}\n`);
    const port = await freePort();
    const first = await up(config(port), port);

    const second = startDaemon(['-c', config(await freePort())]);
    daemons.push(second);
    expect(await second.exited).toBe(1);
    const text = second.stderr.join('\n');
    expect(text).toContain(`spool.dir: the spool ${dir} is in use by another Peregrine (pid ${first.child.pid} on `);
    expect(text).toContain('One daemon per spool folder');
    expect(text).not.toMatch(/\n\s+at /);
    expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{"rule":"r","priority":"Notice","time":"2026-11-20T10:21:36Z","output_fields":{"a":1}}' })).status).toBe(200);

    // The operator's CLI reads the spool beside the running daemon.
    const list = execFileSync(nodeBin, [join(repoDir, 'src/main.ts'), 'dlq', 'list', '-c', config(port)], { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE } });
    expect(list).not.toContain('in use');

    first.child.kill('SIGKILL');
    await first.exited;
    const third = await up(config(port), port); // the kernel dropped the lock with the process
    expect(third.child.exitCode).toBeNull();
  });
});
