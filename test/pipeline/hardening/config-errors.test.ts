// Config problems that ended in a stack trace, passed --check-config and then failed the start, or
// were silent: each now gets the precise error of the rest of the config system (dotted path, env
// var, what to do), all problems are listed at once, and the shutdown log says what the spool keeps.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { outputs } from '../../../test/support/outputs.ts';
import { daemonEnv, freePort, NODE_COMPILE_CACHE, nodeBin, repoDir, startDaemonReady, writeConfig, type Daemon } from '../../support/daemon.ts';

const daemons: Daemon[] = [];
afterEach(() => {
  for (const d of daemons.splice(0)) if (d.child.exitCode === null) d.child.kill('SIGKILL');
});

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): { path: string; env?: string; message: string }[] {
  try {
    loadConfig({ file: writeConfig(yaml), env, plugins: outputs });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

function checkConfig(yaml: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stderr: string } {
  const res = spawnSync(nodeBin, [join(repoDir, 'src/main.ts'), '--check-config', '-c', writeConfig(yaml)], { encoding: 'utf8', env: daemonEnv(env) });
  return { status: res.status, stderr: res.stderr };
}

describe('config errors', () => {
  it('a YAML alias bomb is a config error, not a stack trace', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = performance.now();
    const { status, stderr } = checkConfig(`${lines.join('\n')}\n`);
    expect(status).toBe(1);
    expect(stderr).toMatch(/invalid configuration[\s\S]*Excessive alias count[\s\S]*YAML aliases are limited to 100 expansions/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a template with a partial is refused at load', () => {
    expect(problems("templatedfields:\n  team: '{{> header}}'\n")).toEqual([
      { path: 'templatedfields.team', message: 'Handlebars template does not compile: partials ({{> name}}) are not supported: write the text in the template itself (line 1, column 1)' },
    ]);
  });

  it('--check-config and the start agree about missing TLS files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-tls-'));
    const yaml = `tlsserver:\n  deploy: true\n  certfile: ${dir}/server.crt\n  keyfile: ${dir}/server.key\n  mutualtls: true\n  cacertfile: ${dir}/ca.crt\n`;
    const { status, stderr } = checkConfig(yaml);
    expect(status).toBe(1);
    for (const key of ['certfile', 'keyfile', 'cacertfile']) expect(stderr).toContain(`tlsserver.${key}: ${dir}/`);
    expect(stderr).toContain('does not exist; tlsserver.deploy is true');
  });

  it('kafka.hostport without kafka.topic is an error, not a silently disabled output', () => {
    expect(problems('kafka:\n  hostport: broker:9092\n')).toEqual([
      { path: 'kafka.topic', env: 'KAFKA_TOPIC', message: 'kafka.hostport is set but kafka.topic is empty: set the topic to produce to (or unset hostport to leave Kafka off)' },
    ]);
  });

  it('lists every problem at once, templates included, with strict env numbers naming the variable', () => {
    const found = problems("listenport: nope\ntemplatedfields:\n  a: '{{> p}}'\n  b: '{{#if}}'\n", { SPOOL_MAXBYTES: '12abc', LISTENPORT: undefined });
    expect(found.map((p) => p.path).sort()).toEqual(['listenport', 'spool.maxbytes', 'templatedfields.a', 'templatedfields.b']);
    expect(found.find((p) => p.path === 'spool.maxbytes')).toEqual({ path: 'spool.maxbytes', env: 'SPOOL_MAXBYTES', message: 'SPOOL_MAXBYTES="12abc" is not a number (write digits only, e.g. 2801)' });
    expect(problems('', { LISTENPORT: '0x50' })[0]).toMatchObject({ env: 'LISTENPORT' });
    expect(problems('', { LISTENPORT: ' 2802 ' })).toEqual([]);
  });

  it('the shutdown log with the spool on says what stays in the spool', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-stop-'));
    const file = writeConfig(`listenaddress: 127.0.0.1\nlistenport: ${port}\nshutdown:\n  drainms: 200\nspool:\n  enabled: true\n  dir: ${dir}\nwebhook:\n  address: http://127.0.0.1:9/\n`);
    const daemon = await startDaemonReady(['-c', file], port);
    daemons.push(daemon);
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: `{"rule":"r","priority":"Notice","time":"2026-11-20T10:21:36Z","output_fields":{"i":${i}}}` })).status).toBe(200);
    }
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    const stopped = daemon.stderr.find((l) => l.includes('"stopped'));
    expect(JSON.parse(stopped as string)).toMatchObject({ keptInSpool: 3, byOutput: { webhook: 3 }, msg: 'stopped: 3 undelivered alerts stay in the spool and are sent after the next start' });
    const listed = execFileSync(nodeBin, [join(repoDir, 'src/main.ts'), '--check-config', '-c', file], { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE } });
    expect(listed).toContain('config OK');
  });
});
