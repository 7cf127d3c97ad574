// openobserve's keys as falcosidekick 2.34.1 spells them, from env vars; secrets redacted; the URL.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import openobserve from './index.ts';

describe('openobserve options', () => {
  it('loads OPENOBSERVE_HOSTPORT, _ORGANIZATIONNAME, _STREAMNAME, _USERNAME, _PASSWORD, _CUSTOMHEADERS, _CHECKCERT, _MAXCONCURRENTREQUESTS', () => {
    const { config } = configFromEnv({
      OPENOBSERVE_HOSTPORT: 'http://o2:5080',
      OPENOBSERVE_ORGANIZATIONNAME: 'sec',
      OPENOBSERVE_STREAMNAME: 'alerts',
      OPENOBSERVE_USERNAME: 'root@example.com',
      OPENOBSERVE_PASSWORD: 'pw',
      OPENOBSERVE_CUSTOMHEADERS: 'X-A:1',
      OPENOBSERVE_CHECKCERT: 'false',
      OPENOBSERVE_MAXCONCURRENTREQUESTS: '1',
    });
    expect(config).toMatchObject({ openobserve: { hostport: 'http://o2:5080', organizationname: 'sec', streamname: 'alerts', username: 'root@example.com', password: 'pw', customheaders: { 'x-a': '1' }, checkcert: false, maxconcurrentrequests: 1 } });
  });

  it("is on only with hostport; falcosidekick's defaults (organization default, stream falco)", () => {
    const empty = openobserve.schema.parse({});
    expect(empty).toMatchObject({ hostport: '', organizationname: 'default', streamname: 'falco', username: '', password: '' });
    expect(openobserve.enabled(empty)).toBe(false);
    expect(openobserve.enabled(openobserve.schema.parse({ hostport: 'http://o2:5080' }))).toBe(true);
  });

  it('a username without a password is a startup problem naming the key', () => {
    expect(envProblems({ OPENOBSERVE_HOSTPORT: 'http://o2:5080', OPENOBSERVE_USERNAME: 'u' })).toEqual([expect.stringMatching(/^openobserve\.password: is required when username is set/)]);
  });

  it('an empty organization or stream is a problem (the URL would be /api//falco/_multi)', () => {
    expect(openobserve.validate?.(openobserve.schema.parse({ hostport: 'http://o2:5080', organizationname: '', streamname: '' }))).toEqual([
      { path: 'organizationname', message: 'must not be empty (it is part of the ingestion URL)' },
      { path: 'streamname', message: 'must not be empty (it is part of the ingestion URL)' },
    ]);
  });

  it('redacts the password and the custom headers', () => {
    const loaded = configFromEnv({ OPENOBSERVE_HOSTPORT: 'http://o2:5080', OPENOBSERVE_USERNAME: 'u', OPENOBSERVE_PASSWORD: 'S3cretPw', OPENOBSERVE_CUSTOMHEADERS: 'X-Token:t0k3n' });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('S3cretPw');
    expect(shown).not.toContain('t0k3n');
  });
});
