// falcosidekick's timescaledb output: one row per alert in a TimescaleDB hypertable (or any
// PostgreSQL table) through INSERT, a batch in one statement. Columns: time, rule, priority,
// source, output, tags, hostname, and each customfields/templatedfields key (rows.ts). pg, loaded in
// connect().
import { defineOutput, ok, raceSignal } from '../../src/plugin/index.ts';
import { classifyPgError } from './classify.ts';
import { PgLink } from './link.ts';
import { tableName, timescaledbSchema } from './options.ts';
import { alertRow, insertStatements } from './rows.ts';

export default defineOutput({
  name: 'timescaledb',
  description: 'Insert one row per alert into a TimescaleDB hypertable (or a PostgreSQL table), batched.',
  schema: timescaledbSchema,
  example: { host: 'timescaledb', hypertablename: 'falcosidekick_events' },
  enabled: (options) => options.host !== '',
  // One INSERT per batch: PostgreSQL applies it whole or not at all.
  batch: { maxevents: 500, maxbytes: 1_000_000, flushms: 100 },
  concurrency: 1,
  async connect(options, ctx) {
    // Loaded here, not at import: a daemon without this output never pays for pg.
    const pg = await import('pg');
    // falcosidekick's driver (pgx) uses TLS when the server offers it, without verifying its
    // certificate (sslmode=prefer), which node-postgres lacks: TLS first, and plain TCP from the
    // first server that answers it does not do TLS (link.ts).
    const pool = (ssl: boolean) => {
      const created = new pg.Pool({
        host: options.host,
        port: options.port,
        user: options.user,
        password: options.password,
        database: options.database,
        ssl: ssl ? { rejectUnauthorized: false } : false,
        max: ctx.concurrency,
        connectionTimeoutMillis: ctx.timeoutMs,
        idleTimeoutMillis: 30_000,
        // The server ends a statement past the deadline itself (57014, retried). Without it, a
        // statement waiting on a lock outlives the connection closed at the deadline and commits
        // later: each timed-out attempt would be one more row and one more stranded backend.
        statement_timeout: Math.max(100, Math.floor(ctx.timeoutMs * 0.9)),
        application_name: 'peregrine',
      });
      // A connection that breaks while idle (a server restart) is dropped from the pool; the next send opens another.
      created.on('error', (err) => ctx.log.warn({ err: err.message }, 'timescaledb: an idle connection to the server broke'));
      return created;
    };
    const enrichment = ctx.enrichment ?? { customfields: [], templatedfields: [] };
    return {
      link: new PgLink(pool(true), () => pool(false)),
      table: tableName(options.hypertablename) as string[],
      fieldKeys: [...new Set([...enrichment.customfields, ...enrichment.templatedfields])],
      quote: pg.escapeIdentifier,
      where: `${options.host}:${options.port}/${options.database}`,
    };
  },
  async healthcheck({ client, options, signal }) {
    const qualified = client.table.map(client.quote).join('.');
    try {
      const [row] = await client.link.query<{ found: boolean; insert: boolean }>(
        'SELECT c.oid IS NOT NULL AS found, c.oid IS NOT NULL AND has_table_privilege(c.oid, \'INSERT\') AS insert FROM (SELECT to_regclass($1) AS oid) c',
        [qualified],
        signal,
      );
      if (!row?.found) return { ok: false, message: `table ${options.hypertablename} does not exist on ${client.where}: create it (docs/outputs/timescaledb.md) or set timescaledb.hypertablename` };
      if (!row.insert) return { ok: false, message: `${options.user} may not INSERT into ${options.hypertablename} on ${client.where}: GRANT INSERT on it` };
      return { ok: true };
    } catch (err) {
      const outcome = classifyPgError(err as Error, `connect to ${client.where}`);
      return { ok: false, message: outcome.kind === 'ok' ? '' : outcome.reason };
    }
  },
  async sendBatch(alerts, { client, options, signal }) {
    const statements = insertStatements(
      alerts.map((a) => alertRow(a, client.fieldKeys)),
      client.table,
      client.quote,
    );
    const what = `INSERT INTO ${options.hypertablename} on ${client.where}`;
    try {
      await raceSignal(client.link.run(statements, signal), signal);
      return ok();
    } catch (err) {
      if (signal.aborted) return classifyPgError({ message: `no answer within the deadline (${(err as Error).message}); the rows may still have been written, so a duplicate is possible` }, what);
      return classifyPgError(err as Error, what);
    }
  },
  async close(client) {
    await client.link.close();
  },
});
