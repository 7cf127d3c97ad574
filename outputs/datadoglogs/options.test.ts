// datadoglogs's keys as falcosidekick 2.34.1 spells them, from env vars; the API key redacted.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv } from '../../test/support/config.ts';
import datadoglogs from './index.ts';

describe('datadoglogs options', () => {
  it('loads DATADOGLOGS_APIKEY, _HOST, _SERVICE, _MINIMUMPRIORITY, _CHECKCERT and _MAXCONCURRENTREQUESTS', () => {
    const { config } = configFromEnv({
      DATADOGLOGS_APIKEY: 'k3y',
      DATADOGLOGS_HOST: 'https://http-intake.logs.datadoghq.eu',
      DATADOGLOGS_SERVICE: 'falco',
      DATADOGLOGS_MINIMUMPRIORITY: 'notice',
      DATADOGLOGS_CHECKCERT: 'false',
      DATADOGLOGS_MAXCONCURRENTREQUESTS: '3',
    });
    expect(config).toMatchObject({ datadoglogs: { apikey: 'k3y', host: 'https://http-intake.logs.datadoghq.eu', service: 'falco', minimumpriority: 'notice', checkcert: false, maxconcurrentrequests: 3 } });
  });

  it("is on only with an API key; falcosidekick's defaults", () => {
    const empty = datadoglogs.schema.parse({});
    expect(empty).toMatchObject({ apikey: '', host: 'https://http-intake.logs.datadoghq.com/', service: '' });
    expect(datadoglogs.enabled(empty)).toBe(false);
    expect(datadoglogs.enabled(datadoglogs.schema.parse({ apikey: 'k' }))).toBe(true);
    expect(datadoglogs.schema.parse({ apikey: 'k', host: '' }).host).toBe('https://http-intake.logs.datadoghq.com/'); // the chart's host: ""
    expect(datadoglogs.legacySettings?.(datadoglogs.schema.parse({ apikey: 'k', maxconcurrentrequests: 4 }))).toEqual({ maxconcurrency: 4 });
  });

  it('redacts the API key', () => {
    const loaded = configFromEnv({ DATADOGLOGS_APIKEY: 'S3cretK3yValue' });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('S3cretK3yValue');
    expect(shown).toContain('"apikey":"***"');
  });
});
