// Shape of $PEREGRINE_IT_STATE/postgres.json, written by test/infra/postgres/start.sh.
// Usage: const pg = await useInfra<PostgresInfra>('postgres');
//        timescaledb.host/port/user/password/database from it; create tables as pg.superuser or pg.user.
export interface PostgresInfra {
  /** "127.0.0.1" */
  host: string;
  port: number;
  /** "falcosidekick", owned by `user`. */
  database: string;
  /** A login role with a password (scram-sha-256), the database's owner. */
  user: string;
  password: string;
  /** A role that may log in over TLS only (hostssl), as on a server that requires TLS; the same password. */
  tlsOnly: { user: string; password: string };
  /** The cluster's superuser. */
  superuser: { user: string; password: string };
  /** psql of the same PostgreSQL version. */
  psql: string;
  /** The server's log. */
  log: string;
}
