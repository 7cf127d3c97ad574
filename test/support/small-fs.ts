// A real small filesystem for the tests where a disk must fill or turn read-only: a tmpfs mounted
// in a fresh folder. Needs root (mount); the test says so and skips otherwise.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why a mount cannot be made here, or undefined when it can. */
export function cannotMount(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs (run the tests as root, e.g. in CI containers)';
  try {
    const probe = mountTmpfs(64 * 1024);
    probe.unmount();
    return undefined;
  } catch (err) {
    return `cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]})`;
  }
}

export interface SmallFs {
  dir: string;
  /** Writes a file until the filesystem has no space left; returns its path (delete it to free the space). */
  fill(): string;
  remount(options: string): void;
  unmount(): void;
}

export function mountTmpfs(bytes: number, options = ''): SmallFs {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-smallfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}${options ? `,${options}` : ''}`, 'tmpfs', dir], { stdio: 'pipe' });
  return {
    dir,
    fill() {
      const file = join(dir, `filler-${Date.now()}`);
      const fd = openSync(file, 'w');
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
      return file;
    },
    remount(opts) {
      execFileSync('mount', ['-o', `remount,${opts}`, dir], { stdio: 'pipe' });
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
