// datadog's keys as falcosidekick 2.34.1 spells them, from env vars; the API key redacted; the URL
// falcosidekick posts to (host + /api/v1/events?api_key=<key>).
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv } from '../../test/support/config.ts';
import datadog from './index.ts';

describe('datadog options', () => {
  it('loads DATADOG_APIKEY, DATADOG_HOST, DATADOG_MINIMUMPRIORITY, DATADOG_CHECKCERT and DATADOG_MAXCONCURRENTREQUESTS', () => {
    const { config } = configFromEnv({ DATADOG_APIKEY: 'k3y', DATADOG_HOST: 'https://api.datadoghq.eu', DATADOG_MINIMUMPRIORITY: 'warning', DATADOG_CHECKCERT: 'false', DATADOG_MAXCONCURRENTREQUESTS: '4' });
    expect(config).toMatchObject({ datadog: { apikey: 'k3y', host: 'https://api.datadoghq.eu', minimumpriority: 'warning', checkcert: false, maxconcurrentrequests: 4 } });
  });

  it("is on only with an API key; the host defaults to falcosidekick's https://api.datadoghq.com", () => {
    const empty = datadog.schema.parse({});
    expect(empty).toMatchObject({ apikey: '', host: 'https://api.datadoghq.com' });
    expect(datadog.enabled(empty)).toBe(false);
    expect(datadog.enabled(datadog.schema.parse({ apikey: 'k' }))).toBe(true);
    expect(datadog.schema.safeParse({ apikey: 'k', host: 'api.datadoghq.com' }).success).toBe(false);
    // falcosidekick's chart writes host: "": the default, as falcosidekick reads it.
    expect(datadog.schema.parse({ apikey: 'k', host: '' }).host).toBe('https://api.datadoghq.com');
  });

  it('redacts the API key', () => {
    const loaded = configFromEnv({ DATADOG_APIKEY: 'S3cretK3yValue' });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('S3cretK3yValue');
    expect(shown).toContain('"apikey":"***"');
  });
});
