// The durable spool: node:sqlite in WAL mode. An alert is written once; each output that should get
// it has a delivery row referencing it. Ingest replies only after the commit that holds the alert;
// writes from concurrent requests share one commit (group commit: what arrives while a commit runs
// goes into the next). Deliveries done and retries are journalled in the same batched transactions.
// Under load those batches are committed on a writer thread (thread-writer.ts), off the event
// loop; what else writes (dead letters, replay, noise control's state) runs here, on the spool's
// own connection, once the writer has caught up. The thread starts when commits here take a share
// of a busy event loop (WRITER_THREAD_AT): an idle daemon does not pay its ~14 MiB of RSS, and one
// Falco sending one request at a time keeps the lower reply time of an inline commit.
//
// Until that thread starts, the daemon's spool (`intake`, with spool.fsync: normal) answers new
// alerts once they are in its intake log (intake.ts): one write to a file, no commit. Every
// BOOKKEEPING_DELAY_MS (or SPILL_AT alerts) the alerts not yet delivered everywhere are spilled into
// SQLite in one commit; those delivered meanwhile never reach it. One Falco sending one request at a
// time then waits for a write, not for a commit of five B-trees.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import { priorityRank } from '../alert/priority.ts';
import { NEXT_DEAD_LETTER_ID, SCHEMA_SQL, SCHEMA_VERSION } from './schema.ts';
import { BatchWriter, BYTES, COUNTERS, HWM, STORED, type Batch, type BatchResult, type SpillRow } from './batch.ts';
import { IntakeLog } from './intake.ts';
import { ThreadWriter } from './thread-writer.ts';
import { SpoolHealth } from './spool-health.ts';
import { spoolAccessError } from './open-error.ts';
import { AckMark } from './ack-mark.ts';
import { lockSpoolDir, type DirLock } from './dir-lock.ts';
import { ConfigError } from '../errors.ts';
import { systemClock, type Clock } from '../dispatch/clock.ts';

type FsyncPolicy = 'normal' | 'full';

export interface SpoolOptions {
  dir: string;
  maxbytes: number;
  fsync: FsyncPolicy;
}

export interface PendingDelivery {
  id: number;
  json: string;
  bytes: number;
  attempts: number;
  nextAt: number;
  receivedAt: number;
}

export interface StoredDeadLetter {
  id: number;
  output: string;
  uuid: string;
  json: string;
  reason: string;
  detail: string;
  attempts: number;
  at: number;
}

interface AppendRequest {
  alert: Alert;
  json: string;
  bytes: number;
  outputs: string[];
  receivedAt: number;
  resolve: (id: number) => void;
  reject: (err: Error) => void;
}

export interface DeadLetterRowFilter {
  output?: string;
  since?: number;
  id?: number;
  rule?: string;
}

export const SPOOL_FILE = 'peregrine.db';
/** The intake log's segments: `<spool file>-intake-<n>` (intake.ts). */
const INTAKE_SUFFIX = '-intake';

/** `replay`: this opener owns the intake log (replays what a previous run left); `use`: new alerts go through it. */
interface IntakeUse {
  replay: boolean;
  use: boolean;
}

/** Other state kept in the spool's database and committed in its batches (noise control's dedupe windows). */
export interface SpoolSidecar {
  /** Something is waiting to be written. */
  dirty(): boolean;
  /** Writes it; runs inside the spool's transaction, so it commits together with the alerts of the batch. */
  write(): void;
}

export class SpoolFullError extends Error {}

/** Where batches are committed: `thread` always on the writer thread, `inline` always here, `auto` here until WRITER_THREAD_AT. */
export type SpoolWriterMode = 'thread' | 'inline' | 'auto';

/**
 * `auto` starts the writer thread once, within one second, commits on the event loop took `ms`
 * (2 %) and one of them held `appends` alerts or more: requests were waiting for each other. One
 * Falco sending one request at a time (one alert per commit) stays inline: the thread's round trip
 * added ~0.25 ms to its reply (docs/performance.md#delivery).
 */
const WRITER_THREAD_AT = { ms: 20, appends: 4, turns: 20 };

/**
 * Alerts held in the intake log and not in SQLite: at this many, they are spilled at once instead of
 * waiting for BOOKKEEPING_DELAY_MS (a bound on what a restart replays and on the rows held here).
 */
const SPILL_AT = 1000;

/**
 * How long deliveries done and retries rescheduled wait for a commit of new alerts to ride along
 * with. One Falco sending one request at a time then costs one commit per alert, not two (the
 * reply of the next alert no longer waits behind the commit of the previous one's delivery). A
 * crash inside this window re-sends those alerts at the next start: at least once, as always.
 */
