// The trail's SQLite writer, run in a worker thread (sqlite-store.ts starts it): the inserts,
// upserts and retention of the trail tables never run on the event loop that answers Falco. It
// receives batches of rows, commits each in one transaction, then publishes the acknowledged
// batch id and the trail's size through shared memory (the store waits on it before a read).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { TRAIL_SCHEMA_SQL, uuidHash } from './sqlite-schema.ts';
import { keepAttempt } from './store.ts';
import type { Attempt } from './types.ts';

/** [uuid, receivedAt, from, rule, priority rank, source, hostname, namespace, routes JSON, spoolId, bytes, alert JSON] */
export type AlertRow = [string, number, string, string, number, string, string, string, string, number | null, number, string];
/** [uuid, output, state, stateAt, reason, attempts made since the last batch, those attempts (JSON), received in this batch] */
export type OutputRow = [string, string, string, number, string | null, number, string, boolean];
/** [spoolId, output, state, at, reason] */
export type SpoolIdRow = [number, string, string, number, string | null];

export interface WriterInit {
  path: string;
  maxbytes: number;
  maxagems: number;
  /** Int32 [0]: last committed batch id; Float64 [1]: bytes held; Float64 [2]: alerts held. */
  shared: SharedArrayBuffer;
}

export type WriterMessage =
  | { type: 'batch'; id: number; now: number; alerts: AlertRow[]; outputs: OutputRow[]; bySpoolId: SpoolIdRow[] }
  | { type: 'close'; id: number };

const RETENTION_EVERY_MS = 10_000;

class Writer {
  private readonly db: DatabaseSync;
  private readonly stmt: Record<string, StatementSync>;
  private readonly init: WriterInit;
  private readonly acked: Int32Array;
  private readonly sizes: Float64Array;
  private byteCount: number;
  private alertCount: number;
  private lastRetention = 0;

