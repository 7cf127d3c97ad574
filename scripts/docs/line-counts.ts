// docs/architecture.md's table of src/dispatch/ ("The worker and its parts"): the jobs are written
// by hand, the line counts come from the files, and the table must name every file there, once.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SECTION = '### The worker and its parts';
const ROW = /^\| `([\w-]+\.ts)` \| (\d+) \|/;

/** `text` (docs/architecture.md) with each row's line count that of its file in `repo`/`dir`. */
export function refreshLineCounts(text: string, repo: string, dir: string): string {
  const lines = text.split('\n');
  const from = lines.indexOf(SECTION);
  if (from < 0) throw new Error(`docs/architecture.md: the section "${SECTION}" is missing`);
  const to = lines.findIndex((line, i) => i > from && /^#{1,6} /.test(line));
  const files = new Set(readdirSync(join(repo, dir)).filter((f) => f.endsWith('.ts')));
  const named = new Set<string>();
  for (let i = from; i < (to < 0 ? lines.length : to); i++) {
    const match = ROW.exec(lines[i] as string);
    if (!match) continue;
    const file = match[1] as string;
    if (!files.has(file)) throw new Error(`docs/architecture.md: the table of ${dir} names ${file}, which is not there: remove its row`);
    named.add(file);
    const count = readFileSync(join(repo, dir, file), 'utf8').split('\n').length - 1;
    lines[i] = (lines[i] as string).replace(ROW, `| \`${file}\` | ${count} |`);
  }
  const missing = [...files].filter((f) => !named.has(f));
  if (missing.length > 0) throw new Error(`docs/architecture.md: the table of ${dir} lacks ${missing.join(', ')}: add a row with its one job`);
  return lines.join('\n');
}
