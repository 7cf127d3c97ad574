// The durable spool: node:sqlite in WAL mode. An alert is written once; each output that should get
// it has a delivery row referencing it. Ingest replies only after the commit that holds the alert;
// writes from concurrent requests share one commit (group commit, one per event-loop turn).
// Deliveries, retries and dead letters are journalled in the same batched transactions.
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import { priorityRank } from '../alert/priority.ts';
import { ConfigError } from '../errors.ts';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.ts';

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

export class SpoolFullError extends Error {}

class CorruptSpoolError extends Error {}

// SQLite primary result codes (the low byte of an extended code) that mean the file itself is damaged.
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

function isCorruption(err: unknown): boolean {
  if (err instanceof CorruptSpoolError) return true;
  const code = (err as { errcode?: unknown }).errcode;
  return typeof code === 'number' && [SQLITE_CORRUPT, SQLITE_NOTADB].includes(code & 0xff);
}

/** What is wrong and how to fix it, for a spool that cannot be opened (the usual cause: another UID owns it). */
function spoolAccessError(dir: string, path: string, err: unknown): ConfigError {
  const reason = (err as { errstr?: string; code?: string; message?: string }).errstr ?? (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  const owner = (p: string) => {
    try {
      const st = statSync(p);
      return `${p} is owned by uid ${st.uid} gid ${st.gid}, mode ${(st.mode & 0o777).toString(8)}`;
    } catch {
      return undefined;
    }
  };
  const uid = process.getuid?.() ?? 'unknown';
  const gid = process.getgid?.() ?? 'unknown';
  const facts = [owner(dir), owner(path), owner(`${path}-wal`)].filter(Boolean).join('; ');
  return new ConfigError([
    {
      path: 'spool.dir',
      env: 'SPOOL_DIR',
      message:
        `cannot open the spool ${path} (${reason}) as uid ${uid} gid ${gid}${facts ? `; ${facts}` : ''}. ` +
        'Nothing was moved or deleted. The folder and its peregrine.db* files must be readable and writable by this user: ' +
        `chown -R ${uid}:${gid} ${dir}, or in Kubernetes run as their owner / set podSecurityContext.fsGroup so the volume is group-writable ` +
        '(falcosidekick\'s chart ran as uid 1234, Peregrine\'s runs as 10001), or point spool.dir at an empty writable folder.',
    },
  ]);
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
  private byteCount: number;
  private closed = false;
  /** Called after each commit with its duration (seconds): the commit latency histogram. */
  onCommit: (seconds: number) => void = () => {};

  /**
   * Opens (or creates) the spool. A corrupt file is moved aside and a fresh spool started, loudly.
   * Anything else (no permission, read-only volume, a newer schema) is a startup error that says
   * how to fix it: a file Peregrine could not open is never renamed.
   */
  static open(options: SpoolOptions, log: Logger): Spool {
    const path = join(options.dir, SPOOL_FILE);
    try {
      mkdirSync(options.dir, { recursive: true });
    } catch (err) {
      throw spoolAccessError(options.dir, path, err);
    }
    try {
      return new Spool(path, options, log);
    } catch (err) {
      if (!isCorruption(err)) throw spoolAccessError(options.dir, path, err);
      const lost = countRecoverable(path);
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
      }
      log.error(
        { err: (err as Error).message, movedTo: aside, unrecoverableAlerts: lost ?? 'unknown' },
        'SPOOL CORRUPT: moved aside and started a fresh spool; the alerts in it were NOT delivered — inspect the moved file',
      );
      return new Spool(path, options, log);
    }
  }

  private constructor(path: string, options: SpoolOptions, log: Logger) {
    this.path = path;
    this.options = options;
    this.log = log;
    this.db = new DatabaseSync(path);
    try {
      this.db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.fsync === 'full' ? 'FULL' : 'NORMAL'}; PRAGMA foreign_keys = OFF;`);
      const check = this.db.prepare('PRAGMA quick_check').get() as { quick_check: string };
      if (check.quick_check !== 'ok') throw new CorruptSpoolError(`integrity check failed: ${check.quick_check}`);
      this.db.exec(SCHEMA_SQL);
      const version = (this.db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined)?.value;
      if (version === undefined) this.db.prepare("INSERT INTO meta(key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
      else if (version !== String(SCHEMA_VERSION)) {
        throw new Error(`spool schema ${version} is not the supported ${SCHEMA_VERSION}: it was written by another Peregrine version; run that version until its spool is empty, or point spool.dir elsewhere`);
      }
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.stmt = {
      insertAlert: this.db.prepare('INSERT INTO alerts(uuid, priority, received_at, bytes, json) VALUES (?, ?, ?, ?, ?)'),
      insertDelivery: this.db.prepare('INSERT OR IGNORE INTO deliveries(output, alert_id) VALUES (?, ?)'),
      deleteDelivery: this.db.prepare('DELETE FROM deliveries WHERE output = ? AND alert_id = ?'),
      deleteOrphan: this.db.prepare('DELETE FROM alerts WHERE id = ? AND NOT EXISTS (SELECT 1 FROM deliveries WHERE alert_id = ?) RETURNING bytes'),
      reschedule: this.db.prepare('UPDATE deliveries SET attempts = ?, next_at = ? WHERE output = ? AND alert_id = ?'),
      pending: this.db.prepare(
        'SELECT a.id, a.json, a.bytes, d.attempts, d.next_at AS nextAt, a.received_at AS receivedAt FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.output = ? ORDER BY a.id',
      ),
      backlog: this.db.prepare('SELECT output, COUNT(*) AS n FROM deliveries GROUP BY output'),
      victim: this.db.prepare('SELECT id, priority, bytes FROM alerts ORDER BY priority ASC, id DESC LIMIT 1'),
      deleteAlert: this.db.prepare('DELETE FROM alerts WHERE id = ?'),
      deleteDeliveries: this.db.prepare('DELETE FROM deliveries WHERE alert_id = ? RETURNING output'),
      insertDead: this.db.prepare('INSERT INTO dead_letters(output, uuid, json, reason, detail, attempts, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id'),
      alertJson: this.db.prepare('SELECT json FROM alerts WHERE id = ?'),
    };
    this.byteCount = Number((this.db.prepare('SELECT COALESCE(SUM(bytes), 0) AS b FROM alerts').get() as { b: number }).b);
  }

  get bytes(): number {
    return this.byteCount;
  }

  /**
   * Stores the alert with a delivery for each output and resolves with its spool id once committed.
   * Rejects with SpoolFullError when the spool is full of alerts of the same or higher priority.
   * `evict` is told about each lower-priority alert removed to make room.
   */
  append(alert: Alert, json: string, bytes: number, outputs: string[], receivedAt: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.appends.push({ alert, json, bytes, outputs, receivedAt, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Hook for evictions made to stay under maxbytes: (spool id, outputs that still had it, priority). */
  onEvict: (id: number, outputs: string[], priority: number) => void = () => {};

  /** The output has it: forget the delivery (batched). */
  complete(output: string, id: number): void {
    this.completes.push([output, id]);
    this.scheduleFlush();
  }

  /** The output will try again: keep attempts and the next-retry time across restarts (batched). */
  reschedule(output: string, id: number, attempts: number, nextAt: number): void {
    this.reschedules.push([attempts, nextAt, output, id]);
    this.scheduleFlush();
  }

  /** Moves one delivery to the dead-letter table (synchronously, in its own small transaction). */
  deadLetter(output: string, id: number | undefined, alert: Alert, json: string, reason: string, detail: string, attempts: number, at: number): number {
    return this.transaction(() => {
      const row = this.stmt.insertDead?.get(output, alert.uuid, json, reason, detail, attempts, at) as { id: number };
      if (id !== undefined) this.forget(output, id);
      return row.id;
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

  deadLetters(filter: DeadLetterRowFilter & { limit?: number } = {}): StoredDeadLetter[] {
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
    add("json_extract(json, '$.rule') = ?", filter.rule);
    const sql = `SELECT id, output, json, reason, detail, attempts, at FROM dead_letters${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC${filter.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(filter.limit))}` : ''}`;
    return (this.db.prepare(sql).all(...args) as unknown as StoredDeadLetter[]).reverse();
  }

  deadLetterCount(): number {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM dead_letters').get() as { n: number }).n);
  }

  /**
   * Puts dead letters back as pending deliveries of their output: picked up at the next start, or
   * queued on the running daemon's worker by the caller. Returns each new delivery.
   */
  replayDeadLetters(filter: DeadLetterRowFilter): { output: string; id: number; json: string }[] {
    const rows = this.deadLetters(filter);
    return this.transaction(() => {
      const replayed: { output: string; id: number; json: string }[] = [];
      for (const row of rows) {
        const { lastInsertRowid } = this.db
          .prepare('INSERT INTO alerts(uuid, priority, received_at, bytes, json) SELECT uuid, 0, at, length(json), json FROM dead_letters WHERE id = ?')
          .run(row.id) as { lastInsertRowid: number | bigint };
        this.db.prepare('UPDATE alerts SET priority = ? WHERE id = ?').run(priorityRank((JSON.parse(row.json) as { priority: Alert['priority'] }).priority), lastInsertRowid);
        this.stmt.insertDelivery?.run(row.output, lastInsertRowid);
        this.db.prepare('DELETE FROM dead_letters WHERE id = ?').run(row.id);
        this.byteCount += Buffer.byteLength(row.json);
        replayed.push({ output: row.output, id: Number(lastInsertRowid), json: row.json });
      }
      return replayed;
    });
  }

  purgeDeadLetters(filter: DeadLetterRowFilter): number {
    const rows = this.deadLetters(filter);
    this.transaction(() => {
      for (const row of rows) this.db.prepare('DELETE FROM dead_letters WHERE id = ?').run(row.id);
    });
    return rows.length;
  }

  json(id: number): string | undefined {
    return (this.stmt.alertJson?.get(id) as { json: string } | undefined)?.json;
  }

  /** Writes whatever is buffered now (also runs once per event-loop turn by itself). */
  flush(): void {
    this.flushScheduled = false;
    if (this.closed || (this.appends.length === 0 && this.completes.length === 0 && this.reschedules.length === 0)) return;
    const appends = this.appends;
    const completes = this.completes;
    const reschedules = this.reschedules;
    this.appends = [];
    this.completes = [];
    this.reschedules = [];
    const started = performance.now();
    const results: (number | Error)[] = [];
    try {
      this.transaction(() => {
        for (const [output, id] of completes) this.forget(output, id);
        for (const args of reschedules) this.stmt.reschedule?.run(...args);
        for (const req of appends) results.push(this.insert(req));
      });
    } catch (err) {
      for (const req of appends) req.reject(err as Error);
      this.log.error({ err: (err as Error).message }, 'spool write failed: alerts in this commit were refused');
      return;
    }
    this.onCommit((performance.now() - started) / 1000);
    appends.forEach((req, i) => {
      const r = results[i];
      if (r instanceof Error) req.reject(r);
      else req.resolve(r as number);
    });
  }

  /** Reclaims space from the WAL and freed pages; cheap enough to run every few seconds when idle. */
  maintain(): void {
    this.flush();
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE); PRAGMA incremental_vacuum;');
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    try {
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  private insert(req: AppendRequest): number | Error {
    const rank = priorityRank(req.alert.priority);
    while (this.byteCount + req.bytes > this.options.maxbytes) {
      const victim = this.stmt.victim?.get() as { id: number; priority: number; bytes: number } | undefined;
      if (!victim || victim.priority >= rank) return new SpoolFullError(`the spool is full (spool.maxbytes ${this.options.maxbytes}) of alerts of priority ${req.alert.priority} or higher`);
      const outputs = (this.stmt.deleteDeliveries?.all(victim.id) as { output: string }[]).map((r) => r.output);
      this.stmt.deleteAlert?.run(victim.id);
      this.byteCount -= victim.bytes;
      this.onEvict(Number(victim.id), outputs, victim.priority);
    }
    const { lastInsertRowid } = this.stmt.insertAlert?.run(req.alert.uuid, rank, req.receivedAt, req.bytes, req.json) as { lastInsertRowid: number | bigint };
    const id = Number(lastInsertRowid);
    for (const output of req.outputs) this.stmt.insertDelivery?.run(output, id);
    this.byteCount += req.bytes;
    return id;
  }

  private forget(output: string, id: number): void {
    this.stmt.deleteDelivery?.run(output, id);
    const gone = this.stmt.deleteOrphan?.get(id, id) as { bytes: number } | undefined;
    if (gone) this.byteCount -= Number(gone.bytes);
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

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
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
