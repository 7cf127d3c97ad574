// A daemon pays only for the outputs it runs: importing an output's module (a daemon imports those
// its config mentions, src/plugin/registry.ts) and building the config schema load none of the
// packages an output needs only once it connects (SDKs, protocol clients, yaml). Each of them costs megabytes of idle RSS
// (docs/performance.md#idle-rss): kubeconfig parsing once loaded yaml for every daemon (12 MB).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const LAZY = /^(yaml|kafkajs|@aws-sdk\/.*|@smithy\/.*|@elastic\/.*|@google-cloud\/.*|google-auth-library|google-gax|@grpc\/.*|pg|amqplib|mqtt|@nats-io\/.*|redis|@redis\/.*|nodemailer|undici|handlebars)$/;

describe('packages loaded at start', () => {
  it('every output module and the config schema load no output SDK, protocol client or yaml', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'peregrine-lazy-')), 'packages.json');
    const script = `const { outputEntries } = await import(${JSON.stringify(join(repo, 'outputs/index.ts'))});
      const { loadAllOutputs } = await import(${JSON.stringify(join(repo, 'src/plugin/registry.ts'))});
      const outputs = await loadAllOutputs(outputEntries);
      const { buildConfigSchema } = await import(${JSON.stringify(join(repo, 'src/config/schema.ts'))});
      buildConfigSchema(outputs).parse({});`;
    const run = spawnSync(process.execPath, ['--import', join(repo, 'bench/loaded-packages.ts'), '--input-type=module', '-e', script], {
      env: { ...process.env, LOADED_PACKAGES_OUT: out },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const loaded = Object.keys(JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>);
    expect(loaded).toContain('zod'); // the hook saw the packages
    expect(loaded.filter((name) => LAZY.test(name))).toEqual([]);
  });
});
