// A WAL damaged after kill -9 used to lose acknowledged alerts silently ("recovered N" and nothing
// else). Now the spool compares the count of alerts it stored (kept in its own file beside the
// database) with the database's own, and says how many acknowledged alerts are gone: an error log
// line and a metric; every alert that survived (in the database or in the intake log) is delivered,
// so delivered + reported lost = acknowledged.
import { statSync, truncateSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { freePort, startDaemonReady, writeConfig, type Daemon } from '../../support/daemon.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

const daemons: Daemon[] = [];
let receiver: Receiver | undefined;
afterEach(async () => {
  for (const d of daemons.splice(0)) if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
  await receiver?.stop();
});

async function up(file: string, port: number): Promise<Daemon> {
  const daemon = await startDaemonReady(['-c', file], port);
  daemons.push(daemon);
  return daemon;
}

describe('spool WAL damage', () => {
  it('reports acknowledged alerts lost to a damaged WAL, loudly, and delivers the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-wal-'));
    receiver = await new Receiver().start();
    const receiverPort = receiver.port;
    await receiver.stop(); // down while alerts are acknowledged: they are all in the spool
    const port = await freePort();
    const file = writeConfig(
      `listenaddress: 127.0.0.1\nlistenport: ${port}\nstdout:\n  enabled: false\nspool:\n  enabled: true\n  dir: ${dir}\nwebhook:\n  address: http://127.0.0.1:${receiverPort}/\n  timeoutms: 500\n  retry:\n    initialbackoffms: 1000\n    maxbackoffms: 1000\n`,
    );
    // Retries at most once a second: the WAL's tail is the spills of new alerts, not a stream of
    // commits of retry times (which the damage would drop instead, losing nothing acknowledged).
    const first = await up(file, port);
    const acknowledged = 100;
    const post = async (i: number) => {
      const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: falcoAlertJson(i) });
      expect(res.status).toBe(200);
    };
    // One request at a time: answered from the intake log, spilled into SQLite (and its WAL, which
    // this test damages) by the next commit. The first half surely is; the second may still be only
    // in the intake log at the kill, and is then put back from there.
    const commits = async () => Number(/^peregrine_spool_commit_seconds_count (\d+)$/m.exec(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())?.[1]);
    for (let i = 0; i < acknowledged / 2; i++) await post(i);
    const before = await commits();
    await waitFor(async () => (await commits()) > before, 5_000, 'a spill after the first half');
    for (let i = acknowledged / 2; i < acknowledged; i++) await post(i);
    first.child.kill('SIGKILL');
    await first.exited;
    const wal = join(dir, 'peregrine.db-wal');
    const size = statSync(wal).size;
    expect(size).toBeGreaterThan(0);
    truncateSync(wal, Math.floor(size / 2)); // the damage: the WAL's second half is gone

    await receiver.start(receiverPort);
    const second = await up(file, port);
    const lostLine = second.stderr.find((l) => l.includes('SPOOL LOST ACKNOWLEDGED ALERTS'));
    expect(lostLine, second.stderr.join('\n')).toBeDefined();
    const { lost, level } = JSON.parse(lostLine as string) as { lost: number; level: string };
    expect(level).toBe('error');
    expect(lost).toBeGreaterThan(0);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain(`peregrine_spool_lost_alerts_total ${lost}`);

    const uuids = () => new Set(receiver?.received.map((r) => /"uuid":"([^"]+)"/.exec(r.body)?.[1]));
    await waitFor(() => uuids().size === acknowledged - lost, 15_000, 'every surviving alert delivered');
    // What is lost is the alerts of the commits the damage dropped: one run of consecutive alerts.
    const missing = Array.from({ length: acknowledged }, (_, i) => i).filter((i) => !uuids().has(`alert-${i}`));
    expect(missing).toEqual(Array.from({ length: lost }, (_, i) => (missing[0] as number) + i));

    // The report is made once: a later start finds nothing missing.
    second.child.kill('SIGTERM');
    await second.exited;
    const third = await up(file, port);
    expect(third.stderr.some((l) => l.includes('SPOOL LOST'))).toBe(false);
  });
});
