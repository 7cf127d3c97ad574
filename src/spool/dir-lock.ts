// One daemon per spool folder. Two daemons on one spool re-send each other's backlog and fight over
// its write lock ("database is locked"). The daemon holds an exclusive SQLite lock on a small
// side file (peregrine.lock) for its lifetime: an OS file lock, released by the kernel when the
// process dies (kill -9 included), so it never goes stale. The spool database itself keeps normal
// WAL locking, so `peregrine dlq` can read and edit it while the daemon runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ConfigError } from '../errors.ts';

const SQLITE_BUSY = 5;

/** The folder is locked by a running daemon. */
export class SpoolInUseError extends ConfigError {}

export interface DirLock {
  release(): void;
}

function holder(dir: string): string {
  try {
    const owner = JSON.parse(readFileSync(join(dir, 'peregrine.lock.owner'), 'utf8')) as { pid: number; host: string; since: string };
    let alive = '';
    if (owner.host === hostname()) {
      try {
        process.kill(owner.pid, 0);
        alive = ', running';
      } catch {
        alive = ', no longer running here (its lock is held by a process that inherited it)';
      }
    }
    return `pid ${owner.pid} on ${owner.host}${alive}, since ${owner.since}`;
  } catch {
    return 'a process that did not record itself';
  }
}

export function lockSpoolDir(dir: string): DirLock {
  const db = new DatabaseSync(join(dir, 'peregrine.lock'), { timeout: 0 });
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at TEXT); DELETE FROM held; INSERT INTO held VALUES (datetime()); COMMIT;');
  } catch (err) {
    db.close();
    if (((err as { errcode?: number }).errcode ?? 0) % 256 !== SQLITE_BUSY) throw err;
    throw new SpoolInUseError([
      {
        path: 'spool.dir',
        env: 'SPOOL_DIR',
        message:
          `the spool ${dir} is in use by another Peregrine (${holder(dir)}). One daemon per spool folder: ` +
          'stop the other one, or give this one its own spool.dir (in Kubernetes each replica needs its own volume, e.g. a StatefulSet volumeClaimTemplate). ' +
          '`peregrine dlq list`, `show` and `purge` work while the daemon runs.',
      },
    ]);
  }
  writeFileSync(join(dir, 'peregrine.lock.owner'), JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
  return { release: () => db.close() };
}
