// The trail in SQLite beside the spool (spool.dir/peregrine-trail.db, the spool on): kept by age (trail.maxagems) and size
// (trail.maxbytes), oldest deleted first. The hot path only appends primitives to one flat array
// (trail-events.ts); every FLUSH_MS (or sooner when many are waiting) it goes as one batch to the
// writer (sqlite-writer.ts), which builds the rows and commits them: here while the trail is quiet,
// on a writer thread, off the event loop, from the first second its commits took WRITER_THREAD_AT. The
// writer holds a new alert one batch, so one delivered within ~250 ms is written once, delivered. Reads (console, explain) use a connection of their own
// here, after waiting for what was recorded so far to be committed.
import { existsSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import { PRIORITIES, priorityRank } from '../alert/priority.ts';
import { serializeAlert, thawAlert } from '../alert/serialize.ts';
import { emptyBuckets, type TrailStore } from './store.ts';
import { COMMON_STATES, TRAIL_SCHEMA_SQL, UNUSUAL_STATE_SQL, uuidHash } from './sqlite-schema.ts';
import { EVENT, type TrailEventField, type WriterInit, type WriterMessage } from './trail-events.ts';
import { Writer } from './sqlite-writer.ts';
import {
  namespaceOf,
  type Attempt,
  type OutputState,
  type OutputTrail,
  type RouteExplainer,
  type StatsDimension,
  type TrailQuery,
  type TrailRecord,
  type TrailStats,
  type TrailSummary,
} from './types.ts';

const FLUSH_MS = 250;
const PAGE_SIZE = 16_384;
/** Events that make a batch go before FLUSH_MS. */
const FLUSH_AT = 4000;
/** How long a read waits for the writer to commit what was recorded before it. */
const SYNC_TIMEOUT_MS = 5000;
/**
 * The writer thread starts once commits here took `ms` of event loop within one second (2 %, as the
 * spool's, spool.ts). Until then batches are committed on this thread: a quiet trail (a few alerts a
 * second) costs well under 1 ms a batch, and the thread's isolate (~12 MiB RSS) is not started.
 */
const WRITER_THREAD_AT = { ms: 20 };
/**
 * Alert JSON the writer thread may have waiting (posted, not committed) before new alerts are left out
 * of the trail: its message queue is memory, and ingest can outrun its commits (arrays of alerts run
 * at 20–100k alerts/s, the writer commits ~25k/s). New alerts are recorded again once it is under half.
 * Events of alerts already recorded are always sent: a trail is whole or absent.
 */
const MAX_BEHIND_BYTES = 16 * 1024 * 1024;

/** At most one "behind" and one "caught up" line per minute. */
const LOG_EVERY_MS = 60_000;

/** stats(): a bucket is counted for good once it ended this long ago (its alerts are committed by then). */
const STATS_SETTLED_MS = 5000;
/** stats(): buckets kept at most (1,440 per chart); past it, all are counted afresh. */
const STATS_KEPT_MAX = 10_000;

/**
 * A LIKE pattern that matches every alert JSON whose output holds `text` (ASCII case aside, as
 * LIKE and lower() both fold it): the text as JSON escapes it, its wildcards escaped. JSON escapes
 * each character alone, so an output holding the text holds its escaped form; other fields may match
 * too, and the exact test after it weeds them out.
 */
function likeInJson(text: string): string {
  return `%${JSON.stringify(text).slice(1, -1).replace(/[\\%_]/g, '\\$&')}%`;
}

/** Why an alert has no trail: the writer thread was too far behind, or its commit failed. */
export type UntrackedReason = 'writer_behind' | 'write_failed';

interface SummaryRow {
  seq: number;
  uuid: string;
  received_at: number;
  from_addr: string;
  rule: string;
  priority: number;
  source: string;
  hostname: string;
  namespace: string;
  output: string;
  routes: string;
}

/** Queries over the trail tables (any connection: the daemon's, or `peregrine explain` on a stopped one). */
class TrailReader {
  protected readonly db: DatabaseSync;
  protected readonly stmt: Record<string, StatementSync>;
  protected readonly now: () => number;
  /** stats(): a prepared count per dimension, and the counts of buckets wholly past, by dimension, size and start. */
  private readonly statsQueries: Record<string, StatementSync> = {};
  private readonly statsKept = new Map<string, Record<string, number>>();

  constructor(db: DatabaseSync, now: () => number) {
    this.db = db;
    this.now = now;
    this.stmt = {
      alert: this.db.prepare('SELECT seq, received_at, from_addr, routes, json FROM trail_alerts WHERE uuid_hash = ? AND uuid = ? ORDER BY seq DESC LIMIT 1'),
      outputsOf: this.db.prepare('SELECT output, state, state_at, reason, attempt_count, attempts FROM trail_outputs WHERE seq = ?'),
      oldest: this.db.prepare('SELECT MIN(received_at) AS at FROM trail_alerts'),
    };
  }

  get(uuid: string): TrailRecord | undefined {
    const row = this.stmt.alert?.get(uuidHash(uuid), uuid) as { seq: number; received_at: number; from_addr: string; routes: string; json: string } | undefined;
    if (!row) return undefined;
    const alert = thawAlert(row.json);
    const routes = JSON.parse(row.routes) as Record<string, string>;
    const rows = this.stmt.outputsOf?.all(row.seq) as { output: string; state: OutputState; state_at: number; reason: string | null; attempt_count: number; attempts: string }[];
    const outputs: OutputTrail[] = rows.map((o) => ({
      output: o.output,
      routed: o.state !== 'suppressed' && routes[o.output] === undefined,
      ...(o.reason !== null ? { reason: o.reason } : {}),
      state: o.state,
      stateAt: Number(o.state_at),
      attemptCount: Number(o.attempt_count),
      attempts: JSON.parse(o.attempts) as Attempt[],
    }));
    for (const [output, reason] of Object.entries(routes)) {
      if (!rows.some((o) => o.output === output)) outputs.push({ output, routed: false, reason, state: 'not_routed', stateAt: Number(row.received_at), attemptCount: 0, attempts: [] });
    }
    outputs.sort((a, b) => a.output.localeCompare(b.output));
    return { uuid, receivedAt: Number(row.received_at), from: row.from_addr, alert, outputs };
  }

  list(query: TrailQuery): { alerts: TrailSummary[]; next: number | null } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      args.push(...values);
    };
    // A state most rows are not in (retrying, dead_lettered, …) is looked up in its partial index,
    // newest first, and each alert joined to it; other filters walk the alerts newest first. Either
    // way a page stops at its end (a state no alert is in, on a full trail: 0.1 ms instead of 121).
    const byState = query.state !== undefined && query.state !== 'not_routed' && !COMMON_STATES.includes(query.state);
    const seq = byState ? 'o.seq' : 'a.seq';
    if (query.since !== undefined) add('a.received_at >= ?', query.since);
    if (query.until !== undefined) add('a.received_at <= ?', query.until);
    if (query.before !== undefined) add(`${seq} < ?`, query.before);
    if (query.after !== undefined) add(`${seq} > ?`, query.after);
    if (query.rule !== undefined) add('a.rule = ?', query.rule);
    if (query.priorities) {
      const ranks = query.priorities.map((p) => PRIORITIES.findIndex((name) => name.toLowerCase() === p.toLowerCase()));
      add(`a.priority IN (${ranks.map(() => '?').join(', ')})`, ...ranks);
    }
    if (query.source !== undefined) add('a.source = ?', query.source);
    if (query.hostname !== undefined) add('a.hostname = ?', query.hostname);
    if (query.namespace !== undefined) add('a.namespace = ?', query.namespace);
    // LIKE first: a row whose JSON does not hold the text anywhere is passed over without parsing it
    // (a full trail searched for a text it lacks: 61 ms of the event loop instead of 254).
    if (query.text !== undefined) add("a.json LIKE ? ESCAPE '\\' AND instr(lower(json_extract(a.json, '$.output')), lower(?)) > 0", likeInJson(query.text), query.text);
    if (byState) {
      add(`o.state = ? AND o.${UNUSUAL_STATE_SQL}`, query.state as string);
      if (query.output !== undefined) add('o.output = ?', query.output);
    } else if (query.output !== undefined && query.state !== undefined) {
      add('EXISTS (SELECT 1 FROM trail_outputs o WHERE o.seq = a.seq AND o.output = ? AND o.state = ?)', query.output, query.state);
    } else if (query.output !== undefined) {
      add("EXISTS (SELECT 1 FROM trail_outputs o WHERE o.seq = a.seq AND o.output = ? AND o.state <> 'suppressed')", query.output);
    } else if (query.state === 'not_routed') {
      // routes lists every output that did not take the alert, those noise control held back too
      // (routed, then suppressed there: they have a row). Not routed: one of them without a row.
      add("a.routes <> '{}' AND EXISTS (SELECT 1 FROM json_each(a.routes) r WHERE NOT EXISTS (SELECT 1 FROM trail_outputs o WHERE o.seq = a.seq AND o.output = r.key))");
    } else if (query.state !== undefined) {
      add('EXISTS (SELECT 1 FROM trail_outputs o WHERE o.seq = a.seq AND o.state = ?)', query.state);
    }
    const columns = "a.seq, a.uuid, a.received_at, a.from_addr, a.rule, a.priority, a.source, a.hostname, a.namespace, json_extract(a.json, '$.output') AS output, a.routes";
    const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    // CROSS JOIN keeps the index the outer loop; GROUP BY: an alert with the state on two outputs is one row.
    const sql = byState
      ? `SELECT ${columns} FROM trail_outputs o CROSS JOIN trail_alerts a ON a.seq = o.seq${filter} GROUP BY o.seq ORDER BY o.seq DESC LIMIT ${query.limit + 1}`
      : `SELECT ${columns} FROM trail_alerts a${filter} ORDER BY a.seq DESC LIMIT ${query.limit + 1}`;
    const rows = this.db.prepare(sql).all(...args) as unknown as SummaryRow[];
    const next = rows.length > query.limit ? Number((rows[query.limit - 1] as SummaryRow).seq) : null;
    const page = rows.slice(0, query.limit);
    const states = this.statesOf(page.map((r) => Number(r.seq)));
    return {
      alerts: page.map((r) => ({
        uuid: r.uuid,
        seq: Number(r.seq),
        receivedAt: Number(r.received_at),
        from: r.from_addr,
        rule: r.rule,
        priority: PRIORITIES[Number(r.priority)] as Alert['priority'],
        source: r.source,
        hostname: r.hostname,
        namespace: r.namespace,
        output: r.output,
        states: { ...Object.fromEntries(Object.keys(JSON.parse(r.routes) as object).map((o) => [o, 'not_routed' as const])), ...states.get(Number(r.seq)) },
      })),
      next,
    };
  }

  /**
   * Counts per bucket, one query per bucket. A bucket wholly past (STATS_SETTLED_MS) is kept once
   * counted: the console's chart asks every 10 s, and a full hour counted afresh each time took
   * 60–100 ms of the event loop (180,000 alerts). A kept bucket is counted again once retention may
   * have deleted from it (the oldest alert left is newer than its start).
   */
  stats(dimension: StatsDimension, since: number, bucketMs: number): TrailStats {
    const now = this.now();
    const buckets = emptyBuckets(since, now, bucketMs);
    const column = dimension === 'priority' ? 'priority' : dimension;
    const count = (this.statsQueries[column] ??= this.db.prepare(`SELECT ${column} AS k, COUNT(*) AS n FROM trail_alerts WHERE received_at >= ? AND received_at < ? GROUP BY k`));
    const oldest = (this.stmt.oldest?.get() as { at: number | null }).at;
    if (this.statsKept.size > STATS_KEPT_MAX) this.statsKept.clear();
    for (const bucket of buckets) {
      const key = `${dimension} ${bucketMs} ${bucket.at}`;
      const kept = this.statsKept.get(key);
      const whole = bucket.at >= since && bucket.at + bucketMs <= now - STATS_SETTLED_MS && oldest !== null && Number(oldest) <= bucket.at;
      if (kept && whole) {
        bucket.counts = kept;
        continue;
      }
      for (const row of count.all(Math.max(bucket.at, since), bucket.at + bucketMs) as { k: string | number; n: number }[]) {
        const name = dimension === 'priority' ? (PRIORITIES[Number(row.k)] as string) : String(row.k);
        bucket.counts[name] = (bucket.counts[name] ?? 0) + Number(row.n);
      }
      if (whole) this.statsKept.set(key, bucket.counts);
      else this.statsKept.delete(key);
    }
    return { bucketMs, buckets };
  }

  private statesOf(seqs: number[]): Map<number, Record<string, OutputState>> {
    const states = new Map<number, Record<string, OutputState>>();
    if (seqs.length === 0) return states;
    const rows = this.db.prepare(`SELECT seq, output, state FROM trail_outputs WHERE seq IN (${seqs.map(() => '?').join(', ')})`).all(...seqs) as {
      seq: number;
      output: string;
      state: OutputState;
    }[];
    for (const row of rows) {
      let s = states.get(Number(row.seq));
      if (!s) states.set(Number(row.seq), (s = {}));
      s[row.output] = row.state;
    }
    return states;
  }

  close(): void {
    this.db.close();
  }

}

