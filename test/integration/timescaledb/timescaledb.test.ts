// The timescaledb output against a real PostgreSQL server (Debian's; TimescaleDB's extension is not
// packaged by Debian, and the output writes plain INSERTs, which a hypertable and a plain table take
// alike), tables made as falcosidekick's docs say: every row read back exactly; a value the table
// refuses dead-letters that alert only; a missing table and a wrong password are retried, then
// delivered once fixed; a connection the server ends is opened again.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresInfra } from '../../infra/postgres/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';

// falcosidekick's docs/outputs/timescaledb.md table, with its customfields/templatedfields columns
// (the docs' SELECT create_hypertable(…) needs the extension; the rows are the same without it).
const table = (name: string) => `CREATE TABLE ${name} (
  time TIMESTAMPTZ NOT NULL,
  rule TEXT,
  priority VARCHAR(20),
  source VARCHAR(20),
  output TEXT,
  tags TEXT,
  hostname TEXT,
  custom_field_1 TEXT,
  k8s_namespace TEXT
)`;
const ENRICHMENT = 'customfields:\n  custom_field_1: "custom-value-1"\ntemplatedfields:\n  k8s_namespace: \'{{ or (index . "k8s.ns.name") "null" }}\'\n';
const OUTPUT = '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)';
/** Alert i's time: its own second and nanoseconds, so that each digit of the stored microseconds is checked. */
const timeOf = (i: number) => `2026-11-20T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(167531875 + i).padStart(9, '0')}Z`;
/** The row alert i should be: the time cut to microseconds. */
const rowOf = (i: number) => ({
  time: `2026-11-20 10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.${String(Math.floor((167531875 + i) / 1000)).padStart(6, '0')}+00`,
  rule: 'Terminal shell in container',
  priority: 'Notice',
  source: 'syscall',
  output: OUTPUT,
  tags: 'T1059,container,mitre_execution,shell',
  hostname: 'node-1',
  custom_field_1: 'custom-value-1',
  k8s_namespace: 'default',
});

