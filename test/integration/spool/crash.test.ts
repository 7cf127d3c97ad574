// Crash test (issue: durable spool): every alert that got a 200 is delivered after a kill -9,
// whether the kill lands while alerts are only being accepted or while they are being delivered.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { freePort, startDaemon, writeConfig, type Daemon } from '../../support/daemon.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

const TOTAL = 50_000;
const CONNECTIONS = 16;

let daemons: Daemon[] = [];
let receiver: Receiver | undefined;
afterEach(async () => {
  for (const d of daemons) if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
  daemons = [];
  await receiver?.stop();
  receiver = undefined;
});

function config(port: number, spoolDir: string, receiverPort: number): string {
  return writeConfig(`listenaddress: 127.0.0.1
listenport: ${port}
stdout:
  enabled: false
spool:
  enabled: true
  dir: ${spoolDir}
webhook:
  address: http://127.0.0.1:${receiverPort}/events
  maxconcurrency: 16
  timeoutms: 2000
  retry:
    initialbackoffms: 50
    maxbackoffms: 500
  queue:
    maxalerts: 200000
`);
}

async function up(port: number, file: string): Promise<Daemon> {
  const daemon = startDaemon(['-c', file]);
  daemons.push(daemon);
  await waitFor(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/ping`)).ok;
    } catch {
      return false;
    }
  }, 30_000, 'daemon up');
  return daemon;
}

/** Posts alerts 0..TOTAL-1 from CONNECTIONS loops; stops at the first failure (the daemon died). Returns the acked uuids. */
async function flood(port: number, killAfter: number, kill: () => void, connections = CONNECTIONS): Promise<Set<string>> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1 });
  const acked = new Set<string>();
  let next = 0;
  let dead = false;
  const loop = async () => {
    while (!dead && next < TOTAL) {
      const i = next++;
      if (i === killAfter) kill();
      try {
        const res = await pool.request({ path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: falcoAlertJson(i) });
        await res.body.dump();
        if (res.statusCode === 200) acked.add(`alert-${i}`);
      } catch {
        dead = true;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  await pool.destroy();
  return acked;
}

function uniqueDelivered(r: Receiver): { unique: Set<string>; duplicates: number } {
  const unique = new Set(r.received.map((x) => String(x.headers['idempotency-key'])));
  return { unique, duplicates: r.received.length - unique.size };
}

describe('kill -9 with the spool on', () => {
  it('loses nothing acknowledged when killed while accepting (destination down)', async () => {
    const port = await freePort();
    const receiverPort = await freePort();
    const file = config(port, mkdtempSync(join(tmpdir(), 'peregrine-crash-')), receiverPort);
    const first = await up(port, file);
    const acked = await flood(port, 30_000, () => first.child.kill('SIGKILL'));
    await first.exited;
    expect(acked.size).toBeGreaterThan(20_000);

    receiver = await new Receiver().start(receiverPort);
    await up(port, file);
    await waitFor(() => uniqueDelivered(receiver as Receiver).unique.size >= acked.size, 120_000, 'all acked alerts delivered');
    const { unique, duplicates } = uniqueDelivered(receiver);
    const missing = [...acked].filter((id) => !unique.has(id));
    console.log(`crash while accepting: acked ${acked.size}, delivered ${unique.size} unique, ${duplicates} duplicates, ${missing.length} missing`);
    expect(missing).toEqual([]);
  });

  it('loses nothing acknowledged when killed while delivering', async () => {
    const port = await freePort();
    receiver = await new Receiver().start();
    // A slow destination (16 requests in flight × 20 ms) so the kill surely lands mid-delivery.
    receiver.setBehaviour(() => ({ kind: 'ok', delayMs: 20 }));
    const file = config(port, mkdtempSync(join(tmpdir(), 'peregrine-crash-')), receiver.port);
    const first = await up(port, file);
    const acked = await flood(port, TOTAL, () => {});
    expect(acked.size).toBe(TOTAL);
    const r = receiver;
    await waitFor(() => r.received.length >= TOTAL / 10, 120_000, 'delivery under way');
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeRestart = uniqueDelivered(r).unique.size;
    expect(beforeRestart).toBeLessThan(TOTAL);

    r.setBehaviour(() => ({ kind: 'ok' }));
    await up(port, file);
    await waitFor(() => uniqueDelivered(r).unique.size >= TOTAL, 180_000, 'all alerts delivered');
    const { unique, duplicates } = uniqueDelivered(r);
    console.log(`crash while delivering: acked ${acked.size}, delivered before kill ${beforeRestart}, after restart ${unique.size} unique, ${duplicates} duplicates (re-sent because the kill came before the spool recorded their delivery; the Idempotency-Key lets the receiver drop them)`);
    expect([...acked].filter((id) => !unique.has(id))).toEqual([]);
  });

  // One connection, one request at a time, as one Falco sends: alerts are answered from the spool's
  // intake log and spilled into SQLite every 100 ms, those delivered by then never. The destination
  // takes 16 requests at a time, 200 ms each (at most 80 alerts/s, below what one connection sends
  // even on a loaded machine): the kill lands with alerts delivered, alerts spilled, and the newest
  // ones in the log only.
  it('loses nothing acknowledged when killed while one connection sends (the intake log)', async () => {
    const port = await freePort();
    receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'ok', delayMs: 200 }));
    const file = config(port, mkdtempSync(join(tmpdir(), 'peregrine-crash-')), receiver.port);
    const first = await up(port, file);
    const acked = await flood(port, 3_000, () => first.child.kill('SIGKILL'), 1);
    await first.exited;
    expect(acked.size).toBeGreaterThanOrEqual(2_990);
    const r = receiver;
    const beforeRestart = uniqueDelivered(r).unique.size;
    expect(beforeRestart).toBeLessThan(acked.size);
    r.setBehaviour(() => ({ kind: 'ok' }));
    const second = await up(port, file);
    await waitFor(() => uniqueDelivered(r).unique.size >= acked.size, 60_000, 'all acked alerts delivered');
    const { unique, duplicates } = uniqueDelivered(r);
    console.log(`crash with one connection: acked ${acked.size}, delivered before kill ${beforeRestart}, after restart ${unique.size} unique, ${duplicates} duplicates`);
    expect([...acked].filter((id) => !unique.has(id))).toEqual([]);
    expect(second.stderr.join('')).toContain('alerts answered from the intake log before the last stop are now in the spool');
  });
});