  constructor(init: WriterInit) {
    this.init = init;
    this.acked = new Int32Array(init.shared, 0, 1);
    this.sizes = new Float64Array(init.shared, 8, 2);
    this.db = new DatabaseSync(init.path);
    // History, not delivery state: no fsync per commit whatever spool.fsync says; wait for the
    // spool's own commits rather than failing on its lock.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(TRAIL_SCHEMA_SQL);
    this.stmt = {
      insertAlert: this.db.prepare(
        `INSERT INTO trail_alerts(uuid, uuid_hash, received_at, from_addr, rule, priority, source, hostname, namespace, routes, spool_id, bytes, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      upsertOutput: this.db.prepare(
        `INSERT INTO trail_outputs(seq, output, state, state_at, reason, attempt_count, attempts) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(seq, output) DO UPDATE SET state = excluded.state, state_at = excluded.state_at, reason = excluded.reason,
           attempt_count = excluded.attempt_count, attempts = excluded.attempts`,
      ),
      outputRow: this.db.prepare('SELECT attempt_count AS n, attempts FROM trail_outputs WHERE seq = ? AND output = ?'),
      seqOf: this.db.prepare('SELECT seq FROM trail_alerts WHERE uuid_hash = ? AND uuid = ? ORDER BY seq DESC LIMIT 1'),
      seqOfSpoolId: this.db.prepare('SELECT seq FROM trail_alerts WHERE spool_id = ? ORDER BY seq DESC LIMIT 1'),
      expired: this.db.prepare('SELECT MAX(seq) AS seq FROM trail_alerts WHERE received_at < ?'),
      oldest: this.db.prepare('SELECT seq, bytes FROM trail_alerts ORDER BY seq LIMIT 1000'),
      deleteOutputsTo: this.db.prepare('DELETE FROM trail_outputs WHERE seq <= ?'),
      deleteAlertsTo: this.db.prepare('DELETE FROM trail_alerts WHERE seq <= ? RETURNING bytes'),
    };
    const size = this.db.prepare('SELECT COALESCE(SUM(bytes), 0) AS b, COUNT(*) AS n FROM trail_alerts').get() as { b: number; n: number };
    this.byteCount = Number(size.b);
    this.alertCount = Number(size.n);
    this.publish(0);
  }

  batch(m: Extract<WriterMessage, { type: 'batch' }>): void {
    try {
      this.db.exec('BEGIN IMMEDIATE');
      // The seq of each alert received in this batch: its outputs' rows need no lookup.
      const fresh = new Map<string, number>();
      for (const [uuid, ...rest] of m.alerts) {
        const { lastInsertRowid } = this.stmt.insertAlert?.run(uuid, uuidHash(uuid), ...rest) as { lastInsertRowid: number | bigint };
        fresh.set(uuid, Number(lastInsertRowid));
        this.byteCount += rest[9];
        this.alertCount++;
      }
      for (const row of m.outputs) {
        const seq = row[7] ? fresh.get(row[0]) : this.seqOf(row[0]);
        if (seq !== undefined) this.writeOutput(seq, row);
      }
      for (const [spoolId, output, state, at, reason] of m.bySpoolId) {
        const seq = (this.stmt.seqOfSpoolId?.get(spoolId) as { seq: number } | undefined)?.seq;
        if (seq !== undefined) this.writeOutput(Number(seq), ['', output, state, at, reason, 0, '[]', false]);
      }
      if (m.now - this.lastRetention >= RETENTION_EVERY_MS) this.retain(m.now);
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      parentPort?.postMessage({ type: 'error', message: (err as Error).message, lost: m.alerts.length });
    }
    this.publish(m.id);
  }

  close(id: number): void {
    this.db.close();
    this.publish(id);
  }

  /** The latest trail of this uuid (a record deleted by retention has none: its events are dropped). */
  private seqOf(uuid: string): number | undefined {
    const row = this.stmt.seqOf?.get(uuidHash(uuid), uuid) as { seq: number } | undefined;
    return row === undefined ? undefined : Number(row.seq);
  }

  /** Writes one output's state; attempts made before the last batch are merged from the row. */
  private writeOutput(seq: number, [, output, state, stateAt, reason, newAttempts, attemptsJson, fresh]: OutputRow): void {
    let attempts = attemptsJson;
    let count = newAttempts;
    if (!fresh) {
      const row = this.stmt.outputRow?.get(seq, output) as { n: number; attempts: string } | undefined;
      if (row) {
        const merged = JSON.parse(row.attempts) as Attempt[];
        for (const attempt of JSON.parse(attemptsJson) as Attempt[]) keepAttempt(merged, attempt);
        attempts = JSON.stringify(merged);
        count += Number(row.n);
      }
    }
    this.stmt.upsertOutput?.run(seq, output, state, stateAt, reason, count, attempts);
  }

  /** Deletes what is older than maxagems, then the oldest until under maxbytes. */
  private retain(now: number): void {
    this.lastRetention = now;
    const expired = (this.stmt.expired?.get(now - this.init.maxagems) as { seq: number | null }).seq;
    if (expired !== null) this.deleteTo(Number(expired));
    while (this.byteCount > this.init.maxbytes) {
      const rows = this.stmt.oldest?.all() as { seq: number; bytes: number }[];
      if (rows.length === 0) break;
      let freed = 0;
      let upTo = 0;
      for (const row of rows) {
        freed += Number(row.bytes);
        upTo = Number(row.seq);
        if (this.byteCount - freed <= this.init.maxbytes) break;
      }
      this.deleteTo(upTo);
    }
  }

  private deleteTo(seq: number): void {
    this.stmt.deleteOutputsTo?.run(seq);
    for (const row of this.stmt.deleteAlertsTo?.all(seq) as { bytes: number }[]) {
      this.byteCount -= Number(row.bytes);
      this.alertCount--;
    }
  }

  private publish(id: number): void {
    this.sizes[0] = this.byteCount;
    this.sizes[1] = this.alertCount;
    Atomics.store(this.acked, 0, id);
    Atomics.notify(this.acked, 0);
  }
}

if (parentPort && workerData) {
  const writer = new Writer(workerData as WriterInit);
  parentPort.on('message', (m: WriterMessage) => {
    if (m.type === 'batch') writer.batch(m);
    else {
      writer.close(m.id);
      parentPort?.close();
    }
  });
}
