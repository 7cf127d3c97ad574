// The trail in the spool's SQLite file (the spool on): kept by age (trail.maxagems) and size
// (trail.maxbytes), oldest deleted first. Writes are buffered and committed together every
// FLUSH_MS (or sooner when many are waiting) on a connection of its own, so the hot path only
// appends to arrays; an alert delivered before the next commit is written once, already delivered.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Logger } from 'pino';
import type { Alert } from '../alert/alert.ts';
import { PRIORITIES, priorityRank } from '../alert/priority.ts';
import { serializeAlert, thawAlert } from '../alert/serialize.ts';
import { emptyBuckets, keepAttempt, type TrailStore } from './store.ts';
import { TRAIL_SCHEMA_SQL } from './sqlite-schema.ts';
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
const FLUSH_AT = 5000;
const RETENTION_EVERY_MS = 10_000;
const ROW_OVERHEAD = 320;

interface PendingAlert {
  alert: Alert;
  at: number;
  from: string;
  taken: readonly string[];
  bytes: number;
  spoolId: number | undefined;
}

interface PendingOutput {
  uuid: string;
  output: string;
  state: OutputState;
  stateAt: number;
  reason: string | undefined;
  attempts: Attempt[];
  /** Attempts made since the last commit. */
  newAttempts: number;
}

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

export class SqliteTrailStore implements TrailStore {
  private readonly db: DatabaseSync;
  private readonly stmt: Record<string, StatementSync>;
  private readonly outputs: readonly string[];
  private readonly explain: RouteExplainer;
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly log: Logger;
  private readonly now: () => number;
  private alerts: PendingAlert[] = [];
  private pending = new Map<string, PendingOutput>();
  private bySpoolId: [number, string, OutputState, number, string | undefined][] = [];
  private timer: NodeJS.Timeout | undefined;
  private byteCount: number;
  private lastRetention = 0;
  private closed = false;

  constructor(
    path: string,
    options: { maxbytes: number; maxagems: number; outputs: readonly string[]; explain: RouteExplainer; log: Logger; now?: () => number },
  ) {
    this.outputs = options.outputs;
    this.explain = options.explain;
    this.maxBytes = options.maxbytes;
    this.maxAgeMs = options.maxagems;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.db = new DatabaseSync(path);
    // History, not delivery state: no fsync per commit whatever spool.fsync says; wait for the
    // spool's own commits rather than failing on its lock.
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(TRAIL_SCHEMA_SQL);
    this.stmt = {
      insertAlert: this.db.prepare(
        `INSERT INTO trail_alerts(uuid, received_at, from_addr, rule, priority, source, hostname, namespace, output, routes, spool_id, bytes, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(uuid) DO UPDATE SET received_at = excluded.received_at, from_addr = excluded.from_addr, routes = excluded.routes, spool_id = excluded.spool_id`,
      ),
      upsertOutput: this.db.prepare(
        `INSERT INTO trail_outputs(uuid, output, state, state_at, reason, attempt_count, attempts)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM trail_alerts WHERE uuid = ?)
         ON CONFLICT(uuid, output) DO UPDATE SET state = excluded.state, state_at = excluded.state_at, reason = excluded.reason,
           attempt_count = excluded.attempt_count, attempts = excluded.attempts`,
      ),
      outputRow: this.db.prepare('SELECT attempt_count AS n, attempts FROM trail_outputs WHERE uuid = ? AND output = ?'),
      uuidOfSpoolId: this.db.prepare('SELECT uuid FROM trail_alerts WHERE spool_id = ? ORDER BY seq DESC LIMIT 1'),
      alert: this.db.prepare('SELECT seq, received_at, from_addr, routes, json FROM trail_alerts WHERE uuid = ?'),
      outputsOf: this.db.prepare('SELECT output, state, state_at, reason, attempt_count, attempts FROM trail_outputs WHERE uuid = ?'),
      expired: this.db.prepare('SELECT MAX(seq) AS seq FROM trail_alerts WHERE received_at < ?'),
      oldest: this.db.prepare('SELECT seq, bytes FROM trail_alerts ORDER BY seq LIMIT 1000'),
      deleteOutputsTo: this.db.prepare('DELETE FROM trail_outputs WHERE uuid IN (SELECT uuid FROM trail_alerts WHERE seq <= ?)'),
      deleteAlertsTo: this.db.prepare('DELETE FROM trail_alerts WHERE seq <= ? RETURNING bytes'),
    };
    this.byteCount = Number((this.db.prepare('SELECT COALESCE(SUM(bytes), 0) AS b FROM trail_alerts').get() as { b: number }).b);
  }

  received(alert: Alert, at: number, from: string, taken: readonly string[], bytes: number, spoolId?: number): void {
    this.alerts.push({ alert, at, from, taken, bytes, spoolId });
    for (const output of taken) {
      this.pending.set(`${alert.uuid}\n${output}`, { uuid: alert.uuid, output, state: 'queued', stateAt: at, reason: undefined, attempts: [], newAttempts: 0 });
    }
    this.schedule();
  }

