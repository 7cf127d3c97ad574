// The spool's hot-path writes, in one transaction per batch: alerts spilled from the intake log
// (intake.ts), new alerts with a delivery row per output (evicting lower-priority alerts to stay
// under maxbytes), deliveries done and rescheduled.
// Runs on the spool's writer thread (writer-thread.ts) in the daemon, in-process in `peregrine dlq`.
// The highest id, the byte count and the alerts stored live in a BigInt64Array shared with the main
// thread ([0] highest id ever allocated, [1] alert bytes held, [2] alert rows ever inserted): the main
// thread reads them (metrics, replay) and changes the bytes when it dead-letters an alert.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AckMark } from './ack-mark.ts';

interface AppendRow {
  uuid: string;
  /** priorityRank of the alert. */
  rank: number;
  receivedAt: number;
  bytes: number;
  json: string;
  outputs: string[];
}

/** An alert taken in by the intake log (intake.ts): already answered, with its id; inserted, never refused. */
export interface SpillRow extends AppendRow {
  id: number;
}

export interface Batch {
  appends: AppendRow[];
  spills: SpillRow[];
  /** The intake log's records up to this id are all in this batch or earlier ones (or delivered): saved, so a restart replays only those above. */
  intake?: number;
  /** [output, spool id] */
  completes: [string, number][];
  /** [attempts, next at, output, spool id] */
  reschedules: [number, number, string, number][];
}

export interface BatchResult {
  /** Per append: its spool id, or null when refused (the spool is full of alerts as high as it). */
  ids: (number | null)[];
  /** Alerts evicted to make room: [spool id, outputs that still had it, priority rank]. */
  evictions: [number, string[], number][];
  seconds: number;
}

export const HWM = 0;
export const BYTES = 1;
/** Alert rows ever inserted, saved in `meta` with each commit and in the ack mark after it: the loss check (spool.ts) compares the two. */
export const STORED = 2;
export const COUNTERS = 3;

export class BatchWriter {
  private readonly db: DatabaseSync;
  private readonly stmt: Record<string, StatementSync>;
  private readonly counters: BigInt64Array;
  private readonly maxbytes: number;
  private readonly ackMark: AckMark;

  constructor(db: DatabaseSync, counters: BigInt64Array, maxbytes: number, ackMark: AckMark) {
    this.db = db;
    this.counters = counters;
    this.maxbytes = maxbytes;
    this.ackMark = ackMark;
    this.stmt = {
      insertAlert: db.prepare('INSERT INTO alerts(id, uuid, priority, received_at, bytes, json) VALUES (?, ?, ?, ?, ?, ?)'),
      saveHwm: db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('hwm', ?)"),
      saveIntake: db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('intake', ?)"),
      saveStored: db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('stored', ?)"),
      insertDelivery: db.prepare('INSERT OR IGNORE INTO deliveries(output, alert_id) VALUES (?, ?)'),
      // One statement per output and one for the alerts, whatever the number of deliveries done: a
      // statement per delivery and per alert cost the fan-out's writer thread ~15 % more
      // (docs/performance-history.md, round 15). Both are index lookups per id (EXPLAIN QUERY PLAN).
      deleteDeliveries: db.prepare('DELETE FROM deliveries WHERE output = ? AND alert_id IN (SELECT value FROM json_each(?))'),
      deleteOrphans: db.prepare(
        'DELETE FROM alerts WHERE id IN (SELECT value FROM json_each(?)) AND NOT EXISTS (SELECT 1 FROM deliveries WHERE alert_id = alerts.id) RETURNING bytes',
      ),
      reschedule: db.prepare('UPDATE deliveries SET attempts = ?, next_at = ? WHERE output = ? AND alert_id = ?'),
      victim: db.prepare('SELECT id, priority, bytes FROM alerts ORDER BY priority ASC, id DESC LIMIT 1'),
      deleteAlert: db.prepare('DELETE FROM alerts WHERE id = ?'),
      deleteAlertDeliveries: db.prepare('DELETE FROM deliveries WHERE alert_id = ? RETURNING output'),
    };
  }

