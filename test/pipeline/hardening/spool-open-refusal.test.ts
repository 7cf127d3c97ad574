// A spool that cannot be opened for any reason but corruption — a read-only volume, a folder this
// user may not write, a spool.dir that is a file or /dev/null — stops the daemon at start with the
// cause and the fix; the spool's files are never moved aside and its alerts stay where they were.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { startApp } from '../../support/app.ts';
import { daemonEnv, nodeBin, repoDir } from '../../support/daemon.ts';
import { cannotMount, mountTmpfs } from '../../support/small-fs.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
});

/** Runs the daemon with the given spool dir (env only: no config file), optionally as another uid. */
function start(spoolDir: string, asUid?: number): { status: number | null; stderr: string } {
  const env = { ...daemonEnv(), SPOOL_DIR: spoolDir, LISTENADDRESS: '127.0.0.1', LISTENPORT: '0' };
  const args = [join(repoDir, 'src/main.ts')];
  const res =
    asUid === undefined
      ? spawnSync(nodeBin, args, { env, encoding: 'utf8', timeout: 60_000, cwd: mkdtempSync(join(tmpdir(), 'peregrine-cwd-')) })
      : spawnSync('/usr/bin/setpriv', [`--reuid=${asUid}`, `--regid=${asUid}`, '--clear-groups', nodeBin, ...args], { env, encoding: 'utf8', timeout: 60_000, cwd: '/' });
  return { status: res.status, stderr: res.stderr };
}

/** A spool holding `n` undelivered alerts (destination down), closed. */
async function spoolWithAlerts(dir: string, n: number): Promise<void> {
  const app = await startApp(`spool:\n  enabled: true\n  dir: ${dir}\nwebhook:\n  address: http://127.0.0.1:9/\n`);
  for (let i = 0; i < n; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  await app.close(); // no drain: the alerts stay in the spool
}

const rows = (dir: string) => {
  const db = new DatabaseSync(join(dir, 'peregrine.db'), { readOnly: true });
  try {
    return Number((db.prepare('SELECT COUNT(*) AS n FROM deliveries').get() as { n: number }).n);
  } finally {
    db.close();
  }
};

describe('a spool that cannot be opened refuses to start, with the cause and the fix', () => {
  const noMount = cannotMount();
  it.skipIf(noMount !== undefined)(`on a read-only filesystem: the intact spool is left alone${noMount ? ` (skipped: ${noMount})` : ''}`, async () => {
    const fs = mountTmpfs(8 * 1024 * 1024);
    cleanup.push(() => fs.unmount());
    const dir = join(fs.dir, 'spool');
    await spoolWithAlerts(dir, 20);
    fs.remount('ro');
    const { status, stderr } = start(dir);
    expect(status).toBe(1);
    expect(stderr).toContain('invalid configuration');
    expect(stderr).toMatch(/spool\.dir: .* is on a read-only filesystem\. Nothing was moved or deleted\. Mount a writable volume at spool\.dir/);
    expect(stderr).toContain('Nothing was moved or deleted');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
    fs.remount('rw');
    expect(rows(dir)).toBe(20);
  });

  it.skipIf(process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv'))('in a 0555 folder as another user: says who owns it and how to fix it', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'peregrine-0555-'));
    chmodSync(parent, 0o755);
    const dir = join(parent, 'spool');
    await spoolWithAlerts(dir, 3);
    chmodSync(dir, 0o555);
    chmodSync(join(dir, 'peregrine.db'), 0o444);
    const { status, stderr } = start(dir, 65534);
    expect(status).toBe(1);
    expect(stderr).toMatch(/cannot open the spool .* as uid 65534 gid 65534; .* is owned by uid 0 gid 0, mode 555/);
    expect(stderr).toContain(`chown -R 65534:65534 ${dir}`);
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
    expect(rows(dir)).toBe(3);
  });

  it('when spool.dir is a file or /dev/null: says it is not a folder, at once', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'peregrine-file-')), 'data');
    writeFileSync(file, 'not a folder');
    for (const [dir, kind] of [
      [file, 'a file'],
      ['/dev/null', 'a character device'],
      ['/dev/null/spool', 'a character device'],
    ] as const) {
      const started = Date.now();
      const { status, stderr } = start(dir);
      expect(status, stderr).toBe(1);
      expect(stderr).toContain(`spool.dir ${dir} cannot be used: ${dir.startsWith('/dev/null') ? '/dev/null' : file} is ${kind}, not a folder. Nothing was moved or deleted. Point spool.dir (SPOOL_DIR) at a folder`);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });
});