export class SqliteTrailStore extends TrailReader implements TrailStore {
  private readonly outputs: readonly string[];
  private readonly explain: RouteExplainer;
  private readonly log: Logger;
  private readonly init: WriterInit;
  /** The writer thread, once started (WRITER_THREAD_AT); until then `inline` commits here. */
  private worker: Worker | undefined;
  private inline: Writer | undefined;
  private loadSince = 0;
  private inlineMs = 0;
  private readonly acked: Int32Array;
  private readonly sizes: Float64Array;
  /** The events since the last batch, in order, as flat primitives (see TrailEvent in sqlite-writer.ts). */
  private events: TrailEventField[] = [];
  /** The JSON of each alert received since the last batch, in order. */
  private json: string[] = [];
  /** Events since the last batch (the flat array holds several fields per event). */
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private batchId = 0;
  private closed = false;
  /** The writer may hold new alerts for their outcome (sqlite-writer.ts): the next batch writes them. */
  private writerHolds = false;
  /** Batches posted to the writer thread and not committed yet, with their alert JSON's bytes. */
  private readonly posted: { id: number; bytes: number }[] = [];
  private postedBytes = 0;
  /** Alert JSON bytes since the last batch. */
  private jsonBytes = 0;
  private readonly maxBehindBytes: number;
  /** While the writer is behind: new alerts are left out. */
  private behind = false;
  /** Alerts left out since the last "caught up" line. */
  private leftOut = 0;
  /** When each of the two lines was last logged: under sustained overload the state flips about once a second. */
  private lastBehindLog = -Infinity;
  private lastCaughtUpLog = -Infinity;
  private readonly onUntracked: (reason: UntrackedReason, alerts: number) => void;

