import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliverySettings } from '../../src/app.ts';
import type { OutputSection } from '../../src/config/schema.ts';
import { loadConfig } from '../../src/config/load.ts';
import { outputs } from '../../test/support/outputs.ts';
import { fixturesDir } from '../../test/support/fixtures.ts';
import plugin from './index.ts';
import { parseGoDuration, type ElasticsearchOptions } from './options.ts';

const load = (yaml: string, env: NodeJS.ProcessEnv = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-es-'));
  writeFileSync(join(dir, 'p.yaml'), yaml);
  return loadConfig({ file: join(dir, 'p.yaml'), env, plugins: outputs, cwd: dir });
};
const section = (loaded: ReturnType<typeof load>) => (loaded.config as unknown as Record<string, OutputSection & ElasticsearchOptions>).elasticsearch as OutputSection & ElasticsearchOptions;

describe('elasticsearch options', () => {
  it('loads the seed block of the user values unchanged and turns the output on', () => {
    const loaded = loadConfig({ file: join(fixturesDir, 'config/seed.yaml'), env: {}, plugins: outputs });
    expect(loaded.enabled).toContain('elasticsearch');
    expect(section(loaded)).toMatchObject({
      hostport: 'https://elasticsearch.example.com:9200',
      index: 'falco-alerts',
      type: '_doc',
      username: 'elastic',
      password: 'changeme',
      mutualtls: false,
      checkcert: true,
      suffix: 'daily',
      minimumpriority: '',
      flavor: 'auto',
    });
    expect(deliverySettings(section(loaded), plugin)).toMatchObject({ maxconcurrency: 2, batch: { maxevents: 1000, maxbytes: 5 * 1024 * 1024, flushms: 1000 } });
  });

  it('maps falcosidekick batching.* and maxconcurrentrequests to the core settings; core keys win', () => {
    const legacy = load('elasticsearch:\n  hostport: http://es:9200\n  maxconcurrentrequests: 4\n  batching:\n    enabled: true\n    batchsize: "1048576"\n    flushinterval: 250ms\n');
    expect(deliverySettings(section(legacy), plugin)).toMatchObject({ maxconcurrency: 4, batch: { maxevents: 1000, maxbytes: 1_048_576, flushms: 250 } });
    const both = load('elasticsearch:\n  hostport: http://es:9200\n  maxconcurrency: 3\n  maxconcurrentrequests: 4\n  batch:\n    flushms: 50\n  batching:\n    flushinterval: 2s\n');
    expect(deliverySettings(section(both), plugin)).toMatchObject({ maxconcurrency: 3, batch: { flushms: 50 } });
    const env = load('elasticsearch:\n  hostport: http://es:9200\n', { ELASTICSEARCH_BATCHING_BATCHSIZE: '2048', ELASTICSEARCH_BATCHING_FLUSHINTERVAL: '1m30s', ELASTICSEARCH_APIKEY: 'k' });
    expect(deliverySettings(section(env), plugin).batch).toMatchObject({ maxbytes: 2048, flushms: 90_000 });
    expect(section(env).apikey).toBe('k');
  });

  it('refuses a bad suffix, flavor or duration with the key path', () => {
    expect(() => load('elasticsearch:\n  hostport: http://es:9200\n  suffix: weekly\n')).toThrow(/elasticsearch\.suffix/);
    expect(() => load('elasticsearch:\n  hostport: http://es:9200\n  flavor: solr\n')).toThrow(/elasticsearch\.flavor/);
    expect(() => load('elasticsearch:\n  hostport: http://es:9200\n  index: Falco\n')).toThrow(/elasticsearch\.index.*lower case/s);
    expect(() => load('elasticsearch:\n  hostport: http://es:9200\n  index: _falco\n')).toThrow(/elasticsearch\.index/);
    expect(load('elasticsearch:\n  hostport: http://es:9200\n  index: falco-alerts.v2\n').enabled).toContain('elasticsearch');
    expect(() => load('elasticsearch:\n  hostport: http://es:9200\n  batching:\n    flushinterval: soon\n')).toThrow(/flushinterval/);
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('1s')).toBe(1000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('1h2m3s')).toBe(3_723_000);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('10')).toBeUndefined();
  });
});
