// logstash's keys as falcosidekick 2.34.1 spells them, from env vars, with its defaults.
import { describe, expect, it } from 'vitest';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import logstash from './index.ts';

describe('logstash options', () => {
  it('loads LOGSTASH_ADDRESS, _PORT, _TLS, _MUTUALTLS, _CHECKCERT, _CERTFILE, _KEYFILE, _CACERTFILE, _TAGS', () => {
    const { config } = configFromEnv({
      LOGSTASH_ADDRESS: 'logstash.local',
      LOGSTASH_PORT: '5045',
      LOGSTASH_TLS: 'true',
      LOGSTASH_MUTUALTLS: 'true',
      LOGSTASH_CHECKCERT: 'true',
      LOGSTASH_CERTFILE: '/c.crt',
      LOGSTASH_KEYFILE: '/c.key',
      LOGSTASH_CACERTFILE: '/ca.crt',
      LOGSTASH_TAGS: 'a, b,c',
    });
    expect(config).toMatchObject({
      logstash: { address: 'logstash.local', port: 5045, tls: true, mutualtls: true, checkcert: true, certfile: '/c.crt', keyfile: '/c.key', cacertfile: '/ca.crt', tags: ['a', 'b', 'c'] },
    });
  });

  it("falcosidekick's defaults: port 5044, no TLS, checkcert false, no tags; on only with address", () => {
    const empty = logstash.schema.parse({});
    expect(empty).toEqual({ address: '', port: 5044, tls: false, mutualtls: false, checkcert: false, certfile: '', keyfile: '', cacertfile: '', tags: [] });
    expect(logstash.enabled(empty)).toBe(false);
    expect(logstash.enabled(logstash.schema.parse({ address: '10.0.0.1' }))).toBe(true);
    expect(logstash.schema.parse({ address: 'l', port: '5000', tags: ['x'] })).toMatchObject({ port: 5000, tags: ['x'] });
  });

  it('a port that is not one is a startup problem naming the key', () => {
    expect(envProblems({ LOGSTASH_ADDRESS: 'l', LOGSTASH_PORT: 'http' })).toEqual([expect.stringMatching(/^logstash\.port: .*port number/)]);
    expect(envProblems({ LOGSTASH_ADDRESS: 'l', LOGSTASH_PORT: '70000' })).toEqual([expect.stringMatching(/^logstash\.port: .*1-65535/)]);
    expect(envProblems({ LOGSTASH_ADDRESS: 'l', LOGSTASH_PORT: '0' })).toEqual([expect.stringMatching(/^logstash\.port: .*1-65535/)]);
  });
});
