import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError, type ConfigProblem } from '../../src/errors.ts';
import { outputs } from '../../test/support/outputs.ts';
import { configFromYaml } from '../../test/support/config.ts';

function problems(load: () => unknown): ConfigProblem[] {
  try {
    load();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('syslog options', () => {
  it('falcosidekick\'s keys: port as a string or a number, protocol and format in any letter case', () => {
    const a = configFromYaml('syslog:\n  host: 10.0.0.1\n  port: "514"\n  protocol: UDP\n  format: CEF\n');
    expect(a.config).toMatchObject({ syslog: { host: '10.0.0.1', port: 514, protocol: 'udp', format: 'cef' } });
    expect(a.enabled).toContain('syslog');
    const b = configFromYaml('syslog:\n  host: syslog.example.com\n  port: 6514\n');
    expect(b.config).toMatchObject({ syslog: { port: 6514, protocol: 'tcp', format: 'json' } });
  });

  it('from env vars, as the chart passes them', () => {
    const { config, enabled } = loadConfig({ env: { SYSLOG_HOST: '[::1]', SYSLOG_PORT: '1514', SYSLOG_PROTOCOL: 'tcp', SYSLOG_FORMAT: 'json', SYSLOG_MINIMUMPRIORITY: 'warning' }, plugins: outputs, cwd: tmpdir() });
    expect(config).toMatchObject({ syslog: { host: '[::1]', port: 1514, protocol: 'tcp', format: 'json', minimumpriority: 'warning' } });
    expect(enabled).toContain('syslog');
  });

  it('off without a host', () => {
    expect(configFromYaml('syslog:\n  port: 514\n').enabled).not.toContain('syslog');
  });

  it('a protocol other than tcp or udp is a config error (falcosidekick refuses it at start)', () => {
    expect(problems(() => configFromYaml('syslog:\n  host: h\n  port: 514\n  protocol: tls\n'))).toEqual([
      expect.objectContaining({ path: 'syslog.protocol', env: 'SYSLOG_PROTOCOL', message: expect.stringContaining('must be one of tcp, udp') }),
    ]);
  });

  it('a missing or impossible port is a config error', () => {
    expect(problems(() => configFromYaml('syslog:\n  host: h\n'))).toEqual([
      expect.objectContaining({ path: 'syslog.port', message: 'required when syslog.host is set (syslog servers usually listen on 514)' }),
    ]);
    expect(problems(() => configFromYaml('syslog:\n  host: h\n  port: "51a"\n'))).toEqual([expect.objectContaining({ path: 'syslog.port', message: expect.stringContaining('must be a port number such as 514') })]);
    expect(problems(() => configFromYaml('syslog:\n  host: h\n  port: 70000\n'))).toEqual([expect.objectContaining({ path: 'syslog.port', message: expect.stringContaining('1-65535') })]);
  });

  it('a format other than json or cef is a config error (falcosidekick sent JSON for it)', () => {
    expect(problems(() => configFromYaml('syslog:\n  host: h\n  port: 514\n  format: text\n'))).toEqual([
      expect.objectContaining({ path: 'syslog.format', message: expect.stringContaining('must be one of json, cef') }),
    ]);
  });
});
