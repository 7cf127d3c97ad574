// The daemon as a process: the README quick start, the CLI, and the SIGTERM drain.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { falcoAlertJson } from '../support/alerts.ts';
import { freePort, startDaemon, writeConfig, type Daemon } from '../support/daemon.ts';
import { Receiver, waitFor } from '../support/receiver.ts';
import { fixturesDir } from '../support/fixtures.ts';
import { join } from 'node:path';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

let daemon: Daemon | undefined;
afterEach(async () => {
  if (daemon && daemon.child.exitCode === null) {
    daemon.child.kill('SIGKILL');
    await daemon.exited;
  }
  daemon = undefined;
});

async function ready(port: number) {
  await waitFor(async () => {
    try {
      const res = await request(`http://127.0.0.1:${port}/ping`);
      return (await res.body.text()) === 'pong\n';
    } catch {
      return false;
    }
  }, 20_000, 'daemon ready');
}

describe('quick start', () => {
  it('starts on the embedded default and prints the /test alert on stdout', async () => {
    const port = await freePort();
    daemon = startDaemon([], { LISTENPORT: String(port), LISTENADDRESS: '127.0.0.1' }, mkdtempSync(join(tmpdir(), 'peregrine-empty-')));
    await ready(port);
    // The banner is written right after listen(): wait for it to cross the pipe rather than race it.
    await waitFor(() => /outputs: stdout[\s\S]*curl -X POST localhost:\d+\/test/.test(daemon?.stderr.join('\n') ?? ''), 5000, 'the start banner');
    const res = await request(`http://127.0.0.1:${port}/test`, { method: 'POST' });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await waitFor(() => daemon?.stdout.some((l) => l.includes('"rule":"Test rule"')) ?? false, 5000, 'test alert on stdout');
    const line = JSON.parse(daemon.stdout.find((l) => l.includes('Test rule')) ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ priority: 'Debug', source: 'internal', tags: ['example', 'test'] });
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });
});

describe('CLI', () => {
  it('--check-config lists every problem with path and env var, exit 1', async () => {
    const file = writeConfig('webhook:\n  address: not-a-url\n  minimumpriority: urgent\n');
    daemon = startDaemon(['-c', file, '--check-config']);
    expect(await daemon.exited).toBe(1);
    const err = daemon.stderr.join('\n');
    expect(err).toContain('webhook.address');
    expect(err).toMatch(/webhook\.minimumpriority: "urgent" is not a Falco priority.*\(env WEBHOOK_MINIMUMPRIORITY\)/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('--check-config stops on a spool.dir the start could not use, as the start does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-check-'));
    writeFileSync(join(dir, 'a-file'), '');
    const file = writeConfig(`spool:\n  dir: ${join(dir, 'a-file', 'spool')}\n`);
    daemon = startDaemon(['-c', file, '--check-config']);
    expect(await daemon.exited).toBe(1);
    const err = daemon.stderr.join('\n');
    expect(err).toMatch(/spool\.dir: spool\.dir .* cannot be used: .*a-file is a file, not a folder.*\(env SPOOL_DIR\)/);
    expect(daemon.stdout.join('\n')).not.toContain('config OK');
  });

  it('--check-config does not create the spool folder it checks', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'peregrine-check-')), 'not-yet');
    daemon = startDaemon(['-c', writeConfig(`spool:\n  dir: ${dir}\n`), '--check-config']);
    expect(await daemon.exited).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it('--check-config passes the seed values, exit 0', async () => {
    daemon = startDaemon(['-c', join(fixturesDir, 'config/seed.yaml'), '--check-config']);
    expect(await daemon.exited).toBe(0);
    expect(daemon.stdout.join('\n')).toMatch(/config OK .*outputs: .*webhook/);
  });

  it('--print-config shows file + env with secrets redacted', async () => {
    const file = writeConfig('webhook:\n  address: https://siem.example/x\n  customheaders:\n    Authorization: Bearer hunter2\n');
    daemon = startDaemon(['-c', file, '--print-config'], { INGEST_TOKEN: 'tok-123', WEBHOOK_MINIMUMPRIORITY: 'error' });
    expect(await daemon.exited).toBe(0);
    const out = daemon.stdout.join('\n');
    expect(out).toContain('minimumpriority: error');
    expect(out).not.toMatch(/hunter2|tok-123/);
  });

  it('--version', async () => {
    daemon = startDaemon(['--version']);
    expect(await daemon.exited).toBe(0);
    expect(daemon.stdout[0]).toMatch(/^peregrine \d+\.\d+\.\d+/);
  });
});