  attempt(uuid: string, output: string, attempt: Attempt, state: OutputState, reason?: string): void {
    const slot = this.slot(uuid, output, attempt.at);
    keepAttempt(slot.attempts, attempt);
    slot.newAttempts++;
    slot.state = state;
    slot.stateAt = attempt.at;
    slot.reason = reason;
    this.schedule();
  }

  state(uuid: string, output: string, state: OutputState, at: number, reason?: string): void {
    const slot = this.slot(uuid, output, at);
    slot.state = state;
    slot.stateAt = at;
    slot.reason = reason;
    this.schedule();
  }

  stateBySpoolId(spoolId: number, output: string, state: OutputState, at: number, reason?: string): void {
    this.bySpoolId.push([spoolId, output, state, at, reason]);
    this.schedule();
  }

  get(uuid: string): TrailRecord | undefined {
    this.flush();
    const row = this.stmt.alert?.get(uuid) as { received_at: number; from_addr: string; routes: string; json: string } | undefined;
    if (!row) return undefined;
    const alert = thawAlert(row.json);
    const routes = JSON.parse(row.routes) as Record<string, string>;
    const rows = this.stmt.outputsOf?.all(uuid) as { output: string; state: OutputState; state_at: number; reason: string | null; attempt_count: number; attempts: string }[];
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
    this.flush();
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (query.since !== undefined) add('a.received_at >= ?', query.since);
    if (query.until !== undefined) add('a.received_at <= ?', query.until);
    if (query.before !== undefined) add('a.seq < ?', query.before);
    if (query.after !== undefined) add('a.seq > ?', query.after);
    if (query.rule !== undefined) add('a.rule = ?', query.rule);
    if (query.priorities) {
      const ranks = query.priorities.map((p) => PRIORITIES.findIndex((name) => name.toLowerCase() === p.toLowerCase()));
      add(`a.priority IN (${ranks.map(() => '?').join(', ')})`, ...ranks);
    }
    if (query.source !== undefined) add('a.source = ?', query.source);
    if (query.hostname !== undefined) add('a.hostname = ?', query.hostname);
    if (query.namespace !== undefined) add('a.namespace = ?', query.namespace);
    if (query.text !== undefined) add('instr(lower(a.output), lower(?)) > 0', query.text);
    if (query.output !== undefined && query.state !== undefined) {
      add('EXISTS (SELECT 1 FROM trail_outputs o WHERE o.uuid = a.uuid AND o.output = ? AND o.state = ?)', query.output, query.state);
    } else if (query.output !== undefined) {
      add("EXISTS (SELECT 1 FROM trail_outputs o WHERE o.uuid = a.uuid AND o.output = ? AND o.state <> 'suppressed')", query.output);
    } else if (query.state === 'not_routed') {
      add("a.routes <> '{}'");
    } else if (query.state !== undefined) {
      add('EXISTS (SELECT 1 FROM trail_outputs o WHERE o.uuid = a.uuid AND o.state = ?)', query.state);
    }
    const sql =
      'SELECT a.seq, a.uuid, a.received_at, a.from_addr, a.rule, a.priority, a.source, a.hostname, a.namespace, a.output, a.routes FROM trail_alerts a' +
      `${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY a.seq DESC LIMIT ${query.limit + 1}`;
    const rows = this.db.prepare(sql).all(...args) as unknown as SummaryRow[];
    const next = rows.length > query.limit ? Number((rows[query.limit - 1] as SummaryRow).seq) : null;
    const page = rows.slice(0, query.limit);
    const states = this.statesOf(page.map((r) => r.uuid));
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
        states: { ...Object.fromEntries(Object.keys(JSON.parse(r.routes) as object).map((o) => [o, 'not_routed' as const])), ...states.get(r.uuid) },
      })),
      next,
    };
  }

  stats(dimension: StatsDimension, since: number, bucketMs: number): TrailStats {
    this.flush();
    const buckets = emptyBuckets(since, this.now(), bucketMs);
    const first = buckets[0]?.at ?? since;
    const column = dimension === 'priority' ? 'priority' : dimension;
    const rows = this.db
      .prepare(`SELECT CAST((received_at - ?) / ? AS INTEGER) AS b, ${column} AS k, COUNT(*) AS n FROM trail_alerts WHERE received_at >= ? GROUP BY b, k`)
      .all(first, bucketMs, since) as { b: number; k: string | number; n: number }[];
    for (const row of rows) {
      const bucket = buckets[Math.floor(Number(row.b))];
      if (!bucket) continue;
      const key = dimension === 'priority' ? (PRIORITIES[Number(row.k)] as string) : String(row.k);
      bucket.counts[key] = (bucket.counts[key] ?? 0) + Number(row.n);
    }
    return { bucketMs, buckets };
  }

  size(): { alerts: number; bytes: number } {
    this.flush();
    return { alerts: Number((this.db.prepare('SELECT COUNT(*) AS n FROM trail_alerts').get() as { n: number }).n), bytes: this.byteCount };
  }

  /** Commits what is buffered (also runs every FLUSH_MS by itself). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || (this.alerts.length === 0 && this.pending.size === 0 && this.bySpoolId.length === 0)) return;
    const alerts = this.alerts;
    const pending = this.pending;
    const bySpoolId = this.bySpoolId;
    this.alerts = [];
    this.pending = new Map();
    this.bySpoolId = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const p of alerts) this.insertAlert(p);
      const fresh = new Set(alerts.map((p) => p.alert.uuid));
      for (const slot of pending.values()) this.writeOutput(slot, fresh.has(slot.uuid));
      for (const [spoolId, output, state, at, reason] of bySpoolId) {
        const uuid = (this.stmt.uuidOfSpoolId?.get(spoolId) as { uuid: string } | undefined)?.uuid;
        if (uuid) this.writeOutput({ uuid, output, state, stateAt: at, reason, attempts: [], newAttempts: 0 }, false);
      }
      if (this.now() - this.lastRetention >= RETENTION_EVERY_MS) this.retain();
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      this.log.warn({ err: (err as Error).message, lost: alerts.length }, 'delivery trail write failed: these alerts have no trail');
    }
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.db.close();
  }

  private slot(uuid: string, output: string, at: number): PendingOutput {
    const key = `${uuid}\n${output}`;
    let slot = this.pending.get(key);
    if (!slot) this.pending.set(key, (slot = { uuid, output, state: 'queued', stateAt: at, reason: undefined, attempts: [], newAttempts: 0 }));
    return slot;
  }

  private insertAlert(p: PendingAlert): void {
    const a = p.alert;
    const routes: Record<string, string> = {};
    for (const output of this.outputs) if (!p.taken.includes(output)) routes[output] = this.explain(a, output);
    const json = serializeAlert(a);
    const bytes = json.length + a.output.length + ROW_OVERHEAD;
    this.stmt.insertAlert?.run(
      a.uuid, p.at, p.from, a.rule, priorityRank(a.priority), a.source, a.hostname ?? '', namespaceOf(a), a.output,
      JSON.stringify(routes), p.spoolId ?? null, bytes, json,
    );
    this.byteCount += bytes;
  }

  /** Writes one output's state; attempts made before the last commit are merged from the row. */
  private writeOutput(slot: PendingOutput, fresh: boolean): void {
    let attempts = slot.attempts;
    let count = slot.newAttempts;
    if (!fresh) {
      const row = this.stmt.outputRow?.get(slot.uuid, slot.output) as { n: number; attempts: string } | undefined;
      if (row) {
        const merged = JSON.parse(row.attempts) as Attempt[];
        for (const attempt of slot.attempts) keepAttempt(merged, attempt);
        attempts = merged;
        count += Number(row.n);
      }
    }
    this.stmt.upsertOutput?.run(slot.uuid, slot.output, slot.state, slot.stateAt, slot.reason ?? null, count, JSON.stringify(attempts), slot.uuid);
  }

  /** Deletes what is older than maxagems, then the oldest until under maxbytes. */
  private retain(): void {
    this.lastRetention = this.now();
    const expired = (this.stmt.expired?.get(this.now() - this.maxAgeMs) as { seq: number | null }).seq;
    if (expired !== null) this.deleteTo(Number(expired));
    while (this.byteCount > this.maxBytes) {
      const rows = this.stmt.oldest?.all() as { seq: number; bytes: number }[];
      if (rows.length === 0) break;
      let freed = 0;
      let upTo = 0;
      for (const row of rows) {
        freed += Number(row.bytes);
        upTo = Number(row.seq);
        if (this.byteCount - freed <= this.maxBytes) break;
      }
      this.deleteTo(upTo);
    }
  }

  private deleteTo(seq: number): void {
    this.stmt.deleteOutputsTo?.run(seq);
    for (const row of this.stmt.deleteAlertsTo?.all(seq) as { bytes: number }[]) this.byteCount -= Number(row.bytes);
  }

  private statesOf(uuids: string[]): Map<string, Record<string, OutputState>> {
    const states = new Map<string, Record<string, OutputState>>();
    if (uuids.length === 0) return states;
    const rows = this.db.prepare(`SELECT uuid, output, state FROM trail_outputs WHERE uuid IN (${uuids.map(() => '?').join(', ')})`).all(...uuids) as {
      uuid: string;
      output: string;
      state: OutputState;
    }[];
    for (const row of rows) {
      let s = states.get(row.uuid);
      if (!s) states.set(row.uuid, (s = {}));
      s[row.output] = row.state;
    }
    return states;
  }

  private schedule(): void {
    if (this.alerts.length + this.pending.size >= FLUSH_AT) return this.flush();
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.timer.unref();
  }
}

/** Reads a trail from a spool file without a running daemon (`peregrine explain`). */
export function openTrailReadOnly(path: string, log: Logger): SqliteTrailStore {
  return new SqliteTrailStore(path, { maxbytes: Number.MAX_SAFE_INTEGER, maxagems: Number.MAX_SAFE_INTEGER, outputs: [], explain: () => '', log });
}