const BOOKKEEPING_DELAY_MS = 100;

class CorruptSpoolError extends Error {}

// SQLite primary result codes (the low byte of an extended code) that mean the file itself is damaged.
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

function isCorruption(err: unknown): boolean {
  if (err instanceof CorruptSpoolError) return true;
  const code = (err as { errcode?: unknown }).errcode;
  return typeof code === 'number' && [SQLITE_CORRUPT, SQLITE_NOTADB].includes(code & 0xff);
}

export class Spool {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly options: SpoolOptions;
  private readonly log: Logger;
  private readonly stmt: Record<string, StatementSync>;
  private appends: AppendRequest[] = [];
  private completes: [string, number][] = [];
  private reschedules: [number, number, string, number][] = [];
  private flushScheduled = false;
  /** Deliveries done or rescheduled are waiting for new alerts to commit with, or for this timer (BOOKKEEPING_DELAY_MS). */
  private bookkeepingTimer: unknown;
  private readonly clock: Clock;
  /** A batch is being committed: what arrives meanwhile waits for the next one. */
  private committing = false;
  private readonly sidecars: SpoolSidecar[] = [];
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private dirLock: DirLock | undefined;
  /**
   * Shared with the writer thread (batch.ts): [HWM] the highest alert id ever allocated (ids are
   * never reused), [BYTES] the alert bytes held, [STORED] alert rows ever inserted (the loss check).
   */
  private readonly counters = new BigInt64Array(new SharedArrayBuffer(8 * COUNTERS));
  /** Commits batches here, on the spool's connection (without a writer thread, or with noise state). */
  private readonly batches: BatchWriter;
  private thread: ThreadWriter | undefined;
  private readonly writerMode: SpoolWriterMode;
  /** `auto`: ms spent committing here since `loadSince`, and the most alerts one of those commits held. */
  private inlineMs = 0;
  private inlineMostAppends = 0;
  private loadSince = 0;
  private readonly ackMark: AckMark;
  /** New alerts are answered once in this log, and spilled into SQLite later (see the header); undefined: answered after their commit. */
  private readonly intake: IntakeLog | undefined;
  /** Alerts in the intake log and not in SQLite, by id; `outputs`: those that do not have it yet. */
  private unspilled = new Map<number, SpillRow>();
  /** The spilled rows of the batch on the writer thread (json() reads them until it is done). */
  private spilling = new Map<number, SpillRow>();
  /** Bytes of the alerts in `unspilled` and `spilling`. */
  private intakeBytes = 0;
  /** The highest id written to the intake log, and the highest a commit (or a release) has covered. */
  private intakeMark = 0;
  private coveredMark = 0;
  /** `auto` with the intake: turns that took in WRITER_THREAD_AT.appends alerts or more since `turnsSince`. */
  private concurrentTurns = 0;
  private turnsSince = 0;
  /** Acknowledged alerts found missing at open (a damaged WAL): reported in the log and the metrics. */
  readonly lostAtOpen: number;
  private retryMs = 0;
  /** Failed writes: the spool degrades (503 for new alerts) and retries instead of crashing the process. */
  readonly health: SpoolHealth;
  /** Called after each commit with its duration (seconds): the commit latency histogram. */
  onCommit: (seconds: number) => void = () => {};

  /**
   * Opens (or creates) the spool. A corrupt file is moved aside and a fresh spool started, loudly.
   * Anything else (no permission, read-only volume, a newer schema) is a startup error that says
   * how to fix it: a file Peregrine could not open is never renamed. `writer`: where batches are
   * committed (SpoolWriterMode); `peregrine dlq` commits inline. `clock`: the delay of deliveries
   * done (BOOKKEEPING_DELAY_MS) runs on it (a fake clock in tests).
   */
  static open(
    options: SpoolOptions,
    log: Logger,
    { lock = true, writer = 'auto', clock = systemClock, intake = false }: { lock?: boolean; writer?: SpoolWriterMode; clock?: Clock; intake?: boolean } = {},
  ): Spool {
    const path = join(options.dir, SPOOL_FILE);
    let dirLock: DirLock | undefined;
    try {
      mkdirSync(options.dir, { recursive: true });
      // The daemon locks the folder (one daemon per spool); `peregrine dlq` works beside it.
      if (lock) dirLock = lockSpoolDir(options.dir);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw spoolAccessError(options.dir, path, err);
    }
    try {
      // Only the spool's owner replays (and then deletes) the intake log: `peregrine dlq` leaves it alone.
      const spool = Spool.openLocked(path, options, log, writer, clock, lock ? { replay: true, use: intake && writer !== 'thread' && options.fsync === 'normal' } : { replay: false, use: false });
      spool.dirLock = dirLock;
      return spool;
    } catch (err) {
      dirLock?.release();
      throw err;
    }
  }

