import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.ts';
import { redactConfig } from '../../../src/config/redact.ts';
import { ConfigError } from '../../../src/errors.ts';
import { outputs } from '../../../outputs/index.ts';
import { configFromYaml } from '../../support/config.ts';
import { fixtureText } from '../../support/fixtures.ts';

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config loading', () => {
  it('uses the embedded default (stdout on) when there is no file', () => {
    const loaded = loadConfig({ plugins: outputs, env: {}, cwd: '/nonexistent' });
    expect(loaded.source).toBe('embedded default');
    expect(loaded.enabled).toEqual(['stdout']);
    expect(loaded.config.listenport).toBe(2801);
    // Acknowledged means on disk: the spool is on unless a config turns it off (memory-only mode).
    expect(loaded.config.spool).toMatchObject({ enabled: true, dir: './data' });
  });

  it('loads the falcosidekick seed values unchanged', () => {
    const loaded = configFromYaml(fixtureText('config/seed.yaml'));
    expect(loaded.enabled).toContain('webhook');
    expect(loaded.config.webhook).toMatchObject({ address: 'https://your-siem.example.com/api/v1/events', method: 'POST', customheaders: { 'X-Source': 'falco' } });
    expect(loaded.config.customfields).toMatchObject({ environment: 'production', cluster_name: 'us-east-1-prod' });
  });

  it('overlays env vars: SECTION_KEY, numbers, booleans, maps with ":" in values, lists', () => {
    const loaded = configFromYaml('webhook:\n  address: http://a.example/x\n', {
      WEBHOOK_ADDRESS: 'http://b.example/y',
      WEBHOOK_MINIMUMPRIORITY: 'error',
      WEBHOOK_TIMEOUTMS: '2500',
      WEBHOOK_CHECKCERT: 'false',
      WEBHOOK_RETRY_MAXATTEMPTS: '7',
      CUSTOMFIELDS: 'a:b,url:http://x:8080/p',
      CUSTOMTAGS: 'one, two',
      LISTENPORT: '3000',
    });
    expect(loaded.config.webhook).toMatchObject({ address: 'http://b.example/y', minimumpriority: 'error', timeoutms: 2500, checkcert: false, retry: { maxattempts: 7 } });
    expect(loaded.config.customfields).toEqual({ a: 'b', url: 'http://x:8080/p' });
    expect(loaded.config.customtags).toEqual(['one', 'two']);
    expect(loaded.config.listenport).toBe(3000);
    expect(loaded.envApplied).toContain('WEBHOOK_ADDRESS');
  });

  it('refuses an unknown minimumpriority instead of treating it as "all"', () => {
    const found = problems(() => configFromYaml('webhook:\n  address: http://a.example/\n  minimumpriority: urgent\n'));
    expect(found).toEqual([expect.objectContaining({ path: 'webhook.minimumpriority', env: 'WEBHOOK_MINIMUMPRIORITY' })]);
    expect(found[0]?.message).toMatch(/"urgent" is not a Falco priority; use one of Debug/);
  });

  it('lists every problem at once: bad URL, bad method, typo with suggestion, wrong type', () => {
    const found = problems(() =>
      configFromYaml('listenport: "abc"\nwebhook:\n  address: "ftp://x"\n  method: GET\n  minimumpriorty: error\ncustomfeilds:\n  a: b\n'),
    );
    const byPath = Object.fromEntries(found.map((p) => [p.path, p]));
    expect(byPath['webhook.address']?.message).toContain('http(s) URL');
    expect(byPath['webhook.method']?.message).toContain('POST or PUT');
    expect(byPath['webhook.minimumpriorty']?.message).toContain('did you mean "webhook.minimumpriority"');
    expect(byPath.customfeilds?.message).toContain('did you mean "customfields"');
    expect(byPath.listenport?.env).toBe('LISTENPORT');
  });

  it('matches keys case-insensitively like falcosidekick, but keeps map keys as written', () => {
    const loaded = configFromYaml('Webhook:\n  Address: http://a.example/\n  CustomHeaders:\n    X-Source: falco\nOutputFieldFormat: ""\n');
    expect(loaded.config.webhook).toMatchObject({ address: 'http://a.example/', customheaders: { 'X-Source': 'falco' } });
  });

  it('warns about configured falcosidekick outputs it does not have, and ignores empty ones', () => {
    const loaded = configFromYaml('mattermost:\n  webhookurl: "https://hooks.example/x"\nloki:\n  hostport: ""\n');
    expect(loaded.warnings.join('\n')).toMatch(/"mattermost" is a falcosidekick output that Peregrine does not have/);
    expect(loaded.warnings.join('\n')).not.toMatch(/loki/);
  });

  it('names a template that does not compile', () => {
    const found = problems(() => configFromYaml('templatedfields:\n  score: "{{ if eq .Priority }}"\n'));
    expect(found[0]?.path).toBe('templatedfields.score');
  });

  it('reports YAML syntax errors with the file', () => {
    const found = problems(() => configFromYaml('webhook:\n  address: [\n'));
    expect(found[0]?.message).toMatch(/peregrine\.yaml/);
  });

  it('redacts secrets: marked fields, secret-looking header names and URL passwords', () => {
    const loaded = configFromYaml(
      'ingest:\n  token: s3cret-token\nwebhook:\n  address: "https://user:hunter2@siem.example/x"\n  customheaders:\n    Authorization: Bearer abc\n    X-Source: falco\n',
    );
    const printed = JSON.stringify(redactConfig(loaded.schema, loaded.config));
    expect(printed).not.toMatch(/s3cret-token|hunter2|Bearer abc/);
    expect(printed).toContain('"X-Source":"falco"');
    expect(printed).toContain('https://user:***@siem.example/x');
  });
});
