import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv, configFromYaml, envProblems } from '../../test/support/config.ts';
import { parseServers } from './options.ts';

describe('nats options', () => {
  it('falcosidekick\'s defaults: subject falco.<priority>.<rule>, checkcert on', () => {
    const { config, enabled } = configFromYaml('nats:\n  hostport: nats://nats:4222\n');
    expect(enabled).toContain('nats');
    expect(config).toMatchObject({ nats: { hostport: 'nats://nats:4222', subjecttemplate: 'falco.<priority>.<rule>', checkcert: true, mutualtls: false, cacertfile: '' } });
  });

  it('from env vars, as the chart passes them; an empty template is the default', () => {
    const { config } = configFromEnv({ NATS_HOSTPORT: 'nats://u:p@nats:4222', NATS_SUBJECTTEMPLATE: '', NATS_MINIMUMPRIORITY: 'error', NATS_CHECKCERT: 'false' });
    expect(config).toMatchObject({ nats: { hostport: 'nats://u:p@nats:4222', subjecttemplate: 'falco.<priority>.<rule>', minimumpriority: 'error', checkcert: false } });
  });

  it('off without a hostport', () => {
    expect(configFromYaml('nats:\n  subjecttemplate: a.b\n').enabled).not.toContain('nats');
  });

  it('what nats.go could not use is a config error naming the key', () => {
    const url = 'nats.hostport: must be nats://host:port (or tls://host:port for TLS; user:password@ or token@ before the host; several separated by commas)';
    expect(envProblems({ NATS_HOSTPORT: 'nats:4222' })).toEqual([url]);
    expect(envProblems({ NATS_HOSTPORT: 'http://nats:4222' })).toEqual([url]);
    expect(envProblems({ NATS_HOSTPORT: 'nats://nats:4222', NATS_SUBJECTTEMPLATE: 'falco <rule>' })).toEqual(['nats.subjecttemplate: must not contain spaces (a NATS subject cannot)']);
  });

  it('the hostport is a secret (it may hold a password): never printed', () => {
    const { config, schema } = configFromEnv({ NATS_HOSTPORT: 'nats://falco:hunter2@nats:4222' });
    expect(JSON.stringify(redactConfig(schema, config))).not.toContain('hunter2');
  });

  it('parseServers: host:port for nats.js, TLS by scheme, user:password or a token from the URL (as nats.go reads it), port 4222 by default', () => {
    expect(parseServers('nats://nats:4222')).toEqual([{ server: 'nats:4222', tls: false }]);
    expect(parseServers('tls://nats.example.com')).toEqual([{ server: 'nats.example.com:4222', tls: true }]);
    expect(parseServers('nats://falco:p%40ss@10.0.0.1:4223, nats://s3cr3t@[::1]')).toEqual([
      { server: '10.0.0.1:4223', tls: false, user: 'falco', pass: 'p@ss' },
      { server: '[::1]:4222', tls: false, token: 's3cr3t' },
    ]);
  });
});