describe.skipIf(infraSkipped('postgres'))('timescaledb output against PostgreSQL', () => {
  let infra: PostgresInfra;
  let db: pg.Client;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    infra = await useInfra<PostgresInfra>('postgres');
    db = new pg.Client({ host: infra.host, port: infra.port, user: infra.superuser.user, password: infra.superuser.password, database: infra.database, options: '-c TimeZone=UTC' });
    db.on('error', (err) => console.error(`the test's own connection broke: ${err.message}`));
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function start(yaml: string): Promise<RunningApp> {
    const app = await startApp(`${ENRICHMENT}timescaledb:\n  host: ${infra.host}\n  port: "${infra.port}"\n  database: ${infra.database}\n${yaml}  retry:\n    initialbackoffms: 50\n    maxbackoffms: 300\n    probems: 100\n`);
    apps.push(app);
    return app;
  }
  const worker = (app: RunningApp) => app.workers.find((w) => w.name === 'timescaledb');
  const delivered = (app: RunningApp) => worker(app)?.healthSnapshot().delivered ?? -1;
  const newTable = async () => {
    const name = `ev_${randomUUID().slice(0, 8)}`;
    await db.query(table(name));
    await db.query(`GRANT INSERT ON ${name} TO ${infra.user}`);
    return name;
  };
  const rows = async (name: string) => (await db.query(`SELECT time::text AS time, rule, priority, source, output, tags, hostname, custom_field_1, k8s_namespace FROM ${name} ORDER BY time`)).rows;

  it('600 alerts: one row each, every column exactly as falcosidekick writes it (time cut to microseconds)', async () => {
    const name = await newTable();
    const app = await start(`  user: ${infra.user}\n  password: ${infra.password}\n  hypertablename: ${name}\n`);
    await postInOrder(app, name, 600, { time: timeOf });
    await waitFor(() => delivered(app) === 600, 30_000, '600 deliveries');
    expect(await rows(name)).toEqual(Array.from({ length: 600 }, (_, i) => rowOf(i)));
    expect(worker(app)?.healthSnapshot()).toMatchObject({ delivered: 600, deadLettered: 0, state: 'ok' });
  });

  it('no tags, no hostname, no namespace, a "NULL" output and quotes: SQL NULLs and the quotes removed, as falcosidekick writes them', async () => {
    const name = await newTable();
    const app = await start(`  user: ${infra.user}\n  password: ${infra.password}\n  hypertablename: ${name}\n`);
    const res = await app.post(
      JSON.stringify([
        { output: 'NULL', output_fields: { 'k8s.ns.name': 'a"b' }, priority: 'critical', rule: 'r2', source: 'k8s_audit', time: '2026-11-20T10:21:36.1234565Z' },
        { output: 'x', output_fields: {}, priority: 'Debug', rule: 'r3', time: '2026-11-20T10:21:37Z', hostname: 'h', tags: [] },
      ]),
    );
    expect(res.status).toBe(200);
    await waitFor(() => delivered(app) === 2, 30_000, 'two deliveries');
    expect(await rows(name)).toEqual([
      { time: '2026-11-20 10:21:36.123456+00', rule: 'r2', priority: 'Critical', source: 'k8s_audit', output: null, tags: null, hostname: null, custom_field_1: 'custom-value-1', k8s_namespace: 'ab' },
      { time: '2026-11-20 10:21:37+00', rule: 'r3', priority: 'Debug', source: 'syscalls', output: 'x', tags: null, hostname: 'h', custom_field_1: 'custom-value-1', k8s_namespace: null },
    ]);
  });

  it('a value the table refuses (a source longer than VARCHAR(20)) dead-letters that alert only; the other rows land', async () => {
    const name = await newTable();
    const app = await start(`  user: ${infra.user}\n  password: ${infra.password}\n  hypertablename: ${name}\n`);
    const alerts = Array.from({ length: 10 }, (_, i) => {
      const json = runAlertJson(name, i, { time: timeOf(i) });
      return i === 4 ? json.replace('"source":"syscall"', '"source":"a-source-name-of-thirty-chars"') : json;
    });
    expect((await app.post(`[${alerts.join(',')}]`)).status).toBe(200);
    await waitFor(() => delivered(app) === 9 && worker(app)?.healthSnapshot().deadLettered === 1, 30_000, 'nine delivered, one dead-lettered');
    expect(await rows(name)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9].map(rowOf));
    const [letter] = app.deadLetters.list({ output: 'timescaledb' });
    expect(letter).toMatchObject({ alert: { uuid: `${name}-4` } });
    expect(letter?.detail).toBe(
      `INSERT INTO ${name} on ${infra.host}:${infra.port}/${infra.database}: value too long for type character varying(20) (SQLSTATE 22001: a value the table refuses; the alert at fault is dead-lettered)`,
    );
  });

  it('a missing table: retried with the reason, nothing dead-lettered, then delivered once it is created', async () => {
    const name = `ev_${randomUUID().slice(0, 8)}`;
    const app = await start(`  user: ${infra.user}\n  password: ${infra.password}\n  hypertablename: ${name}\n`);
    await postInOrder(app, name, 3, { time: timeOf });
    await waitFor(() => (worker(app)?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 20_000, 'refused sends');
    expect(worker(app)?.healthSnapshot()).toMatchObject({
      delivered: 0,
      deadLettered: 0,
      lastError: expect.stringMatching(
        new RegExp(`^(?:INSERT INTO ${name} on ${infra.host}:${infra.port}/${infra.database}: relation "${name}" does not exist \\(SQLSTATE 42P01: the table does not exist: create it \\(docs/outputs/timescaledb\\.md\\) or set timescaledb\\.hypertablename\\)|healthcheck: table ${name} does not exist on .*)$`),
      ),
    });
    await db.query(table(name));
    await db.query(`GRANT INSERT ON ${name} TO ${infra.user}`);
    await waitFor(() => delivered(app) === 3, 20_000, 'three delivered');
    expect(await rows(name)).toEqual([0, 1, 2].map(rowOf));
  });

  it('a server that requires TLS (hostssl only, as AWS RDS): reached over TLS as falcosidekick reaches it, every row once', async () => {
    const name = await newTable();
    await db.query(`GRANT INSERT ON ${name} TO ${infra.tlsOnly.user}`);
    // The server refuses this role without TLS.
    const plain = new pg.Client({ host: infra.host, port: infra.port, user: infra.tlsOnly.user, password: infra.tlsOnly.password, database: infra.database, ssl: false });
    await expect(plain.connect()).rejects.toThrow(/no encryption/);
    const app = await start(`  user: ${infra.tlsOnly.user}\n  password: ${infra.tlsOnly.password}\n  hypertablename: ${name}\n`);
    await postInOrder(app, name, 20, { time: timeOf });
    await waitFor(() => delivered(app) === 20, 30_000, '20 deliveries');
    expect(await rows(name)).toEqual(Array.from({ length: 20 }, (_, i) => rowOf(i)));
    const ssl = await db.query(`SELECT bool_and(s.ssl) AS all_tls, count(*) AS n FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = $1`, [infra.tlsOnly.user]);
    expect(ssl.rows[0]).toMatchObject({ all_tls: true });
  });

  it('a table locked past the deadline: the server cancels each attempt (57014), nothing commits late, no backend is left waiting; one row once unlocked', async () => {
    const name = await newTable();
    const app = await start(`  user: ${infra.user}\n  password: ${infra.password}\n  hypertablename: ${name}\n  timeoutms: 600\n`);
    const locker = new pg.Client({ host: infra.host, port: infra.port, user: infra.superuser.user, password: infra.superuser.password, database: infra.database });
    await locker.connect();
    const waiting = async () => Number((await db.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'peregrine' AND wait_event_type = 'Lock'`)).rows[0].n);
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${name} IN ACCESS EXCLUSIVE MODE`);
      await postInOrder(app, name, 1, { time: timeOf });
      await waitFor(() => (worker(app)?.healthSnapshot().consecutiveFailures ?? 0) >= 4, 20_000, 'four attempts cut by the deadline');
      expect(worker(app)?.healthSnapshot().lastError).toMatch(/SQLSTATE 57014|no answer within the deadline/);
      // Each attempt ended on the server too: at most the one running now waits on the lock.
      expect(await waiting()).toBeLessThanOrEqual(1);
      await locker.query('COMMIT');
    } finally {
      await locker.end();
    }
    await waitFor(() => delivered(app) === 1, 20_000, 'delivered once unlocked');
    await waitFor(async () => (await waiting()) === 0, 5_000, 'no backend waiting');
    expect(await rows(name)).toEqual([rowOf(0)]);
  });

  it('the server ends the connection (pg_terminate_backend, 57P01): the next batch goes on a new one, every row once', async () => {
    const name = await newTable();
    const app = await start(`  user: ${infra.user}\n  password: ${infra.password}\n  hypertablename: ${name}\n`);
    await postInOrder(app, name, 2, { time: timeOf });
    await waitFor(() => delivered(app) === 2, 20_000, 'two delivered');
    const ended = await db.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'peregrine' AND usename = $1`, [infra.user]);
    expect(ended.rows.length).toBeGreaterThanOrEqual(1);
    expect((await app.post(`[${[2, 3].map((i) => runAlertJson(name, i, { time: timeOf(i) })).join(',')}]`)).status).toBe(200);
    await waitFor(() => delivered(app) === 4, 20_000, 'four delivered');
    expect(await rows(name)).toEqual([0, 1, 2, 3].map(rowOf));
    expect(worker(app)?.healthSnapshot()).toMatchObject({ deadLettered: 0 });
  });

  it('a wrong password: failing (credentials), nothing written or dead-lettered; delivered once the role has that password', async () => {
    const name = await newTable();
    const role = `r_${name}`;
    await db.query(`CREATE ROLE ${role} LOGIN PASSWORD 'the-right-one'`);
    await db.query(`GRANT INSERT ON ${name} TO ${role}`);
    const app = await start(`  user: ${role}\n  password: not-the-right-one\n  hypertablename: ${name}\n`);
    await postInOrder(app, name, 2, { time: timeOf });
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing on refused credentials');
    expect(worker(app)?.healthSnapshot()).toMatchObject({
      delivered: 0,
      deadLettered: 0,
      lastError: expect.stringMatching(
        new RegExp(`: password authentication failed for user "${role}" \\(SQLSTATE 28P01: check timescaledb\\.user and timescaledb\\.password\\)$`),
      ),
    });
    await db.query(`ALTER ROLE ${role} PASSWORD 'not-the-right-one'`);
    await waitFor(() => delivered(app) === 2, 20_000, 'two delivered');
    expect(await rows(name)).toEqual([0, 1].map(rowOf));
    expect(worker(app)?.healthSnapshot()).toMatchObject({ deadLettered: 0 });
  });
});
