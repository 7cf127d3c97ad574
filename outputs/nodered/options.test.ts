// nodered's keys as falcosidekick 2.34.1 spells them, from env vars; the password and the custom
// headers redacted; a user without a password (or the reverse) refused, naming the missing key.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';

const load = (env: Record<string, string>) => configFromEnv({ NODERED_ADDRESS: 'http://node-red:1880/falco', ...env });
const problems = (env: Record<string, string>) => envProblems({ NODERED_ADDRESS: 'http://node-red:1880/falco', ...env });

describe('nodered options', () => {
  it('loads NODERED_USER, NODERED_PASSWORD, NODERED_CUSTOMHEADERS and NODERED_CHECKCERT into nodered.*', () => {
    const { config } = load({ NODERED_USER: 'falco', NODERED_PASSWORD: 's3cr3t-pw', NODERED_CUSTOMHEADERS: 'X-Source:falco,X-Team:sec', NODERED_CHECKCERT: 'false' });
    expect(config).toMatchObject({
      nodered: { address: 'http://node-red:1880/falco', user: 'falco', password: 's3cr3t-pw', customheaders: { 'x-source': 'falco', 'x-team': 'sec' }, checkcert: false },
    });
  });

  it('redacts the password and the custom headers', () => {
    const loaded = load({ NODERED_USER: 'falco', NODERED_PASSWORD: 's3cr3t-pw', NODERED_CUSTOMHEADERS: 'X-Token:t0k3n-value' });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('s3cr3t-pw');
    expect(shown).not.toContain('t0k3n-value');
    expect(shown).toContain('"password":"***"');
  });

  it('user without password, or password without user: a config error naming the missing key', () => {
    expect(problems({ NODERED_USER: 'falco' })).toEqual(['nodered.password: is required when user is set (basic auth is sent only with both)']);
    expect(problems({ NODERED_PASSWORD: 'pw' })).toEqual(['nodered.user: is required when password is set (basic auth is sent only with both)']);
    expect(problems({ NODERED_USER: 'falco', NODERED_PASSWORD: 'pw' })).toEqual([]);
    expect(problems({})).toEqual([]);
  });
});
