// The trail's SQLite writer. sqlite-store.ts runs it on the main thread while the trail is quiet and
// in a worker thread once its commits take a share of the event loop (a thread idle costs ~12 MiB
// of RSS): under load the inserts, upserts and retention of the trail tables run off the event loop
// that answers Falco. It
// receives batches of events (trail-events.ts), folds them into one state per alert and output,
// commits each batch in one transaction with prepared statements, then publishes the acknowledged
// batch id and the trail's size through shared memory (the store waits on it before a read).
// A new alert's rows wait one batch in memory (HELD_BATCHES): most are delivered by then, so each
// row is inserted once with its outcome instead of inserted, looked up and rewritten. A batch sent
// for a read or at close (`flush`) writes them all.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { TRAIL_SCHEMA_SQL, uuidHash } from './sqlite-schema.ts';
import { keepAttempt } from './store.ts';
import { EVENT, type TrailEventField, type WriterInit, type WriterMessage } from './trail-events.ts';
import type { Attempt } from './types.ts';

/** What a row counts against trail.maxbytes beyond the alert's JSON (columns, indexes, output rows). */
const ROW_OVERHEAD = 320;

/** One output's row of one alert; upsertOutput adds what to do when it exists. */
const INSERT_OUTPUT = 'INSERT INTO trail_outputs(seq, output, state, state_at, reason, attempt_count, attempts) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** One output's state for one alert, as the batch leaves it. */
interface Slot {
  uuid: string;
  output: string;
  state: string;
  stateAt: number;
  reason: string | null;
  /** Attempts made in this batch (the list keeps the first and the latest). */
  count: number;
  attempts: Attempt[];
}

const RETENTION_EVERY_MS = 10_000;

/** A new alert whose rows are not written yet: its trail_alerts values and its outputs' states. */
interface Held {
  /** trail_alerts values from `received_at` to `spool_id` (after uuid and its hash). */
  values: TrailEventField[];
  spoolId: number | null;
  json: string;
  slots: Map<string, Slot>;
  /** The batch it came in. */
  batch: number;
}

/** Batches a new alert's rows wait for its outcome before they are written. */
const HELD_BATCHES = 1;

type ErrorReport = { type: 'error'; message: string; lost: number };

/** An output's state before any event about it: queued since `at`. */
function queued(uuid: string, output: string, at: number): Slot {
  return { uuid, output, state: 'queued', stateAt: at, reason: null, count: 0, attempts: [] };
}

/** Applies an event's state, reason and time, as the flat event array holds them. */
function setState(s: Slot, state: unknown, reason: unknown, at: unknown): void {
  s.state = state as string;
  s.reason = reason as string | null;
  s.stateAt = at as number;
}

export class Writer {
  private readonly db: DatabaseSync;
  private readonly stmt: Record<string, StatementSync>;
  private readonly init: WriterInit;
  private readonly acked: Int32Array;
  private readonly sizes: Float64Array;
  private byteCount: number;
  private alertCount: number;
  private lastRetention = 0;
  private readonly report: (m: ErrorReport) => void;
  /** New alerts not written yet, by uuid, in the order they came. */
  private held = new Map<string, Held>();
  /** uuid of a held alert, by its spool id (stateBySpoolId events). */
  private heldBySpoolId = new Map<number, string>();
  /** The JSON of lone attempts written in this transaction (attemptsJson). */
  private readonly loneAttempts = new Map<Attempt, string>();