  /** Commits the batch (and `alsoWrite`'s writes); throws (rolled back, counters unchanged) when the commit fails. */
  commit(batch: Batch, alsoWrite?: () => void): BatchResult {
    const started = performance.now();
    const hwmBefore = Atomics.load(this.counters, HWM);
    let bytes = 0;
    let stored = 0;
    const ids: (number | null)[] = [];
    const evictions: [number, string[], number][] = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      // Spills first: a delivery done or rescheduled may be of an alert spilled in this batch.
      for (const row of batch.spills) {
        this.stmt.insertAlert?.run(row.id, row.uuid, row.rank, row.receivedAt, row.bytes, row.json);
        for (const output of row.outputs) this.stmt.insertDelivery?.run(output, row.id);
        bytes += row.bytes;
        stored++;
      }
      if (batch.completes.length > 0) bytes -= this.forgetRows(batch.completes);
      for (const args of batch.reschedules) this.stmt.reschedule?.run(...args);
      for (const row of batch.appends) {
        const held = () => Number(Atomics.load(this.counters, BYTES)) + bytes;
        let refused = false;
        while (held() + row.bytes > this.maxbytes) {
          const victim = this.stmt.victim?.get() as { id: number; priority: number; bytes: number } | undefined;
          if (!victim || victim.priority >= row.rank) {
            refused = true;
            break;
          }
          const outputs = (this.stmt.deleteAlertDeliveries?.all(victim.id) as { output: string }[]).map((r) => r.output);
          this.stmt.deleteAlert?.run(victim.id);
          bytes -= Number(victim.bytes);
          evictions.push([Number(victim.id), outputs, Number(victim.priority)]);
        }
        if (refused) {
          ids.push(null);
          continue;
        }
        const id = Number(Atomics.add(this.counters, HWM, 1n)) + 1;
        this.stmt.insertAlert?.run(id, row.uuid, row.rank, row.receivedAt, row.bytes, row.json);
        for (const output of row.outputs) this.stmt.insertDelivery?.run(output, id);
        bytes += row.bytes;
        stored++;
        ids.push(id);
      }
      alsoWrite?.();
      const hwm = Atomics.load(this.counters, HWM);
      // Spilled alerts' ids were allocated when the intake log took them, before this batch.
      if (hwm !== hwmBefore || batch.spills.length > 0) this.stmt.saveHwm?.run(String(hwm));
      if (batch.intake !== undefined) this.stmt.saveIntake?.run(String(batch.intake));
      const total = Number(Atomics.load(this.counters, STORED)) + stored;
      if (stored > 0) this.stmt.saveStored?.run(String(total));
      this.db.exec('COMMIT');
      if (stored > 0) {
        Atomics.store(this.counters, STORED, BigInt(total));
        this.ackMark.write(total);
      }
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      Atomics.store(this.counters, HWM, hwmBefore);
      throw err;
    }
    Atomics.add(this.counters, BYTES, BigInt(bytes));
    return { ids, evictions, seconds: (performance.now() - started) / 1000 };
  }

  /** Forgets deliveries ([output, spool id]) inside the caller's transaction; returns the bytes of the alerts that had no other. */
  forgetRows(deliveries: readonly (readonly [string, number])[]): number {
    const byOutput = new Map<string, number[]>();
    const ids = new Set<number>();
    for (const [output, id] of deliveries) {
      let list = byOutput.get(output);
      if (!list) byOutput.set(output, (list = []));
      list.push(id);
      ids.add(id);
    }
    for (const [output, list] of byOutput) this.stmt.deleteDeliveries?.run(output, JSON.stringify(list));
    let bytes = 0;
    for (const gone of this.stmt.deleteOrphans?.all(JSON.stringify([...ids])) as { bytes: number }[]) bytes += Number(gone.bytes);
    return bytes;
  }
}
