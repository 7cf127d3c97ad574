// Every registered output honours the plugin contract (docs/adding-an-output.md#8-the-contract-test), so adding one is one folder + one line.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { RESERVED_KEYS } from '../../src/config/common.ts';
import { inspect, leafPaths } from '../../src/config/introspect.ts';
import { outputSchema } from '../../src/config/schema.ts';
import { isSecretKey } from '../../src/config/secrets.ts';
import { outputs } from '../../outputs/index.ts';

const repo = join(import.meta.dirname, '../..');

describe.each(outputs.map((p) => [p.name, p]))('output %s', (name, plugin) => {
  it('lives in outputs/<name>/ with the same name everywhere', () => {
    expect(name).toMatch(/^[a-z][a-z0-9]*$/);
    expect(existsSync(join(repo, 'outputs', name, 'index.ts'))).toBe(true);
  });

  it('describes every option (docs live in the schema)', () => {
    const undocumented = leafPaths(outputSchema(plugin))
      .filter((leaf) => !inspect(leaf.schema).description)
      .map((leaf) => leaf.path.join('.'));
    expect(undocumented).toEqual([]);
    expect(plugin.description.length).toBeGreaterThan(10);
  });

  it('does not redeclare core-owned keys', () => {
    for (const key of RESERVED_KEYS) expect(Object.keys(plugin.schema.shape)).not.toContain(key);
  });

  it('has an example that parses and turns the output on', () => {
    const parsed = outputSchema(plugin).parse(plugin.example) as z.output<typeof plugin.schema>;
    expect(plugin.enabled(parsed)).toBe(true);
  });

  it('is off when nothing is configured', () => {
    expect(plugin.enabled(outputSchema(plugin).parse({}) as z.output<typeof plugin.schema>)).toBe(false);
  });

  it('marks secret-looking options as secret', () => {
    for (const leaf of leafPaths(plugin.schema)) {
      const key = leaf.path[leaf.path.length - 1] ?? '';
      if (isSecretKey(key)) expect(inspect(leaf.schema).secret, `${name}.${key}`).toBe(true);
    }
  });

  it('has batching defaults within sane bounds when it batches', () => {
    if (!plugin.batch) return;
    expect(plugin.batch.maxevents).toBeGreaterThanOrEqual(1);
    expect(plugin.batch.maxbytes).toBeGreaterThan(1000);
  });
});

describe('core schema docs', () => {
  it('describes every global key', async () => {
    const { BaseSchema } = await import('../../src/config/base.ts');
    const undocumented = leafPaths(BaseSchema).filter((l) => !inspect(l.schema).description).map((l) => l.path.join('.'));
    expect(undocumented).toEqual([]);
  });
});
