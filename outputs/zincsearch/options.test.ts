// zincsearch's keys as falcosidekick 2.34.1 spells them, from env vars; its defaults; the URL.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import zincsearch from './index.ts';

describe('zincsearch options', () => {
  it('loads ZINCSEARCH_HOSTPORT, _INDEX, _USERNAME, _PASSWORD, _CHECKCERT', () => {
    const { config } = configFromEnv({ ZINCSEARCH_HOSTPORT: 'http://zinc:4080', ZINCSEARCH_INDEX: 'alerts', ZINCSEARCH_USERNAME: 'admin', ZINCSEARCH_PASSWORD: 'pw', ZINCSEARCH_CHECKCERT: 'false' });
    expect(config).toMatchObject({ zincsearch: { hostport: 'http://zinc:4080', index: 'alerts', username: 'admin', password: 'pw', checkcert: false } });
  });

  it("falcosidekick's defaults (index falco, checkcert true); on only with hostport", () => {
    const empty = zincsearch.schema.parse({});
    expect(empty).toMatchObject({ hostport: '', index: 'falco', username: '', password: '', checkcert: true });
    expect(zincsearch.enabled(empty)).toBe(false);
    expect(zincsearch.enabled(zincsearch.schema.parse({ hostport: 'http://zinc:4080' }))).toBe(true);
  });

  it('a username without a password is a startup problem naming the key', () => {
    expect(envProblems({ ZINCSEARCH_HOSTPORT: 'http://zinc:4080', ZINCSEARCH_USERNAME: 'admin' })).toEqual([expect.stringMatching(/^zincsearch\.password: is required when username is set/)]);
  });

  it.each(['', '_falco', 'fal co', 'falco/x'])('index %j, which ZincSearch refuses with a 500 on every alert, is a startup problem', (index) => {
    expect(zincsearch.validate?.(zincsearch.schema.parse({ hostport: 'http://zinc:4080', index }))).toEqual([{ path: 'index', message: expect.stringMatching(/^must be letters, digits/) }]);
  });

  it('redacts the password', () => {
    const loaded = configFromEnv({ ZINCSEARCH_HOSTPORT: 'http://zinc:4080', ZINCSEARCH_USERNAME: 'u', ZINCSEARCH_PASSWORD: 'S3cretPw' });
    expect(JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>))).not.toContain('S3cretPw');
  });
});
