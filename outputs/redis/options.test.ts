import { describe, expect, it } from 'vitest';
import { configFromYaml, envProblems, configFromEnv } from '../../test/support/config.ts';
import { target } from './options.ts';

describe('redis options', () => {
  it('falcosidekick\'s defaults: list under "falco", database 0, no TLS, checkcert on', () => {
    const { config, enabled } = configFromYaml('redis:\n  address: redis:6379\n');
    expect(enabled).toContain('redis');
    expect(config).toMatchObject({
      redis: { address: 'redis:6379', username: '', password: '', database: 0, storagetype: 'list', key: 'falco', tls: false, mutualtls: false, checkcert: true, certfile: '', keyfile: '', cacertfile: '' },
    });
  });

  it('the chart\'s and config_example.yaml\'s spellings: database as a string or "", storagetype in any case, key "" = falco', () => {
    const { config } = configFromYaml('redis:\n  address: 10.0.0.1:6380\n  database: "3"\n  storagetype: HashMap\n  key: ""\n');
    expect(config).toMatchObject({ redis: { database: 3, storagetype: 'hashmap', key: 'falco' } });
    expect(configFromYaml('redis:\n  address: r:1\n  database: ""\n  storagetype: ""\n').config).toMatchObject({ redis: { database: 0, storagetype: 'list' } });
  });

  it('from env vars, as the chart passes them', () => {
    const { config, enabled } = configFromEnv({ REDIS_ADDRESS: 'redis.ns.svc:6379', REDIS_PASSWORD: 'pw', REDIS_DATABASE: '2', REDIS_STORAGETYPE: 'hashmap', REDIS_KEY: 'alerts', REDIS_MINIMUMPRIORITY: 'warning', REDIS_TLS: 'true', REDIS_CHECKCERT: 'false' });
    expect(enabled).toContain('redis');
    expect(config).toMatchObject({ redis: { address: 'redis.ns.svc:6379', password: 'pw', database: 2, storagetype: 'hashmap', key: 'alerts', minimumpriority: 'warning', tls: true, checkcert: false } });
  });

  it('off without an address', () => {
    expect(configFromYaml('redis:\n  key: falco\n').enabled).not.toContain('redis');
  });

  it('a storagetype falcosidekick would silently read as list, a URL, a bad port or database: config errors naming the key', () => {
    expect(envProblems({ REDIS_ADDRESS: 'r:6379', REDIS_STORAGETYPE: 'hashset' })).toEqual(['redis.storagetype: must be list or hashmap']);
    expect(envProblems({ REDIS_ADDRESS: 'redis://r:6379' })).toEqual(['redis.address: must be host:port, e.g. "redis:6379" (a URL such as redis://… is not read, as in falcosidekick)']);
    expect(envProblems({ REDIS_ADDRESS: 'r:70000' })).toEqual(['redis.address: must be host:port, e.g. "redis:6379" (a URL such as redis://… is not read, as in falcosidekick)']);
    expect(envProblems({ REDIS_ADDRESS: 'r:6379', REDIS_DATABASE: 'one' })).toEqual(['redis.database: must be a database number such as 0']);
  });

  it('target: host and port, IPv6 in brackets, 6379 when the port is left out', () => {
    expect(target('redis:6380')).toEqual({ host: 'redis', port: 6380 });
    expect(target('[::1]:6379')).toEqual({ host: '::1', port: 6379 });
    expect(target('redis.ns.svc')).toEqual({ host: 'redis.ns.svc', port: 6379 });
  });
});
