// Generated files are written by their script and checked in CI (`--check`): one implementation.
import { readFileSync, writeFileSync } from 'node:fs';

/** Writes each [file, content] that differs; with `check`, reports stale files and exits 1 instead. */
export function writeGenerated(files: readonly [string, string][], check: boolean, regenerate: string): void {
  let stale = 0;
  for (const [file, content] of files) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current === content) continue;
    stale++;
    if (check) console.error(`${file} is out of date: run ${regenerate}`);
    else {
      writeFileSync(file, content);
      console.log(`wrote ${file}`);
    }
  }
  if (check && stale) process.exit(1);
}