  constructor(init: WriterInit, report: (m: ErrorReport) => void = (m) => parentPort?.postMessage(m)) {
    this.init = init;
    this.report = report;
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
      insertOutput: this.db.prepare(INSERT_OUTPUT),
      upsertOutput: this.db.prepare(
        `${INSERT_OUTPUT} ON CONFLICT(seq, output) DO UPDATE SET state = excluded.state, state_at = excluded.state_at, reason = excluded.reason,
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
    let received = 0;
    const heldBefore = this.held.size;
    // The alerts taken out of `held` to be written in this transaction are lost with it.
    this.transact(() => {
      const slots = new Map<string, Slot>();
      const bySpoolId: TrailEventField[][] = [];
      const e = m.events;
      /** The state of one output of one alert: in its held alert, else folded here and written below. */
      const slot = (uuid: string, output: string, at: number): Slot => {
        const held = this.held.get(uuid);
        const key = held ? output : `${uuid}\n${output}`;
        const map = held ? held.slots : slots;
        let s = map.get(key);
        if (!s) map.set(key, (s = queued(uuid, output, at)));
        return s;
      };
      for (let i = 0; i < e.length; ) {
        const kind = e[i];
        if (kind === EVENT.received) {
          const uuid = e[i + 1] as string;
          const at = e[i + 2] as number;
          const spoolId = e[i + 10] as number | null;
          const held: Held = { values: e.slice(i + 2, i + 11), spoolId, json: m.json[received++] as string, slots: new Map(), batch: m.id };
          const n = e[i + 11] as number;
          for (let k = 0; k < n; k++) {
            const output = e[i + 12 + k] as string;
            held.slots.set(output, queued(uuid, output, at));
          }
          const earlier = this.held.get(uuid);
          if (earlier) this.writeOne(uuid, earlier); // the same uuid again (a replay): a new record after it
          this.held.set(uuid, held);
          if (spoolId !== null) this.heldBySpoolId.set(spoolId, uuid);
          i += 12 + n;
        } else if (kind === EVENT.attempt) {
          const output = e[i + 1] as string;
          const at = e[i + 4] as number;
          // One Attempt for all the alerts of the event: its JSON is made once (attemptsJson).
          const attempt: Attempt = { at, latencyMs: e[i + 5] as number, outcome: e[i + 6] as Attempt['outcome'], detail: e[i + 7] as string, batch: e[i + 8] as number };
          const n = e[i + 9] as number;
          for (let k = 0; k < n; k++) {
            const s = slot(e[i + 10 + k] as string, output, at);
            keepAttempt(s.attempts, attempt);
            s.count++;
            setState(s, e[i + 2], e[i + 3], at);
          }
          i += 10 + n;
        } else if (kind === EVENT.state) {
          setState(slot(e[i + 1] as string, e[i + 2] as string, e[i + 5] as number), e[i + 3], e[i + 4], e[i + 5]);
          i += 6;
        } else if (kind === EVENT.stateBySpoolId) {
          const uuid = this.heldBySpoolId.get(e[i + 1] as number);
          if (uuid !== undefined && this.held.has(uuid)) setState(slot(uuid, e[i + 2] as string, e[i + 5] as number), e[i + 3], e[i + 4], e[i + 5]);
          else bySpoolId.push(e.slice(i + 1, i + 6));
          i += 6;
        } else {
          throw new Error(`unknown trail event ${String(kind)} at ${i}`);
        }
      }
      for (const s of slots.values()) {
        const seq = this.seqOf(s.uuid);
        if (seq !== undefined) this.writeOutput(seq, s, false);
      }
      for (const [spoolId, output, state, reason, at] of bySpoolId) {
        const seq = (this.stmt.seqOfSpoolId?.get(spoolId as number) as { seq: number } | undefined)?.seq;
        if (seq !== undefined) {
          const s = queued('', output as string, at as number);
          setState(s, state, reason, at);
          this.writeOutput(Number(seq), s, false);
        }
      }
      this.writeHeld(m.flush === true ? Infinity : m.id - HELD_BATCHES);
      if (m.now - this.lastRetention >= RETENTION_EVERY_MS) this.retain(m.now);
    }, () => heldBefore + received - this.held.size);
    this.publish(m.id);
  }

  /** Runs `work` in one transaction; when it fails, rolls back and reports `lost()` alerts without a trail. */
  private transact(work: () => void, lost: () => number): void {
    this.loneAttempts.clear();
    try {
      this.db.exec('BEGIN IMMEDIATE');
      work();
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      this.report({ type: 'error', message: (err as Error).message, lost: lost() });
    }
  }

  /** Writes the held alerts that came in batch `upTo` or before, oldest first. */
  private writeHeld(upTo: number): void {
    for (const [uuid, held] of this.held) {
      if (held.batch > upTo) break; // held in arrival order: the rest came later
      this.writeOne(uuid, held);
    }
  }

  /** Inserts one held alert's row and its outputs' rows, as they stand now. */
  private writeOne(uuid: string, held: Held): void {
    this.held.delete(uuid);
    if (held.spoolId !== null) this.heldBySpoolId.delete(held.spoolId);
    const bytes = held.json.length + ROW_OVERHEAD;
    const { lastInsertRowid } = this.stmt.insertAlert?.run(uuid, uuidHash(uuid), ...(held.values as (string | number | null)[]), bytes, held.json) as { lastInsertRowid: number | bigint };
    const seq = Number(lastInsertRowid);
    this.byteCount += bytes;
    this.alertCount++;
    for (const s of held.slots.values()) this.writeOutput(seq, s, true);
  }

  /** Writes what it holds, then closes (the inline writer when the thread takes over, or the store's close). */
  close(id: number): void {
    const lost = this.held.size;
    if (lost > 0) this.transact(() => this.writeHeld(Infinity), () => lost);
    this.db.close();
    this.publish(id);
  }

  /** The latest trail of this uuid (a record deleted by retention has none: its events are dropped). */
  private seqOf(uuid: string): number | undefined {
    const row = this.stmt.seqOf?.get(uuidHash(uuid), uuid) as { seq: number } | undefined;
    return row === undefined ? undefined : Number(row.seq);
  }

  /** Writes one output's state; unless the alert's row is from this batch, attempts made before it are merged from the row. */
  private writeOutput(seq: number, s: Slot, fresh: boolean): void {
    let attempts = s.attempts;
    let count = s.count;
    if (!fresh) {
      const row = this.stmt.outputRow?.get(seq, s.output) as { n: number; attempts: string } | undefined;
      if (row) {
        const merged = JSON.parse(row.attempts) as Attempt[];
        for (const attempt of attempts) keepAttempt(merged, attempt);
        attempts = merged;
        count += Number(row.n);
      }
    }
    // A fresh alert's row was inserted just now: its outputs have no rows yet (a plain insert is cheaper).
    (fresh ? this.stmt.insertOutput : this.stmt.upsertOutput)?.run(seq, s.output, s.state, s.stateAt, s.reason, count, this.attemptsJson(attempts));
  }

  /** The attempts as JSON; a lone attempt (most rows) shares the JSON made for its request's first alert. */
  private attemptsJson(attempts: readonly Attempt[]): string {
    const attempt = attempts[0];
    // A request of one alert has no other row to share it with.
    if (attempts.length !== 1 || attempt === undefined || attempt.batch === 1) return JSON.stringify(attempts);
    let json = this.loneAttempts.get(attempt);
    if (json === undefined) this.loneAttempts.set(attempt, (json = JSON.stringify(attempts)));
    return json;
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

if (parentPort && (workerData as WriterInit | undefined)?.thread) {
  // The trail is bookkeeping, off the path of every reply and delivery: when the CPUs are contended
  // the event loop, the spool's writer and the load's other processes go first. Should this thread
  // then fall behind, new alerts are left out of the trail and counted (writer_behind), never
  // delayed. On Linux the nice value is per thread, so this lowers this thread alone (elsewhere it
  // would lower the daemon). Falco-like load, spool on: 2–5 % more alerts/s (docs/performance.md).
  if (process.platform === 'linux') {
    try {
      setPriority(19);
    } catch {
      // Not allowed here (a seccomp profile): the thread keeps the daemon's priority, and works.
    }
  }
  const writer = new Writer(workerData as WriterInit);
  parentPort.on('message', (m: WriterMessage) => {
    if (m.type === 'batch') writer.batch(m);
    else {
      writer.close(m.id);
      parentPort?.close();
    }
  });
}
