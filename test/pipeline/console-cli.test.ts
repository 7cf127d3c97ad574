// `peregrine explain` and `peregrine dlq replay` against the real daemon (node src/main.ts): from
// its console API while it runs, from the spool file once it is stopped.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, alertJson } from '../support/console.ts';
import { daemonEnv, freePort, nodeBin, repoDir, startDaemon, writeConfig, type Daemon } from '../support/daemon.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

let daemon: Daemon | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  if (daemon && daemon.child.exitCode === null) {
    daemon.child.kill('SIGKILL');
    await daemon.exited;
  }
  await receiver?.stop();
  daemon = receiver = undefined;
});

/** Runs `peregrine <args>` to completion. */
function cli(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(nodeBin, [join(repoDir, 'src/main.ts'), ...args], { cwd, env: daemonEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function post(port: number, body: string): Promise<number> {
  const res = await request(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.body.dump();
  return res.statusCode;
}

describe('peregrine explain and dlq replay', () => {
  it('explains a trail from the running daemon, replays a dead letter on it, and explains from the spool once it stopped', async () => {
    receiver = await new Receiver().start();
    let accept = false;
    receiver.setBehaviour((req) => (accept || !req.body.includes('Reject me') ? { kind: 'ok' } : { kind: 'status', status: 400, body: '{"error":"schema"}' }));
    const port = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'peregrine-cli-'));
    const file = writeConfig(
      `listenaddress: 127.0.0.1\nlistenport: ${port}\nspool:\n  dir: ${join(cwd, 'spool')}\nconsole:\n  enabled: true\n  token: ${ADMIN}\n` +
        `webhook:\n  address: ${receiver.url()}\n  minimumpriority: warning\n  retry:\n    initialbackoffms: 20\n    maxbackoffms: 50\n`,
    );
    daemon = startDaemon(['-c', file], {}, cwd);
    await waitFor(() => daemon?.stderr.some((l) => l.includes('listening on')) ?? false, 15_000, 'the daemon to listen');
    expect(await post(port, alertJson({ uuid: 'cli-ok', priority: 'Critical', rule: 'Write below etc', hostname: 'node-2' }))).toBe(200);
    expect(await post(port, alertJson({ uuid: 'cli-low', priority: 'Notice' }))).toBe(200);
    expect(await post(port, alertJson({ uuid: 'cli-rejected', priority: 'Error', rule: 'Reject me' }))).toBe(200);
    await waitFor(() => receiver?.attempts === 2, 10_000, 'two webhook requests');

    const live = await cli(['explain', 'cli-ok', '-c', file], cwd);
    expect(live.code).toBe(0);
    expect(live.out).toContain('alert cli-ok  Critical  rule "Write below etc"  source syscall  host node-2  namespace default');
    expect(live.out).toMatch(/received: \d{4}-\d\d-\d\dT[\d:.]+Z from 127\.0\.0\.1/);
    expect(live.out).toMatch(/^webhook\s+delivered\s+\S+Z\s+1\s*$/m);
    expect(live.out).toMatch(/^ {4}\S+Z {2}ok\s+[\d.]+ ms\s+batch 1\s+ok$/m);
    const low = await cli(['explain', 'cli-low', '-c', file], cwd);
    expect(low.out).toMatch(/^webhook\s+not_routed\s+\S+\s+0\s+minimumpriority: Notice is below Warning$/m);
    const json = JSON.parse((await cli(['explain', 'cli-rejected', '-c', file, '--json'], cwd)).out) as { trail: { outputs: { state: string; reason: string }[] } };
    expect(json.trail.outputs[0]).toMatchObject({ state: 'dead_lettered', reason: expect.stringContaining('rejected: HTTP 400') });
    const unknown = await cli(['explain', 'never-seen', '-c', file], cwd);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('the daemon answered 404');

    // The destination is fixed: replay by rule on the running daemon, delivered without a restart.
    accept = true;
    const replay = await cli(['dlq', 'replay', '--rule', 'Reject me', '-c', file], cwd);
    expect(replay.out.trim()).toBe("1 dead letter(s) put back in their output's queue on the running daemon");
    await waitFor(() => receiver?.received.some((r) => r.body.includes('cli-rejected')) ?? false, 10_000, 'the replayed alert');
    const d = daemon;
    await waitFor(() => d.stderr.some((l) => /"console":true.*"who":"token".*"action":"replay".*"count":1/.test(l)), 5000, 'the audit log line');

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    const offline = await cli(['explain', 'cli-rejected', '-c', file], cwd);
    expect(offline.code).toBe(0);
    expect(offline.out).toMatch(/^webhook\s+delivered\s+\S+Z\s+2\s*$/m);
    expect(offline.out).toMatch(/fail\s+[\d.]+ ms\s+batch \d\s+HTTP 400/);
    const none = await cli(['dlq', 'replay', '--id', '999', '-c', file], cwd);
    expect(none.out).toContain('the daemon is not reachable: changing the spool file directly');
    expect(none.out).toContain("0 dead letter(s) put back in their output's queue; they are sent at the daemon's next start");
    // Nine Node processes start one after another (the daemon and eight CLI runs): 27 s on a busy 2-core machine.
  }, 90_000);
});
