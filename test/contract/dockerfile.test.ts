// The Dockerfile against its build context: every path it copies from the context is one that
// .dockerignore lets in (with Docker's own matching rules), and every dependency patches/ patches
// reaches the image patched. No Docker engine is needed: a wrong .dockerignore otherwise shows only
// when someone builds the image (helm/image-smoke.sh does, outside CI).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import dockerignore from '@balena/dockerignore';
import { describe, expect, it } from 'vitest';

// The package is CommonJS (`module.exports = ignore`); its typings declare an ES default export,
// which TypeScript reads as `.default` of a CommonJS module.
const ignore = dockerignore as unknown as typeof dockerignore.default;
const repo = join(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(repo, 'Dockerfile'), 'utf8');
const context = ignore().add(readFileSync(join(repo, '.dockerignore'), 'utf8').split('\n'));

/** The sources of each COPY that reads the build context (not `--from` another stage). */
function contextSources(): string[] {
  const sources: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'COPY' || words.some((w) => w.startsWith('--from='))) continue;
    const args = words.slice(1).filter((w) => !w.startsWith('--'));
    sources.push(...args.slice(0, -1));
  }
  return [...new Set(sources)];
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(repo, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(repo.length + 1));
}

describe('Dockerfile and .dockerignore', () => {
  const sources = contextSources();

  it('finds the COPY sources it checks', () => {
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'src', 'outputs', 'ui', 'patches']));
  });

  it.each(sources)('%s is in the repository and in the build context', (source) => {
    expect(existsSync(join(repo, source)), `${source} does not exist`).toBe(true);
    expect(context.ignores(source), `.dockerignore leaves ${source} out of the build context: add !${source}`).toBe(false);
    if (statSync(join(repo, source)).isDirectory()) {
      const sent = filesUnder(source).filter((f) => !context.ignores(f));
      expect(sent.length, `.dockerignore leaves every file of ${source} out`).toBeGreaterThan(0);
    }
  });

  it('copies each patched dependency from the build stage, where npm ci applied the patch', () => {
    const patched = readdirSync(join(repo, 'patches')).map((f) => (/^(.+)\+[^+]+\.patch$/.exec(f)?.[1] ?? f).replace(/\+/g, '/'));
    expect(patched.length).toBeGreaterThan(0);
    for (const name of patched) {
      expect(dockerfile, `the deps stage installs ${name} unpatched (--ignore-scripts)`).toContain(`COPY --from=build /app/node_modules/${name} ./node_modules/${name}`);
    }
  });
});