  constructor(
    path: string,
    options: {
      maxbytes: number;
      maxagems: number;
      outputs: readonly string[];
      explain: RouteExplainer;
      log: Logger;
      now?: () => number;
      /** Counts alerts that get no trail (peregrine_trail_untracked_alerts_total). */
      onUntracked?: (reason: UntrackedReason, alerts: number) => void;
      /** Tests: MAX_BEHIND_BYTES. */
      maxBehindBytes?: number;
    },
  ) {
    const db = new DatabaseSync(path);
    // A new file gets 16 KiB pages (an existing one keeps its own): the writer's commits dirty
    // fewer index pages per alert, 10-15% less writer CPU than 4 KiB in a micro-benchmark.
    db.exec(`PRAGMA page_size = ${PAGE_SIZE}; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;`);
    db.exec(TRAIL_SCHEMA_SQL);
    super(db, options.now ?? Date.now);
    this.outputs = options.outputs;
    this.explain = options.explain;
    this.log = options.log;
    this.onUntracked = options.onUntracked ?? (() => {});
    this.maxBehindBytes = options.maxBehindBytes ?? MAX_BEHIND_BYTES;
    const shared = new SharedArrayBuffer(24);
    this.acked = new Int32Array(shared, 0, 1);
    this.sizes = new Float64Array(shared, 8, 2);
    this.init = { path, maxbytes: options.maxbytes, maxagems: options.maxagems, shared };
    this.inline = new Writer(this.init, (m) => this.writeFailed(m));
  }

