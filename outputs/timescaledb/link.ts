// The connections to the server: a pg Pool (pg is loaded by connect(), never at import). A batch's
// statements run on one connection, in one transaction when there are several; the send's signal
// ends the connection, and the server's statement_timeout (index.ts) ends a statement still running
// there, so nothing of a timed-out attempt commits later. The first pool asks for TLS; a server
// that answers it does not do TLS gets the plain pool instead (pgx's sslmode=prefer).
import type { Pool, PoolClient } from 'pg';
import { abortReason, raceSignal } from '../../src/plugin/index.ts';
import type { Statement } from './rows.ts';

// Errors after which the connection is still usable: the statement was refused, nothing else.
const KEEPS_CONNECTION = /^(?:22|23|42|54|40|25|55|3F|3D)/;

const NO_TLS = /does not support SSL/;

export class PgLink {
  private pool: Pool;
  private plain: (() => Pool) | undefined;

  constructor(pool: Pool, plain?: () => Pool) {
    this.pool = pool;
    this.plain = plain;
  }

  /** Runs the statements, whole or not at all. Throws the server's or the connection's error. */
  async run(statements: readonly Statement[], signal: AbortSignal): Promise<void> {
    await this.withConnection(signal, async (conn) => {
      if (statements.length === 1) {
        const [only] = statements as [Statement];
        await conn.query(only.text, only.values);
        return;
      }
      await conn.query('BEGIN');
      try {
        for (const s of statements) await conn.query(s.text, s.values);
        await conn.query('COMMIT');
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => {});
        throw err;
      }
    });
  }

  /** One query's rows (the health check). */
  async query<R extends Record<string, unknown>>(text: string, values: unknown[], signal: AbortSignal): Promise<R[]> {
    return this.withConnection(signal, async (conn) => (await conn.query<R>(text, values)).rows);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async checkout(signal: AbortSignal): Promise<PoolClient> {
    const connecting = this.pool.connect();
    try {
      return await raceSignal(connecting, signal);
    } catch (err) {
      if (signal.aborted) connecting.then((late) => late.release(), () => {}); // a connection that comes late goes back to the pool
      const plain = this.plain;
      if (!plain || !NO_TLS.test((err as Error).message)) throw err;
      // The server does not do TLS: plain TCP from now on, as pgx's "prefer" does.
      this.plain = undefined;
      void this.pool.end().catch(() => {});
      this.pool = plain();
      return this.checkout(signal);
    }
  }

  private async withConnection<T>(signal: AbortSignal, use: (conn: PoolClient) => Promise<T>): Promise<T> {
    const conn = await this.checkout(signal);
    let ended = false;
    // A checked-out connection has no listener of the pool's: an error the server sends between two
    // statements (57P01 at a shutdown) would otherwise be an uncaught 'error' event. The statement
    // waiting on it rejects with that error, and it is classified there.
    const onError = () => {};
    conn.on('error', onError);
    const onAbort = () => {
      ended = true;
      conn.release(abortReason(signal)); // ends the connection: a query still running on it stops
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await use(conn);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (!ended && !(typeof code === 'string' && KEEPS_CONNECTION.test(code))) {
        ended = true;
        conn.release(err as Error);
      }
      throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
      // A connection ended here keeps the listener: its socket may still report its end.
      if (!ended) {
        conn.removeListener('error', onError);
        conn.release();
      }
    }
  }
}
