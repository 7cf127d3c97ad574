// What a PostgreSQL error means for the alerts of an INSERT, by its SQLSTATE (PostgreSQL's
// "Appendix A. Error Codes"), or a connection error. A batch is one INSERT (one transaction), which
// PostgreSQL applies whole or not at all:
//   - a data error (class 22: a value too long for its column, a NUL character; class 23: a NOT NULL
//     or CHECK the row breaks) is about one row: fail(), and the core sends the batch again in
//     halves until only the alert at fault is dead-lettered;
//   - the server's state (connections, shutdown, resources, serialization, read-only standby) and
//     its configuration (a missing table or column, a missing database, a type the table's column
//     cannot take for any alert) are retried: the alerts wait until it changes, or their retry
//     budget ends (a missing table is like a missing Kafka topic or SQS queue);
//   - refused credentials or privileges are retried with `auth` (the output shows failing).
import { fail, retry, type Outcome } from '../../src/plugin/index.ts';

/** What went wrong: a server error (`code` its SQLSTATE) or a client/connection error (`code` ECONNREFUSED…). */
export interface PgFailure {
  message: string;
  code?: string | undefined;
  detail?: string | undefined;
  column?: string | undefined;
}

const HINTS: Record<string, { hint: string; auth?: true }> = {
  '28P01': { hint: 'check timescaledb.user and timescaledb.password', auth: true },
  '28000': { hint: 'the server\'s pg_hba.conf refuses this user, database or address: check timescaledb.user and timescaledb.database, or the server\'s pg_hba.conf', auth: true },
  '42501': { hint: 'the role may not insert into the table: GRANT INSERT on it to timescaledb.user', auth: true },
  '3D000': { hint: 'the database does not exist: create it or set timescaledb.database' },
  '42P01': { hint: 'the table does not exist: create it (docs/outputs/timescaledb.md) or set timescaledb.hypertablename' },
  '3F000': { hint: 'the schema of timescaledb.hypertablename does not exist' },
  '42703': { hint: 'the table has no such column: add it (every customfields/templatedfields key is a column) or remove the field' },
  '42804': { hint: 'a column of the table has a type the value cannot be (time must be TIMESTAMPTZ or TIMESTAMP, the others text)' },
  '25006': { hint: 'the server is a read-only standby: point timescaledb.host at the primary (retried: a failover may promote it)' },
  '57P01': { hint: 'the server is shutting down (admin shutdown)' },
  '57P02': { hint: 'the server is crashing (crash shutdown)' },
  '57P03': { hint: 'the server is starting up or in recovery' },
  '57014': { hint: 'the statement was cancelled (statement_timeout or a cancel request)' },
  '53300': { hint: 'the server has too many connections: raise its max_connections or lower timescaledb.maxconcurrency' },
  '53100': { hint: 'the server\'s disk is full' },
  '53200': { hint: 'the server is out of memory' },
  '40001': { hint: 'serialization failure' },
  '40P01': { hint: 'deadlock detected' },
  '55P03': { hint: 'the table is locked' },
};

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** A failure of the INSERT (`what`: "INSERT INTO falcosidekick_events on host:5432/falcosidekick") as the batch's outcome. */
export function classifyPgError(failure: PgFailure, what: string): Outcome {
  const { code } = failure;
  const sqlstate = code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const detail = failure.detail ? ` (${failure.detail})` : '';
  if (sqlstate === undefined) {
    // pg refuses to start SCRAM without a password: the server asked for one.
    if (/password must be a string|SASL: .*password/.test(failure.message)) return retry(`${what}: the server asks for a password and timescaledb.password is empty: set it`, { auth: true });
    const hint = code !== undefined && NETWORK.has(code) ? ' (the server cannot be reached: check timescaledb.host and timescaledb.port)' : '';
    return retry(`${what}: ${failure.message}${hint}`);
  }
  const text = `${what}: ${failure.message}${detail} (SQLSTATE ${sqlstate}`;
  const known = HINTS[sqlstate];
  if (known) return retry(`${text}: ${known.hint})`, known.auth ? { auth: true } : undefined);
  const klass = sqlstate.slice(0, 2);
  // 22: data exception; 23: integrity constraint violation; 54000: a row too big for an index.
  if (klass === '22' || klass === '23' || sqlstate === '54000') return fail(`${text}: a value the table refuses; the alert at fault is dead-lettered)`);
  return retry(`${text})`, klass === '28' ? { auth: true } : undefined);
}
