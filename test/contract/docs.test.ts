// Generated docs are checked, never edited (DESIGN §9.2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceYaml, renderReadme } from '../../scripts/gen-docs.ts';

const repo = join(import.meta.dirname, '../..');

describe('generated docs', () => {
  it('config/reference.yaml matches the schema', () => {
    expect(readFileSync(join(repo, 'config/reference.yaml'), 'utf8')).toBe(referenceYaml());
  });
  it('the README options tables match the schema', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    expect(readme).toBe(renderReadme(readme));
  });
});
