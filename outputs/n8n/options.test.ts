// n8n's keys as falcosidekick 2.34.1 spells them, from env vars; the password and the header auth
// value redacted; half a pair (user/password, headerauthname/headerauthvalue) refused, naming the missing key.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';

const load = (env: Record<string, string>) => configFromEnv({ N8N_ADDRESS: 'https://n8n.example.com/webhook/falco', ...env });
const problems = (env: Record<string, string>) => envProblems({ N8N_ADDRESS: 'https://n8n.example.com/webhook/falco', ...env });

describe('n8n options', () => {
  it('loads N8N_USER, N8N_PASSWORD, N8N_HEADERAUTHNAME, N8N_HEADERAUTHVALUE and N8N_CHECKCERT into n8n.*', () => {
    const { config } = load({ N8N_USER: 'falco', N8N_PASSWORD: 'b4sic-pw', N8N_HEADERAUTHNAME: 'X-N8N-Auth', N8N_HEADERAUTHVALUE: 'h3ader-value', N8N_CHECKCERT: 'false' });
    expect(config).toMatchObject({
      n8n: { address: 'https://n8n.example.com/webhook/falco', user: 'falco', password: 'b4sic-pw', headerauthname: 'X-N8N-Auth', headerauthvalue: 'h3ader-value', checkcert: false },
    });
  });

  it('redacts the password and the header auth value', () => {
    const loaded = load({ N8N_USER: 'falco', N8N_PASSWORD: 'b4sic-pw', N8N_HEADERAUTHNAME: 'X-N8N-Auth', N8N_HEADERAUTHVALUE: 'h3ader-value' });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('b4sic-pw');
    expect(shown).not.toContain('h3ader-value');
    expect(shown).toContain('"headerauthname":"X-N8N-Auth"');
  });

  it('half a pair is a config error naming the missing key; a header name that is not one is refused', () => {
    expect(problems({ N8N_USER: 'falco' })).toEqual(['n8n.password: is required when user is set (basic auth is sent only with both)']);
    expect(problems({ N8N_HEADERAUTHVALUE: 'v' })).toEqual(['n8n.headerauthname: is required when headerauthvalue is set (header auth is sent only with both)']);
    expect(problems({ N8N_HEADERAUTHNAME: 'X-N8N-Auth' })).toEqual(['n8n.headerauthvalue: is required when headerauthname is set (header auth is sent only with both)']);
    expect(problems({ N8N_HEADERAUTHNAME: 'X N8N', N8N_HEADERAUTHVALUE: 'v' })).toEqual([expect.stringMatching(/^n8n\.headerauthname: must be an HTTP header name/)]);
    expect(problems({ N8N_USER: 'falco', N8N_PASSWORD: 'pw', N8N_HEADERAUTHNAME: 'X-N8N-Auth', N8N_HEADERAUTHVALUE: 'v' })).toEqual([]);
  });
});