  private static openLocked(path: string, options: SpoolOptions, log: Logger, writer: SpoolWriterMode, clock: Clock, intake: IntakeUse): Spool {
    try {
      return new Spool(path, options, log, writer, clock, intake);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      if (!isCorruption(err)) throw spoolAccessError(options.dir, path, err);
      const lost = countRecoverable(path);
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const suffix of ['', '-wal', '-shm', '-acked']) {
        if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
      }
      log.error(
        { err: (err as Error).message, movedTo: aside, unrecoverableAlerts: lost ?? 'unknown' },
        'SPOOL CORRUPT: moved aside and started a fresh spool; the alerts in it were NOT delivered — inspect the moved file',
      );
      return new Spool(path, options, log, writer, clock, intake);
    }
  }

  private constructor(path: string, options: SpoolOptions, log: Logger, writer: SpoolWriterMode, clock: Clock, intake: IntakeUse) {
    this.path = path;
    this.clock = clock;
    this.options = options;
    this.log = log;
    this.health = new SpoolHealth(log);
    // Waits up to 5 s for `peregrine dlq` (another connection) instead of failing at once with SQLITE_BUSY.
    this.db = new DatabaseSync(path, { timeout: 5_000 });
    let acknowledged: number;
    let storedAtOpen: number;
    try {
      this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.fsync === 'full' ? 'FULL' : 'NORMAL'}; PRAGMA foreign_keys = OFF;`);
      const check = this.db.prepare('PRAGMA quick_check').get() as { quick_check: string };
      if (check.quick_check !== 'ok') throw new CorruptSpoolError(`integrity check failed: ${check.quick_check}`);
      this.db.exec(SCHEMA_SQL);
      const version = (this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined)?.value;
      if (version === undefined) this.db.exec(`INSERT INTO meta(key, value) VALUES ('schema', '${SCHEMA_VERSION}'), ('stored', '0')`);
      else if (version !== String(SCHEMA_VERSION)) {
        throw new ConfigError([
          {
            path: 'spool.dir',
            env: 'SPOOL_DIR',
            message: `spool schema ${version} is not the supported ${SCHEMA_VERSION}: it was written by another Peregrine version; run that version until its spool is empty, or point spool.dir elsewhere`,
          },
        ]);
      }
      const meta = this.db.prepare("SELECT value FROM meta WHERE key = 'hwm'").get() as { value: string } | undefined;
      const maxId = (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM alerts').get() as { m: number }).m;
      this.counters[HWM] = BigInt(Math.max(Number(meta?.value ?? 0), Number(maxId)));
      this.ackMark = new AckMark(`${path}-acked`);
      // The count starts at 0 with the spool, in its first commit: a damaged WAL cannot drop it.
      // A spool from before the count has none (and its mark holds an id): it starts now, unchecked.
      const stored = this.db.prepare("SELECT value FROM meta WHERE key = 'stored'").get() as { value: string } | undefined;
      if (!stored) this.db.prepare("INSERT INTO meta(key, value) VALUES ('stored', '0')").run();
      this.counters[STORED] = BigInt(stored?.value ?? 0);
      acknowledged = stored ? (this.ackMark.read() ?? 0) : 0;
      this.counters[BYTES] = BigInt((this.db.prepare('SELECT COALESCE(SUM(bytes), 0) AS b FROM alerts').get() as { b: number }).b);
      this.batches = new BatchWriter(this.db, this.counters, options.maxbytes, this.ackMark);
      storedAtOpen = Number(this.counters[STORED]);
      if (intake.replay) this.replayIntake();
      this.intake = intake.use ? new IntakeLog(`${path}${INTAKE_SUFFIX}`) : undefined;
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.lostAtOpen = Math.max(0, acknowledged - storedAtOpen);
    if (this.lostAtOpen > 0) {
      log.error(
        { lost: this.lostAtOpen, storedBeforeStop: acknowledged, storedNow: storedAtOpen, fsync: options.fsync },
        'SPOOL LOST ACKNOWLEDGED ALERTS: the database ends before the last acknowledged alert (a damaged or truncated WAL); these alerts cannot be delivered (see peregrine_spool_lost_alerts_total; spool.fsync: full keeps them across power loss)',
      );
    }
    this.ackMark.write(Number(this.counters[STORED]));
    this.stmt = {
      saveHwm: this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('hwm', ?)"),
      insertDelivery: this.db.prepare('INSERT OR IGNORE INTO deliveries(output, alert_id) VALUES (?, ?)'),
      pending: this.db.prepare(
        'SELECT a.id, a.json, a.bytes, d.attempts, d.next_at AS nextAt, a.received_at AS receivedAt FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.output = ? ORDER BY a.id',
      ),
      backlog: this.db.prepare('SELECT output, COUNT(*) AS n FROM deliveries GROUP BY output'),
      insertDead: this.db.prepare(`INSERT INTO dead_letters(id, output, uuid, json, reason, detail, attempts, at) VALUES (${NEXT_DEAD_LETTER_ID}, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
      alertJson: this.db.prepare('SELECT json FROM alerts WHERE id = ?'),
    };
    this.writerMode = writer;
    if (writer === 'thread') this.startThread();
  }

  /**
   * Alerts a previous run answered from its intake log and did not spill (it stopped or crashed
   * first) go into SQLite, with every output they were routed to; then the log is deleted. A record
   * at or below the mark a spill committed is already in SQLite, or was delivered.
   */
  private replayIntake(): void {
    const base = `${this.path}${INTAKE_SUFFIX}`;
    const covered = Number((this.db.prepare("SELECT value FROM meta WHERE key = 'intake'").get() as { value: string } | undefined)?.value ?? 0);
    const records = IntakeLog.read(base).filter((r) => r.id > covered);
    if (records.length > 0) {
      const top = Math.max(...records.map((r) => r.id));
      if (top > this.hwm) this.counters[HWM] = BigInt(top);
      this.batches.commit({ appends: [], spills: records, intake: top, completes: [], reschedules: [] });
      this.log.info({ alerts: records.length }, 'spool: alerts answered from the intake log before the last stop are now in the spool');
    }
    IntakeLog.discard(base);
  }

  private startThread(): void {
    this.thread = new ThreadWriter({ path: this.path, fsync: this.options.fsync, maxbytes: this.options.maxbytes, counters: this.counters.buffer as SharedArrayBuffer }, this.log);
  }

  /** `auto`: counts the time a commit here took, and moves the next ones to the writer thread at WRITER_THREAD_AT. */
  private measureInline(seconds: number, appends: number): void {
    if (this.writerMode !== 'auto' || this.thread) return;
    const now = performance.now();
    if (now - this.loadSince > 1000) {
      this.loadSince = now;
      this.inlineMs = 0;
      this.inlineMostAppends = 0;
    }
    this.inlineMs += seconds * 1000;
    this.inlineMostAppends = Math.max(this.inlineMostAppends, appends);
    if (this.inlineMs >= WRITER_THREAD_AT.ms && this.inlineMostAppends >= WRITER_THREAD_AT.appends) {
      this.log.info({ commitMsPerSecond: Math.round(this.inlineMs) }, 'spool commits moved to the writer thread (they took a share of the event loop)');
      this.startThread();
    }
  }

  /**
   * A batch is on the writer thread, not answered yet: what it carries (new alerts, a dedupe
   * summary) waits for it. A test on a fake clock waits for this to clear before it moves time on,
   * or fake time races ahead of a real commit (a new writer thread takes ~0.1 s to start).
   */
  get committingOnThread(): boolean {
    return this.committing;
  }

  /** Alert bytes held: in SQLite, and in the intake log not spilled yet. */
  get bytes(): number {
    return Number(Atomics.load(this.counters, BYTES)) + this.intakeBytes;
  }

  /** The highest alert id ever allocated. */
  private get hwm(): number {
    return Number(Atomics.load(this.counters, HWM));
  }

  /**
   * Stores the alert with a delivery for each output and resolves with its spool id once committed.
   * Rejects with SpoolFullError when the spool is full of alerts of the same or higher priority.
   * `evict` is told about each lower-priority alert removed to make room.
   */
  append(alert: Alert, json: string, bytes: number, outputs: string[], receivedAt: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.appends.push({ alert, json, bytes, outputs, receivedAt, resolve, reject });
      // The first alert of a turn of the event loop goes into the intake log at once: one Falco
      // sending one request at a time gets its answer without waiting for the end of the turn.
      // Alerts that come later in the same turn are written together at its end (turn()).
      if (!this.flushScheduled && this.appends.length === 1 && this.intakeOpen() && !this.sidecars.some((s) => s.dirty())) this.takeIn();
      this.scheduleFlush();
    });
  }

  /** Adds a sidecar: `open` gets the database once (create its tables, read its state). */
  attach(open: (db: DatabaseSync) => SpoolSidecar): void {
    this.sidecars.push(open(this.db));
  }

  /** A sidecar has something to write: commit it with the next batch. */
  requestFlush(): void {
    this.scheduleFlush();
  }

  /** Hook for evictions made to stay under maxbytes: (spool id, outputs that still had it, priority). */
  onEvict: (id: number, outputs: string[], priority: number) => void = () => {};

  /** The output has it: forget the delivery (batched). */
  complete(output: string, id: number): void {
    if (this.forgetUnspilled(output, id)) return;
    this.completes.push([output, id]);
    this.scheduleBookkeeping();
  }

  /** Forgets one delivery of an alert not spilled yet (false when it is in SQLite); an alert every output has is never spilled. */
  private forgetUnspilled(output: string, id: number): boolean {
    const row = this.unspilled.get(id);
    if (!row) return false;
    const at = row.outputs.indexOf(output);
    if (at >= 0) row.outputs.splice(at, 1);
    if (row.outputs.length === 0) {
      this.unspilled.delete(id);
      this.intakeBytes -= row.bytes;
    }
    return true;
  }

  /** The output will try again: keep attempts and the next-retry time across restarts (batched). */
  reschedule(output: string, id: number, attempts: number, nextAt: number): void {
    this.reschedules.push([attempts, nextAt, output, id]);
    this.scheduleBookkeeping();
  }

  /** Moves one delivery to the dead-letter table (synchronously, in its own small transaction). */
  deadLetter(output: string, id: number | undefined, alert: Alert, json: string, reason: string, detail: string, attempts: number, at: number): number {
    this.thread?.sync();
    const unspilled = id !== undefined && this.unspilled.has(id);
    const deadLetterId = this.transaction(() => {
      const row = this.stmt.insertDead?.get(output, alert.uuid, json, reason, detail, attempts, at) as { id: number };
      if (id !== undefined && !unspilled) this.forget(output, id);
      return row.id;
    });
    if (unspilled) this.forgetUnspilled(output, id);
    return deadLetterId;
  }

  /**
   * Moves one delivery whose stored JSON cannot be read into the dead-letter table, its text as
   * stored (for inspection; `dlq replay` skips it). Returns the dead letter's id.
   */
  deadLetterUnreadable(output: string, id: number, detail: string, attempts: number, at: number): number {
    this.thread?.sync();
    return this.transaction(() => {
      const row = this.db
        .prepare(`INSERT INTO dead_letters(id, output, uuid, json, reason, detail, attempts, at) SELECT ${NEXT_DEAD_LETTER_ID}, ?, uuid, json, 'unreadable', ?, ?, ? FROM alerts WHERE id = ? RETURNING id`)
        .get(output, detail, attempts, at, id) as { id: number };
      this.forget(output, id);
      return Number(row.id);
    });
  }

  /** Every undelivered alert of one output, oldest first. */
  pending(output: string): PendingDelivery[] {
    this.flush();
    return (this.stmt.pending?.all(output) as unknown as PendingDelivery[]).map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** Outputs with undelivered alerts and how many. */
  backlog(): Record<string, number> {
    this.flush();
    return Object.fromEntries((this.stmt.backlog?.all() as { output: string; n: number }[]).map((r) => [r.output, Number(r.n)]));
  }

  deadLetters(filter: DeadLetterRowFilter & { limit?: number; before?: number } = {}): StoredDeadLetter[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, value: string | number | undefined) => {
      if (value === undefined) return;
      where.push(clause);
      args.push(value);
    };
    add('output = ?', filter.output);
    add('at >= ?', filter.since);
    add('id = ?', filter.id);
    add('id < ?', filter.before);
    add("json_extract(json, '$.rule') = ?", filter.rule);
    const sql = `SELECT id, output, uuid, json, reason, detail, attempts, at FROM dead_letters${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC${filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : ''}`;
    return (this.db.prepare(sql).all(...args) as unknown as StoredDeadLetter[]).reverse();
  }

  deadLetterCount(): number {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM dead_letters').get() as { n: number }).n);
  }

  /**
   * Puts dead letters back as pending deliveries of their output: picked up at the next start, or
   * queued on the running daemon's worker by the caller. Returns each new delivery. An unreadable row
   * (dead-lettered because it could not be parsed) stays where it is.
   */
  replayDeadLetters(filter: DeadLetterRowFilter, outputs?: ReadonlySet<string>): { output: string; id: number; json: string }[] {
    // The writer thread allocates ids too: it must be idle while this does.
    this.flush();
    const rows = this.deadLetters(filter).filter((row) => row.reason !== 'unreadable' && (outputs === undefined || outputs.has(row.output)));
    const hwmBefore = Atomics.load(this.counters, HWM);
    let replayed: { output: string; id: number; json: string }[];
    try {
      replayed = this.replayRows(rows);
    } catch (err) {
      Atomics.store(this.counters, HWM, hwmBefore);
      throw err;
    }
    Atomics.add(this.counters, STORED, BigInt(replayed.length));
    this.ackMark.write(Number(this.counters[STORED]));
    return replayed;
  }

  private replayRows(rows: StoredDeadLetter[]): { output: string; id: number; json: string }[] {
    return this.transaction(() => {
      const replayed: { output: string; id: number; json: string }[] = [];
      for (const row of rows) {
        const lastInsertRowid = Number(Atomics.add(this.counters, HWM, 1n)) + 1;
        this.db
          .prepare('INSERT INTO alerts(id, uuid, priority, received_at, bytes, json) SELECT ?, uuid, 0, at, length(json), json FROM dead_letters WHERE id = ?')
          .run(lastInsertRowid, row.id);
        this.stmt.saveHwm?.run(String(this.hwm));
        this.db.prepare('UPDATE alerts SET priority = ? WHERE id = ?').run(priorityRank((JSON.parse(row.json) as { priority: Alert['priority'] }).priority), lastInsertRowid);
        this.stmt.insertDelivery?.run(row.output, lastInsertRowid);
        this.db.prepare('DELETE FROM dead_letters WHERE id = ?').run(row.id);
        Atomics.add(this.counters, BYTES, BigInt(Buffer.byteLength(row.json)));
        replayed.push({ output: row.output, id: lastInsertRowid, json: row.json });
      }
      this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('stored', ?)").run(String(Number(this.counters[STORED]) + replayed.length));
      return replayed;
    });
  }

  purgeDeadLetters(filter: DeadLetterRowFilter): number {
    this.thread?.sync();
    const rows = this.deadLetters(filter);
    this.transaction(() => {
      for (const row of rows) this.db.prepare('DELETE FROM dead_letters WHERE id = ?').run(row.id);
    });
    return rows.length;
  }

  json(id: number): string | undefined {
    const held = this.unspilled.get(id) ?? this.spilling.get(id);
    return held ? held.json : (this.stmt.alertJson?.get(id) as { json: string } | undefined)?.json;
  }

  /** Writes whatever is buffered now and waits for its commit (it also goes by itself, once per event-loop turn). */
  flush(): void {
    this.commitBuffered();
    if (!this.thread) return;
    this.thread.sync();
    // What was buffered while a batch was being committed goes in the next one.
    this.commitBuffered();
    this.thread.sync();
  }

  private buffered(): boolean {
    return this.appends.length > 0 || this.completes.length > 0 || this.reschedules.length > 0;
  }

  /** New alerts go through the intake log: it is on, the writer thread has not started, and commits work. */
  private intakeOpen(): boolean {
    return this.intake !== undefined && !this.thread && !this.closed && !this.health.failingOp('commit');
  }

  /**
   * A turn of the event loop with new alerts. Through the intake log: they are written there and
   * answered; the commit waits for BOOKKEEPING_DELAY_MS unless SQLite must see something now (an
   * alert the intake could not take, noise control's state, SPILL_AT alerts held). Otherwise: commit.
   */
  private turn(): void {
    this.flushScheduled = false;
    if (this.intakeOpen() && !this.sidecars.some((s) => s.dirty())) {
      this.takeIn();
      if (this.appends.length === 0 && this.unspilled.size < SPILL_AT) {
        this.scheduleBookkeeping();
        return;
      }
    }
    this.commitBuffered();
  }

  /**
   * Writes the new alerts that fit under spool.maxbytes to the intake log (one write) and answers
   * them with their ids. Those that do not fit stay buffered: their commit evicts or refuses, as always.
   */
  private takeIn(): void {
    const intake = this.intake as IntakeLog;
    let held = this.bytes;
    let fit = 0;
    while (fit < this.appends.length && held + (this.appends[fit] as AppendRequest).bytes <= this.options.maxbytes) held += (this.appends[fit++] as AppendRequest).bytes;
    if (fit === 0) return;
    const taken = this.appends.splice(0, fit);
    const hwmBefore = Atomics.load(this.counters, HWM);
    const rows: SpillRow[] = taken.map((req) => ({
      id: Number(Atomics.add(this.counters, HWM, 1n)) + 1,
      uuid: req.alert.uuid,
      rank: priorityRank(req.alert.priority),
      receivedAt: req.receivedAt,
      bytes: req.bytes,
      json: req.json,
      outputs: [...req.outputs],
    }));
    try {
      intake.append(rows);
    } catch (err) {
      // Nothing of it is on disk (the log is cut back): the ids were never given out.
      Atomics.store(this.counters, HWM, hwmBefore);
      for (const req of taken) req.reject(err as Error);
      this.health.failed('commit', err as Error, 'new alerts are refused with 503 until it works again, deliveries done are kept and retried');
      return;
    }
    this.measureTurn(rows.length);
    taken.forEach((req, i) => {
      const row = rows[i] as SpillRow;
      this.unspilled.set(row.id, row);
      this.intakeBytes += row.bytes;
      this.intakeMark = row.id;
      req.resolve(row.id);
    });
  }

  /** `auto` with the intake: WRITER_THREAD_AT.turns turns of concurrent alerts within a second start the writer thread (group commits pace a burst). */
  private measureTurn(appends: number): void {
    if (this.writerMode !== 'auto' || appends < WRITER_THREAD_AT.appends) return;
    const now = performance.now();
    if (now - this.turnsSince > 1000) {
      this.turnsSince = now;
      this.concurrentTurns = 0;
    }
    if (++this.concurrentTurns >= WRITER_THREAD_AT.turns) {
      this.log.info({ concurrentTurns: this.concurrentTurns }, 'spool commits moved to the writer thread (concurrent requests)');
      this.startThread();
    }
  }

  /** Commits what is buffered and spills the intake: on the writer thread, or here when there is none or noise control's state goes with it. */
  private commitBuffered(): void {
    this.flushScheduled = false;
    if (this.bookkeepingTimer !== undefined) this.clock.clearTimeout(this.bookkeepingTimer);
    this.bookkeepingTimer = undefined;
    const sidecars = this.sidecars.some((s) => s.dirty());
    if (this.closed || this.committing) return;
    if (!sidecars && !this.buffered() && this.unspilled.size === 0) {
      // Every alert the intake log took since the last commit was delivered everywhere: nothing to commit.
      if (this.intake && this.intakeMark > this.coveredMark) this.releaseIntake(this.intake.seal(), this.intakeMark);
      return;
    }
    const appends = this.appends;
    const completes = this.completes;
    const reschedules = this.reschedules;
    const spills = [...this.unspilled.values()];
    this.appends = [];
    this.completes = [];
    this.reschedules = [];
    this.spilling = this.unspilled;
    this.unspilled = new Map();
    const sealed = this.intake && this.intakeMark > this.coveredMark ? this.intake.seal() : 0;
    const batch: Batch = {
      appends: appends.map((req) => ({ uuid: req.alert.uuid, rank: priorityRank(req.alert.priority), receivedAt: req.receivedAt, bytes: req.bytes, json: req.json, outputs: req.outputs })),
      spills,
      ...(sealed > 0 ? { intake: this.intakeMark } : {}),
      completes,
      reschedules,
    };
    const done = (outcome: BatchResult | Error) => {
      this.committed(appends, completes, reschedules, outcome);
      this.spilled(batch, sealed, outcome);
    };
    if (this.thread && !sidecars) {
      this.committing = true;
      this.thread.submit(batch, (outcome) => {
        this.committing = false;
        done(outcome);
        if (this.buffered() || this.unspilled.size > 0) this.scheduleFlush();
      });
      return;
    }
    // Noise control's state commits with the alerts of its batch (a leading-edge alert and the window
    // it opened), on this connection once the writer thread is idle.
    this.thread?.sync();
    let outcome: BatchResult | Error;
    try {
      outcome = this.batches.commit(batch, () => {
        for (const sidecar of this.sidecars) sidecar.write();
      });
    } catch (err) {
      outcome = err as Error;
    }
    if (!(outcome instanceof Error)) this.measureInline(outcome.seconds, appends.length);
    done(outcome);
  }

  private committed(appends: AppendRequest[], completes: [string, number][], reschedules: [number, number, string, number][], outcome: BatchResult | Error): void {
    if (outcome instanceof Error) {
      for (const req of appends) req.reject(outcome);
      // Deliveries done or rescheduled are kept and written with a later commit: the disk may come back.
      this.completes = completes.concat(this.completes);
      this.reschedules = reschedules.concat(this.reschedules);
      this.health.failed('commit', outcome, 'new alerts are refused with 503 until it works again, deliveries done are kept and retried');
      this.retryLater();
      return;
    }
    this.retryMs = 0;
    this.health.succeeded('commit');
    this.onCommit(outcome.seconds);
    for (const [id, outputs, priority] of outcome.evictions) this.onEvict(id, outputs, priority);
    appends.forEach((req, i) => {
      const id = outcome.ids[i];
      if (typeof id === 'number') req.resolve(id);
      else req.reject(new SpoolFullError(`the spool is full (spool.maxbytes ${this.options.maxbytes}) of alerts of priority ${req.alert.priority} or higher`));
    });
  }

  /** After a commit with spilled alerts: they are in SQLite, and the sealed intake segments go; or, when it failed, they wait for the next one. */
  private spilled(batch: Batch, sealed: number, outcome: BatchResult | Error): void {
    const spilling = this.spilling;
    this.spilling = new Map();
    if (outcome instanceof Error) {
      // Still answered and held in the intake log: spilled with the next commit, before newer ones.
      this.unspilled = new Map([...spilling, ...this.unspilled]);
      this.retryLater();
      return;
    }
    for (const row of batch.spills) this.intakeBytes -= row.bytes;
    if (batch.intake !== undefined) this.releaseIntake(sealed, batch.intake);
  }

  /** The intake log's records up to `mark` are committed or delivered: its first `sealed` segments go. */
  private releaseIntake(sealed: number, mark: number): void {
    this.coveredMark = mark;
    try {
      this.intake?.release(sealed);
    } catch (err) {
      // A segment left behind is only read back above the committed mark, and deleted at the next start.
      this.log.warn({ err: (err as Error).message }, 'spool: an intake log segment could not be deleted; it is removed at the next start');
    }
  }

  /**
   * Reclaims space from the WAL and freed pages; cheap enough to run every few seconds when idle.
   * Returns false when it failed (a full disk): the caller backs off; the error is in health.
   */
  maintain(): boolean {
    this.flush();
    try {
      // While commits fail and no alert arrives to try one, this small write finds the disk back.
      if (this.health.failingOp('commit')) {
        this.transaction(() => this.db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('probe', ?)").run(String(Date.now())));
        this.health.succeeded('commit');
      }
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE); PRAGMA incremental_vacuum;');
    } catch (err) {
      this.health.failed('maintain', err, 'WAL checkpoint and vacuum postponed, retried with backoff');
      return false;
    }
    this.health.succeeded('maintain');
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearTimeout(this.retryTimer);
    try {
      this.thread?.close();
      this.intake?.close();
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch (err) {
      // The WAL is intact and replayed at the next start; a full disk must not fail the shutdown.
      this.log.warn({ err: (err as Error).message }, 'spool checkpoint at shutdown failed: the WAL is kept and replayed at the next start');
    } finally {
      this.db.close();
      this.ackMark.close();
      this.dirLock?.release();
    }
  }

  private forget(output: string, id: number): void {
    Atomics.sub(this.counters, BYTES, BigInt(this.batches.forgetRows([[output, id]])));
  }

  private transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** After a failed commit with work left (deliveries done): try again, 100 ms doubling to 30 s. */
  private retryLater(): void {
    if (this.retryTimer !== undefined || (this.completes.length === 0 && this.reschedules.length === 0 && this.unspilled.size === 0)) return;
    this.retryMs = Math.min(30_000, Math.max(100, this.retryMs * 2));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.commitBuffered();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.turn());
  }

  /** Deliveries done, reschedules and the intake log's alerts go with the next commit of new alerts, or after BOOKKEEPING_DELAY_MS. */
  private scheduleBookkeeping(): void {
    if (this.bookkeepingTimer !== undefined || (this.flushScheduled && !this.intakeOpen())) return;
    if (!this.buffered() && this.unspilled.size === 0 && !(this.intake && this.intakeMark > this.coveredMark)) return;
    // close() and every read of the backlog flush first, and clear it.
    this.bookkeepingTimer = this.clock.setTimeout(() => this.commitBuffered(), BOOKKEEPING_DELAY_MS);
  }
}

function countRecoverable(path: string): number | undefined {
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      return Number((db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n);
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}
