// Why a spool cannot be opened, said as the fix: a spool.dir that is no folder, a read-only volume,
// or files another user owns. Nothing is moved or deleted in any of these cases (only a file SQLite
// itself calls corrupt is moved aside, in Spool.open).
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

function describeKind(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return undefined;
    if (st.isFile()) return 'a file';
    if (st.isCharacterDevice()) return 'a character device';
    if (st.isBlockDevice()) return 'a block device';
    if (st.isFIFO()) return 'a named pipe';
    if (st.isSocket()) return 'a socket';
    return 'not a folder';
  } catch {
    return undefined;
  }
}

/** The first existing folder at or above `dir` (where mkdir would write). */
function existingAncestor(dir: string): string {
  let at = dir;
  for (;;) {
    try {
      statSync(at);
      return at;
    } catch {
      const parent = at.replace(/\/[^/]*\/?$/, '') || '/';
      if (parent === at) return at;
      at = parent;
    }
  }
}

function writeError(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
}

function owner(p: string): string | undefined {
  try {
    const st = statSync(p);
    return `${p} is owned by uid ${st.uid} gid ${st.gid}, mode ${(st.mode & 0o777).toString(8)}`;
  } catch {
    return undefined;
  }
}

/** What is wrong and how to fix it, for a spool that cannot be opened. */
export function spoolAccessError(dir: string, path: string, err: unknown): ConfigError {
  const reason = (err as { errstr?: string }).errstr ?? (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  const problem = (message: string) => new ConfigError([{ path: 'spool.dir', env: 'SPOOL_DIR', message }]);

  const abs = resolve(dir);
  const blocked = notAFolder(abs);
  if (blocked) {
    const [p, kind] = blocked;
    return problem(`spool.dir ${dir} cannot be used: ${p} is ${kind}, not a folder. Nothing was moved or deleted. Point spool.dir (SPOOL_DIR) at a folder on a writable volume (e.g. /var/lib/peregrine).`);
  }
  const target = existingAncestor(abs);
  const denied = writeError(target) ?? writeError(path);
  if (denied === 'EROFS') {
    return problem(
      `cannot open the spool ${path} (${reason}): ${target} is on a read-only filesystem. Nothing was moved or deleted. Mount a writable volume at spool.dir ` +
        '(in Kubernetes: the chart\'s spool volume, an emptyDir or a PVC; with docker run --read-only: -v <volume>:/var/lib/peregrine), ' +
        'or set spool.enabled: false to run memory-only (acknowledged alerts are then lost on a crash).',
    );
  }
  const uid = process.getuid?.() ?? 'unknown';
  const gid = process.getgid?.() ?? 'unknown';
  const facts = [owner(dir), owner(path), owner(`${path}-wal`)].filter(Boolean).join('; ');
  return problem(
    `cannot open the spool ${path} (${denied ?? reason}) as uid ${uid} gid ${gid}${facts ? `; ${facts}` : ''}. Nothing was moved or deleted. ` +
      'The folder and its peregrine.db* files must be readable and writable by this user: ' +
      `chown -R ${uid}:${gid} ${dir} (and chmod u+rwx ${dir}), or in Kubernetes run as their owner / set podSecurityContext.fsGroup so the volume is group-writable ` +
      '(falcosidekick\'s chart ran as uid 1234, Peregrine\'s runs as 10001), or point spool.dir at an empty writable folder.',
  );
}

/**
 * `--check-config`: what opening the spool at start would say, found without opening it (nothing is
 * created): spool.dir or a folder above it is not a folder, or where it is (or would be made) cannot
 * be written. Undefined when it looks usable.
 */
export function spoolDirProblem(dir: string, path: string): ConfigError | undefined {
  const abs = resolve(dir);
  if (notAFolder(abs)) return spoolAccessError(dir, path, {});
  const denied = writeError(existingAncestor(abs)) ?? (existsSync(path) ? writeError(path) : undefined);
  return denied === undefined ? undefined : spoolAccessError(dir, path, { code: denied });
}

/** The first of `abs` and the folders above it that exists and is something else than a folder, with what it is. */
function notAFolder(abs: string): [string, string] | undefined {
  for (const p of [abs, ...ancestorsOf(abs)]) {
    const kind = describeKind(p);
    if (kind) return [p, kind];
  }
  return undefined;
}

function ancestorsOf(dir: string): string[] {
  const out: string[] = [];
  let at = dir;
  for (;;) {
    const parent = at.replace(/\/[^/]*\/?$/, '') || '/';
    if (parent === at || parent === '') return out;
    out.push(parent);
    at = parent;
  }
}
