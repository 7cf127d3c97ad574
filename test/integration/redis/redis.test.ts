// The redis output against a real redis-server (Debian), read back with node-redis: list (RPUSH)
// and hashmap (HSET) layouts byte for byte, in order, in the configured database; and what the
// server refuses, each retried and then delivered once the cause is gone: a key of another type
// (WRONGTYPE), an ACL user with a wrong password (WRONGPASS) then without the right to RPUSH
// (NOPERM), and a read-only replica (READONLY); a connection the server closes is opened again.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import type { RedisInfra } from '../../infra/redis/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';

/** Alert i of a run as Peregrine sends it (falcosidekick's key order). */
const sent = (run: string, i: number) => serializeAlert(toAlert(parseJson(runAlertJson(run, i)) as AlertInput));

describe.skipIf(infraSkipped('redis'))('redis output against redis-server', () => {
  let infra: RedisInfra;
  let db: ReturnType<typeof createClient>;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    infra = await useInfra<RedisInfra>('redis');
    db = createClient({ socket: { host: infra.host, port: infra.port } });
    await db.connect();
  });
  afterAll(async () => {
    db?.destroy();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function start(yaml: string): Promise<RunningApp> {
    const app = await startApp(`redis:\n${yaml}  retry:\n    initialbackoffms: 50\n    maxbackoffms: 300\n    probems: 100\n`);
    apps.push(app);
    return app;
  }
  const worker = (app: RunningApp) => app.workers.find((w) => w.name === 'redis');
  const delivered = (app: RunningApp) => worker(app)?.healthSnapshot().delivered ?? -1;

  it('list: 1,000 alerts appended in order, each alert\'s JSON exactly', async () => {
    const run = `rl-${randomUUID().slice(0, 8)}`;
    const app = await start(`  address: ${infra.address}\n  key: ${run}\n`);
    await postInOrder(app, run, 1000);
    await waitFor(() => delivered(app) === 1000, 30_000, '1,000 deliveries');
    expect(await db.lRange(run, 0, -1)).toEqual(Array.from({ length: 1000 }, (_, i) => sent(run, i)));
    expect(worker(app)?.healthSnapshot()).toMatchObject({ delivered: 1000, deadLettered: 0, state: 'ok' });
  });

  it('hashmap in database 5: one field per alert, named by its uuid, the alert\'s JSON as value; nothing in database 0', async () => {
    const run = `rh-${randomUUID().slice(0, 8)}`;
    const app = await start(`  address: ${infra.address}\n  key: ${run}\n  storagetype: hashmap\n  database: "5"\n`);
    await postInOrder(app, run, 300);
    await waitFor(() => delivered(app) === 300, 30_000, '300 deliveries');
    const db5 = db.duplicate({ database: 5 });
    await db5.connect();
    try {
      expect(await db5.hGetAll(run)).toEqual(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`${run}-${i}`, sent(run, i)])));
    } finally {
      db5.destroy();
    }
    expect(await db.exists(run)).toBe(0);
  });

  it('WRONGTYPE (the key is a string): retried, then delivered once the key is deleted, each alert once', async () => {
    const run = `rt-${randomUUID().slice(0, 8)}`;
    await db.set(run, 'someone else\'s string');
    const app = await start(`  address: ${infra.address}\n  key: ${run}\n`);
    await postInOrder(app, run, 5);
    await waitFor(() => (worker(app)?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 20_000, 'refused sends');
    expect(worker(app)?.healthSnapshot()).toMatchObject({
      delivered: 0,
      deadLettered: 0,
      lastError: `RPUSH ${run} on ${infra.address}: WRONGTYPE Operation against a key holding the wrong kind of value (the key holds another type than a list: rename or delete it, or set redis.key or redis.storagetype)`,
    });
    expect(await db.get(run)).toBe('someone else\'s string');
    await db.del(run);
    await waitFor(() => delivered(app) === 5, 20_000, 'five delivered');
    // Each once; not in order: after a failed batch the core probes with one alert at a time.
    expect((await db.lRange(run, 0, -1)).sort()).toEqual(Array.from({ length: 5 }, (_, i) => sent(run, i)).sort());
  });

  it('an ACL user: WRONGPASS, then NOPERM (failing, credentials), then delivered once granted', async () => {
    const run = `ra-${randomUUID().slice(0, 8)}`;
    const user = `peregrine-${run}`;
    await db.sendCommand(['ACL', 'SETUSER', user, 'on', '>not-the-one', `~${run}`, '+@all', '-rpush']);
    try {
      const app = await start(`  address: ${infra.address}\n  key: ${run}\n  username: ${user}\n  password: right-one\n`);
      await postInOrder(app, run, 3);
      await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing on refused credentials');
      // From a send or from the health check (PING), whichever came last.
      expect(worker(app)?.healthSnapshot()).toMatchObject({
        delivered: 0,
        lastError: expect.stringMatching(/(?:RPUSH \S+ on|healthcheck: PING) \S+: WRONGPASS invalid username-password pair or user is disabled\. \(check redis\.username and redis\.password\)$/),
      });

      await db.sendCommand(['ACL', 'SETUSER', user, '>right-one']);
      await waitFor(() => /NOPERM/.test(worker(app)?.healthSnapshot().lastError ?? ''), 20_000, 'NOPERM');
      expect(worker(app)?.healthSnapshot()).toMatchObject({
        state: 'failing',
        delivered: 0,
        lastError: `RPUSH ${run} on ${infra.address}: NOPERM this user has no permissions to run the 'rpush' command (the ACL user may not write this key with this command: grant it (+rpush or +hset on the key) or use another user)`,
      });

      await db.sendCommand(['ACL', 'SETUSER', user, '+rpush']);
      await waitFor(() => delivered(app) === 3, 20_000, 'three delivered');
      expect((await db.lRange(run, 0, -1)).sort()).toEqual([0, 1, 2].map((i) => sent(run, i)).sort());
      expect(worker(app)?.healthSnapshot()).toMatchObject({ state: 'ok', deadLettered: 0 });
    } finally {
      await db.sendCommand(['ACL', 'DELUSER', user]);
    }
  });

  it('the server closes the connection (CLIENT KILL): the next batch goes on a new one, every alert once', async () => {
    const run = `rk-${randomUUID().slice(0, 8)}`;
    const user = `peregrine-${run}`;
    await db.sendCommand(['ACL', 'SETUSER', user, 'on', '>pw', `~${run}`, '+@all']);
    try {
      const app = await start(`  address: ${infra.address}\n  key: ${run}\n  username: ${user}\n  password: pw\n`);
      await postInOrder(app, run, 2);
      await waitFor(() => delivered(app) === 2, 20_000, 'two delivered');
      expect(Number(await db.sendCommand(['CLIENT', 'KILL', 'USER', user]))).toBeGreaterThanOrEqual(1);
      expect((await app.post(`[${[2, 3].map((i) => runAlertJson(run, i)).join(',')}]`)).status).toBe(200);
      await waitFor(() => delivered(app) === 4, 20_000, 'four delivered');
      expect((await db.lRange(run, 0, -1)).sort()).toEqual([0, 1, 2, 3].map((i) => sent(run, i)).sort());
      expect(worker(app)?.healthSnapshot()).toMatchObject({ deadLettered: 0, state: 'ok' });
    } finally {
      await db.sendCommand(['ACL', 'DELUSER', user]);
    }
  });

  it('a read-only replica: READONLY, retried; nothing written', async () => {
    const run = `rr-${randomUUID().slice(0, 8)}`;
    const app = await start(`  address: ${infra.replica.address}\n  key: ${run}\n`);
    await postInOrder(app, run, 2);
    await waitFor(() => (worker(app)?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 20_000, 'refused sends');
    expect(worker(app)?.healthSnapshot()).toMatchObject({
      delivered: 0,
      deadLettered: 0,
      queued: 2,
      lastError: `RPUSH ${run} on ${infra.replica.address}: READONLY You can't write against a read only replica. (redis.address is a read-only replica: point it at the primary (retried: a failover may promote it))`,
    });
    expect(await db.exists(run)).toBe(0);
  });
});