describe('SIGTERM', () => {
  it('stops accepting and drains the queues before exiting', async () => {
    const receiver = await new Receiver().start();
    // A slow receiver: 20 ms per alert, so a backlog exists when the signal arrives.
    receiver.setBehaviour(() => ({ kind: 'ok' }));
    const slow = receiver.setBehaviour.bind(receiver);
    let hold = true;
    slow(() => (hold ? { kind: 'hang' } : { kind: 'ok' }));
    const port = await freePort();
    const file = writeConfig(`listenaddress: 127.0.0.1\nlistenport: ${port}\nshutdown:\n  drainms: 15000\nwebhook:\n  address: ${receiver.url()}\n  timeoutms: 500\n  retry:\n    initialbackoffms: 50\n    maxbackoffms: 200\n`);
    daemon = startDaemon(['-c', file]);
    await ready(port);
    for (let i = 0; i < 100; i++) {
      const res = await request(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: falcoAlertJson(i) });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    }
    daemon.child.kill('SIGTERM');
    // Release the receiver only once the daemon is draining: the backlog is still queued then.
    await waitFor(() => daemon?.stderr.some((l) => l.includes('shutting down: draining output queues')) ?? false, 10_000, 'the drain to start');
    hold = false;
    expect(await daemon.exited).toBe(0);
    expect(new Set(receiver.acceptedJson<{ uuid: string }>().map((a) => a.uuid)).size).toBe(100);
    // The spool is on (the default): the stop line says what it keeps, here nothing.
    expect(daemon.stderr.join('\n')).toMatch(/"keptInSpool":0,.*"msg":"stopped: every accepted alert was delivered; nothing waits in the spool"/);
    await receiver.stop();
  });
});

describe('hot reload in the process', () => {
  it('reloads when the config file is saved; a bad file keeps the running config', async () => {
    const port = await freePort();
    const dest = await new Receiver().start();
    const base = `listenaddress: 127.0.0.1\nlistenport: ${port}\nspool:\n  enabled: false\nreload:\n  debouncems: 100\n`;
    const file = writeConfig(`${base}webhook:\n  address: ${dest.url('/one')}\n`);
    daemon = startDaemon(['-c', file]);
    await ready(port);
    const generation = async () => {
      const res = await request(`http://127.0.0.1:${port}/healthz`);
      return ((await res.body.json()) as { config: { generation: number; stale: boolean } }).config;
    };
    try {
      // Saved: the watcher reloads it.
      writeFileSync(file, `${base}webhook:\n  address: ${dest.url('/two')}\n`);
      await waitFor(async () => (await generation()).generation === 2, 10_000, 'the reload of the saved file');
      await request(`http://127.0.0.1:${port}/`, { method: 'POST', body: falcoAlertJson(1), headers: { 'content-type': 'application/json' } }).then((r) => r.body.dump());
      await waitFor(() => dest.received.some((r) => r.url === '/two'), 10_000, 'delivery to the new address');

      // Invalid: logged with its problem, the running config stays and /healthz says the file is newer.
      writeFileSync(file, `${base}webhook:\n  address: not a url\n`);
      await waitFor(() => daemon?.stderr.some((l) => l.includes('config reload failed')) ?? false, 10_000, 'the failed reload in the log');
      expect(daemon.stderr.find((l) => l.includes('config reload failed'))).toContain('webhook.address');
      expect(await generation()).toMatchObject({ generation: 2, stale: true });

      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
    } finally {
      await dest.stop();
    }
  });

  it('a reload that configures an output the start did not mention imports it and delivers there', async () => {
    const port = await freePort();
    const dest = await new Receiver().start();
    const base = `listenaddress: 127.0.0.1\nlistenport: ${port}\nspool:\n  enabled: false\nreload:\n  watch: false\n`;
    const file = writeConfig(base);
    // No WEBHOOK_ variable: the daemon imports no webhook module at start.
    daemon = startDaemon(['-c', file], { WEBHOOK_ADDRESS: '' });
    await ready(port);
    try {
      expect(daemon.stderr.some((l) => l.includes('no output is enabled'))).toBe(true);
      writeFileSync(file, `${base}webhook:\n  address: ${dest.url('/added')}\n`);
      daemon.child.kill('SIGHUP');
      await waitFor(() => daemon?.stderr.some((l) => l.includes('config reloaded')) ?? false, 10_000, 'the reload');
      await request(`http://127.0.0.1:${port}/`, { method: 'POST', body: falcoAlertJson(1), headers: { 'content-type': 'application/json' } }).then((r) => r.body.dump());
      await waitFor(() => dest.received.some((r) => r.url === '/added'), 10_000, 'delivery through the output the reload added');
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
    } finally {
      await dest.stop();
    }
  });

  it('reloads on SIGHUP, also with the file watcher off', async () => {
    const port = await freePort();
    const base = `listenaddress: 127.0.0.1\nlistenport: ${port}\nspool:\n  enabled: false\nreload:\n  watch: false\n`;
    const file = writeConfig(base);
    daemon = startDaemon(['-c', file]);
    await ready(port);
    const config = async () => ((await (await request(`http://127.0.0.1:${port}/healthz`)).body.json()) as { config: { generation: number; stale: boolean } }).config;
    writeFileSync(file, `${base}customtags: [after-hup]\n`);
    // Not watched: the file is newer than what runs until the signal.
    expect(await config()).toMatchObject({ generation: 1, stale: true });
    daemon.child.kill('SIGHUP');
    await waitFor(async () => (await config()).generation === 2, 10_000, 'the reload on SIGHUP');
    expect(await config()).toMatchObject({ stale: false });
    expect(daemon.stderr.some((l) => l.includes('reloading the config') && l.includes('SIGHUP'))).toBe(true);
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
  });
});
