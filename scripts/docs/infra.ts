// docs/testing.md's list of integration test servers: the folders of test/infra/, as CI reads them
// (`bash test/infra/infra.sh list`), each with the first sentence of its install.sh header comment.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prose } from './markdown.ts';

function firstSentence(script: string): string {
  const comment = script
    .split('\n')
    .filter((line) => !line.startsWith('#!'))
    .map((line) => line.trim())
    .filter((line, i, lines) => line.startsWith('#') && lines.slice(0, i).every((l) => l.startsWith('#')))
    .map((line) => line.replace(/^#\s?/, ''))
    .join(' ');
  const end = /\.(\s|$)/.exec(comment);
  return (end ? comment.slice(0, end.index + 1) : comment).trim();
}

export function infraMarkdown(repo: string): string {
  const run = spawnSync('bash', [join(repo, 'test/infra/infra.sh'), 'list'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bash test/infra/infra.sh list failed: ${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((c) => {
      const about = firstSentence(readFileSync(join(repo, 'test/infra', c, 'install.sh'), 'utf8'));
      return `- [\`${c}\`](../test/infra/${c}/)${about ? ` — ${prose(about)}` : ''}`;
    })
    .join('\n');
}
