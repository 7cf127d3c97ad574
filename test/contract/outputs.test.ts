// Every registered output honours the plugin contract (docs/adding-an-output.md#8-the-contract-test), so adding one is one folder + one line.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { RESERVED_KEYS } from '../../src/config/common.ts';
import { envName, inspect, leafPaths } from '../../src/config/introspect.ts';
import { loadConfig, loadMentioned } from '../../src/config/load.ts';
import { entryKey, OutputRegistry } from '../../src/plugin/registry.ts';
import { outputEntries } from '../../outputs/index.ts';
import { redactConfig } from '../../src/config/redact.ts';
import { outputSchema, sectionOf, sectionPath, sharedOf } from '../../src/config/schema.ts';
import { isSecretKey } from '../../src/config/secrets.ts';
import { outputs } from '../../test/support/outputs.ts';

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

/** `{ aws: { sqs: value } }` for the path ['aws', 'sqs']. */
const nest = (path: readonly string[], value: unknown): Record<string, unknown> =>
  path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as Record<string, unknown>);

describe.each(outputs.map((p) => [p.name, p]))('output %s at its YAML location', (name, plugin) => {
  const path = sectionPath(plugin);

  it('is turned on by its example written at its section, and read back by sectionOf()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-contract-'));
    writeFileSync(join(dir, 'peregrine.yaml'), YAML.stringify(nest(path, plugin.example)));
    const { config, enabled, warnings } = loadConfig({ file: join(dir, 'peregrine.yaml'), env: {}, plugins: outputs, cwd: dir });
    expect(enabled).toEqual([name]);
    expect(warnings.filter((w) => w.includes('unknown key'))).toEqual([]);
    expect(sectionOf(config, plugin)).toMatchObject(outputSchema(plugin).parse(plugin.example) as object);
    // A daemon imports it for that file, and runs it the same.
    const registry = new OutputRegistry(outputEntries);
    const lazy = await loadMentioned(registry, { file: join(dir, 'peregrine.yaml'), env: {}, cwd: dir });
    expect(lazy.enabled).toEqual([name]);
    expect(sectionOf(lazy.config, plugin)).toEqual(sectionOf(config, plugin));
  });

  it('is turned on by the env vars of its example keys (SECTION_KEY over the whole path)', async () => {
    const scalars = (value: Record<string, unknown>, at: string[]): [string, string][] =>
      Object.entries(value).flatMap(([k, v]): [string, string][] =>
        v !== null && typeof v === 'object' && !Array.isArray(v)
          ? scalars(v as Record<string, unknown>, [...at, k])
          : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
            ? [[envName([...at, k]), String(v)]]
            : [],
      );
    const env = Object.fromEntries(scalars(plugin.example, [...path]));
    const { enabled } = loadConfig({ file: join(repo, 'test/fixtures/config/empty.yaml'), env, plugins: outputs });
    expect(enabled).toEqual([name]);
    const lazy = await loadMentioned(new OutputRegistry(outputEntries), { file: join(repo, 'test/fixtures/config/empty.yaml'), env });
    expect(lazy.enabled).toEqual([name]);
  });

  it('has its line in outputs/index.ts under its top-level YAML key', () => {
    const entry = outputEntries.find((e) => e.name === name);
    expect(entry && entryKey(entry)).toBe(path[0]);
  });

  it('never prints its secrets or its shared section\'s secrets (--print-config)', () => {
    const secretPaths = [
      ...leafPaths(outputSchema(plugin), [...path]),
      ...(plugin.shared ? leafPaths(plugin.shared.schema, [...plugin.shared.path]) : []),
    ].filter((leaf) => inspect(leaf.schema).secret);
    // A value of the secret's own shape (a URL, a 32-character key …) that contains TOPSECRET.
    const candidates = ['TOPSECRET'.padEnd(32, 'x'), 'https://hooks.example.com/TOPSECRET', 'amqp://falco:TOPSECRET@rabbitmq:5672/', 'nats://falco:TOPSECRET@nats:4222'];
    const valueFor = (leaf: (typeof secretPaths)[number]) => (leaf.kind === 'map' ? 'x-key:TOPSECRET' : (candidates.find((c) => leaf.schema.safeParse(c).success) ?? 'TOPSECRET'));
    const env = Object.fromEntries(secretPaths.map((leaf) => [envName(leaf.path), valueFor(leaf)]));
    const load = (vars: NodeJS.ProcessEnv) => loadConfig({ file: join(repo, 'test/fixtures/config/empty.yaml'), env: vars, plugins: outputs });
    // A secret that turns the output on (rabbitmq's URL) makes validate() want the example's other keys.
    const example = Object.fromEntries(Object.entries(plugin.example).flatMap(([k, v]) => (typeof v === 'string' ? [[envName([...path, k]), v]] : [])));
    let loaded: ReturnType<typeof load>;
    try {
      loaded = load(env);
    } catch {
      loaded = load({ ...example, ...env });
    }
    const { config, schema } = loaded;
    expect(JSON.stringify(redactConfig(schema, config))).not.toContain('TOPSECRET');
  });

  it('gets its shared section\'s keys (and only those) for connect()', () => {
    if (!plugin.shared) return;
    const shared = plugin.shared;
    const { config } = loadConfig({ file: join(repo, 'test/fixtures/config/empty.yaml'), env: {}, plugins: outputs });
    expect(Object.keys(sharedOf(config, plugin)).sort()).toEqual(Object.keys(shared.schema.shape).sort());
    for (const leaf of leafPaths(shared.schema)) expect(inspect(leaf.schema).description, leaf.path.join('.')).toBeTruthy();
  });
});

describe('core schema docs', () => {
  it('describes every global key', async () => {
    const { BaseSchema } = await import('../../src/config/base.ts');
    const undocumented = leafPaths(BaseSchema).filter((l) => !inspect(l.schema).description).map((l) => l.path.join('.'));
    expect(undocumented).toEqual([]);
  });
});