  private writeFailed(m: { message: string; lost: number }): void {
    this.log.warn({ err: m.message, lost: m.lost }, 'delivery trail write failed: these alerts have no trail');
    this.onUntracked('write_failed', m.lost);
  }

  /** Whether batches are committed on the writer thread (tests). */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  /** Moves the commits to the writer thread; the inline writer has committed every batch before. */
  startThread(): void {
    if (this.worker || this.closed) return;
    this.inline?.close(this.batchId);
    this.inline = undefined;
    // Running from source the writer is the .ts file (Node strips the types), from dist/ the .js.
    const here = new URL(import.meta.url);
    const file = new URL(here.pathname.endsWith('.ts') ? './sqlite-writer.ts' : './sqlite-writer.js', here);
    // Named, so that the writer's CPU can be told apart (/proc/PID/task/*/comm; bench/trail.ts).
    const worker = new Worker(file, { workerData: { ...this.init, thread: true } satisfies WriterInit, name: 'trail-writer' });
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: { type: string; message: string; lost: number }) => {
      if (m.type === 'error') this.writeFailed(m);
    });
    worker.on('error', (err) => this.log.error({ err: err.message }, 'delivery trail writer stopped: no more trails are recorded'));
  }

  // The hot path: each call appends a few primitives (no object per event, no JSON); the writer
  // thread turns them into rows.
  received(alert: Alert, at: number, from: string, taken: readonly string[], _bytes: number, spoolId?: number): void {
    if (this.worker && this.writerBehind()) {
      this.leftOut++;
      return this.onUntracked('writer_behind', 1);
    }
    const e = this.events;
    e.push(EVENT.received, alert.uuid, at, from, alert.rule, priorityRank(alert.priority), alert.source, alert.hostname ?? '', namespaceOf(alert), this.routes(alert, taken), spoolId ?? null, taken.length);
    for (const output of taken) e.push(output);
    const json = serializeAlert(alert);
    this.json.push(json);
    this.jsonBytes += json.length;
    this.added();
  }

  attempt(uuids: readonly string[], output: string, attempt: Attempt, state: OutputState, reason?: string): void {
    const e = this.events;
    e.push(EVENT.attempt, output, state, reason ?? null, attempt.at, attempt.latencyMs, attempt.outcome, attempt.detail, attempt.batch, uuids.length);
    for (const uuid of uuids) e.push(uuid);
    this.added(uuids.length);
  }

  state(uuid: string, output: string, state: OutputState, at: number, reason?: string): void {
    this.events.push(EVENT.state, uuid, output, state, reason ?? null, at);
    this.added();
  }

  stateBySpoolId(spoolId: number, output: string, state: OutputState, at: number, reason?: string): void {
    this.events.push(EVENT.stateBySpoolId, spoolId, output, state, reason ?? null, at);
    this.added();
  }

  size(): { alerts: number; bytes: number } {
    return { alerts: this.sizes[1] as number, bytes: this.sizes[0] as number };
  }

  /**
   * Hands what is buffered to the writer (also runs every FLUSH_MS by itself). The writer holds new
   * alerts one batch for their outcome, so after a batch with new alerts another follows within
   * FLUSH_MS even when nothing else happened; `all` (a read, close) has it write every one now.
   */
  flush(all = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || (this.count === 0 && !this.writerHolds)) return;
    const message: WriterMessage = { type: 'batch', id: ++this.batchId, now: this.now(), events: this.events, json: this.json, ...(all ? { flush: true as const } : {}) };
    this.writerHolds = !all && this.json.length > 0;
    this.events = [];
    this.json = [];
    this.count = 0;
    if (this.writerHolds) this.armTimer();
    if (this.worker) {
      this.posted.push({ id: message.id, bytes: this.jsonBytes });
      this.postedBytes += this.jsonBytes;
      this.jsonBytes = 0;
      return this.worker.postMessage(message);
    }
    this.jsonBytes = 0;
    const started = performance.now();
    this.inline?.batch(message);
    this.measureInline(performance.now() - started);
  }

  private armTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  /** Counts the event loop's time in inline commits; starts the writer thread at WRITER_THREAD_AT. */
  private measureInline(ms: number): void {
    const now = performance.now();
    if (now - this.loadSince > 1000) {
      this.loadSince = now;
      this.inlineMs = 0;
    }
    this.inlineMs += ms;
    if (this.inlineMs >= WRITER_THREAD_AT.ms) {
      this.log.info({ commitMsPerSecond: Math.round(this.inlineMs) }, 'delivery trail commits moved to the writer thread (they took a share of the event loop)');
      this.startThread();
    }
  }

  /** Hands over what is buffered and resolves once the writer committed it: a read after it sees every event before it. Never blocks the event loop. */
  async ready(): Promise<void> {
    if (this.closed) return;
    this.flush(true);
    const id = this.batchId;
    for (let seen = Atomics.load(this.acked, 0); seen < id; seen = Atomics.load(this.acked, 0)) {
      const wait = Atomics.waitAsync(this.acked, 0, seen, SYNC_TIMEOUT_MS);
      if (wait.async && (await wait.value) === 'timed-out') {
        return void this.log.warn({ waitedMs: SYNC_TIMEOUT_MS }, 'delivery trail writer is behind: the answer may miss the latest events');
      }
    }
  }

  override close(): void {
    if (this.closed) return;
    this.flush(true);
    this.wait(this.batchId);
    this.closed = true;
    if (this.worker) {
      this.worker.postMessage({ type: 'close', id: ++this.batchId } satisfies WriterMessage);
      this.wait(this.batchId);
      void this.worker.terminate();
    } else {
      this.inline?.close(++this.batchId);
      this.inline = undefined;
    }
    super.close();
  }

  /** Blocks until the writer committed batch `id` (shutdown only: the last events are written before the file closes). */
  private wait(id: number): void {
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    for (let seen = Atomics.load(this.acked, 0); seen < id; seen = Atomics.load(this.acked, 0)) {
      const left = deadline - Date.now();
      if (left <= 0) return void this.log.warn({ waitedMs: SYNC_TIMEOUT_MS }, 'delivery trail writer is behind: the answer may miss the latest events');
      Atomics.wait(this.acked, 0, seen, left);
    }
  }

  /**
   * Whether the writer thread has more than maxBehindBytes of alert JSON waiting (then until under
   * half of it): while it does, new alerts are left out of the trail and counted. Each of the two
   * log lines comes at most once a minute; the count left out carries over to the next "caught up".
   */
  private writerBehind(): boolean {
    const committed = Atomics.load(this.acked, 0);
    while (this.posted.length > 0 && (this.posted[0] as { id: number }).id <= committed) this.postedBytes -= (this.posted.shift() as { bytes: number }).bytes;
    const waiting = this.postedBytes + this.jsonBytes;
    const limit = this.behind ? this.maxBehindBytes / 2 : this.maxBehindBytes;
    if (waiting > limit === this.behind) return this.behind;
    this.behind = !this.behind;
    const now = this.now();
    if (this.behind && now - this.lastBehindLog >= LOG_EVERY_MS) {
      this.lastBehindLog = now;
      this.log.warn(
        { waitingMiB: Math.round(waiting / 2 ** 20), uncommittedBatches: this.posted.length },
        'delivery trail writer is behind: new alerts are left out of the trail until it catches up (their delivery is not affected; see peregrine_trail_untracked_alerts_total)',
      );
    } else if (!this.behind && now - this.lastCaughtUpLog >= LOG_EVERY_MS) {
      this.lastCaughtUpLog = now;
      this.log.info({ leftOut: this.leftOut }, 'delivery trail writer caught up: new alerts are recorded again');
      this.leftOut = 0;
    }
    return this.behind;
  }

  /** Why each output that did not take the alert did not, as JSON ('{}' when every output took it: no work). */
  private routes(alert: Alert, taken: readonly string[]): string {
    if (taken.length === this.outputs.length && this.outputs.every((o) => taken.includes(o))) return '{}';
    const routes: Record<string, string> = {};
    for (const output of this.outputs) if (!taken.includes(output)) routes[output] = this.explain(alert, output);
    return JSON.stringify(routes);
  }

  /** `alerts`: how many alerts the event is about (an attempt's are many). */
  private added(alerts = 1): void {
    if ((this.count += alerts) >= FLUSH_AT) return this.flush();
    this.armTimer();
  }
}

/** A trail file, for reading only (`peregrine explain` while the daemon is stopped); undefined when there is none. */
export function openTrailReader(path: string): Pick<TrailStore, 'get' | 'close'> | undefined {
  if (!existsSync(path)) return undefined;
  const db = new DatabaseSync(path);
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trail_alerts'").get();
  if (!has) {
    db.close();
    return undefined;
  }
  return new TrailReader(db, Date.now);
}
