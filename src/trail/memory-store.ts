// The trail in memory (the spool off): the last `maxalerts` alerts, within `maxbytes`, oldest
// evicted first. A record keeps the alert's JSON (the string outputs send, computed once per alert)
// and the few fields the list filters on, not the alert's objects: those die young once delivered.
// Kept alive, each alert's objects were copied out of the young generation and marked again in the
// old one: 1–3 µs per alert more (docs/console.md#cost-on-the-hot-path).
import type { Alert } from '../alert/alert.ts';
import { serializeAlert, thawAlert } from '../alert/serialize.ts';
import { FifoMap } from '../fifo-map.ts';
import { keepAttempt, emptyBuckets, MAX_ATTEMPTS_KEPT, type TrailStore } from './store.ts';
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

// What a record costs the heap beyond the alert's JSON, charged against maxbytes; measured with
// `node --expose-gc bench/trail-memory.ts` (heap used per record against these charges):
/** The record, its fields and its key (its copy of the alert's `output` text is charged by length). */
const RECORD_OVERHEAD = 416;
/** The map of output states, made with a record's first event. */
const SLOTS_OVERHEAD = 200;
/** One output's state, its attempts list included. */
const SLOT_OVERHEAD = 288;
/** One attempt kept (at most MAX_ATTEMPTS_KEPT per output). */
const ATTEMPT_OVERHEAD = 96;

interface OutputSlot {
  state: OutputState;
  stateAt: number;
  reason?: string;
  attemptCount: number;
  attempts: Attempt[];
}

/** What the list and the stats filter on, taken from the alert when it arrives. */
type Fields = Pick<TrailSummary, 'uuid' | 'rule' | 'priority' | 'source' | 'hostname' | 'namespace' | 'output'>;

interface MemoryRecord {
  seq: number;
  /** The alert as outputs send it; get() thaws it. */
  json: string;
  fields: Fields;
  receivedAt: number;
  from: string;
  bytes: number;
  taken: readonly string[];
  /** Created on the first event for an output; until then the output is "queued" since receivedAt. */
  slots?: Map<string, OutputSlot>;
}

export class MemoryTrailStore implements TrailStore {
  private readonly records = new FifoMap<string, MemoryRecord>();
  private seq = 0;
  private bytes = 0;
  private readonly maxAlerts: number;
  private readonly maxBytes: number;
  private readonly outputs: readonly string[];
  private readonly explain: RouteExplainer;

  constructor(options: { maxalerts: number; maxbytes: number; outputs: readonly string[]; explain: RouteExplainer }) {
    this.maxAlerts = options.maxalerts;
    this.maxBytes = options.maxbytes;
    this.outputs = options.outputs;
    this.explain = options.explain;
  }

  received(alert: Alert, at: number, from: string, taken: readonly string[], bytes: number): void {
    const old = this.records.get(alert.uuid);
    // The same uuid again (a replay, a Falco retry): one trail, moved to the front (set below), routes refreshed.
    if (old) this.bytes -= old.bytes;
    const fields = { uuid: alert.uuid, rule: alert.rule, priority: alert.priority, source: alert.source, hostname: alert.hostname ?? '', namespace: namespaceOf(alert), output: alert.output };
    const record: MemoryRecord = { seq: ++this.seq, json: serializeAlert(alert), fields, receivedAt: at, from, bytes: bytes + fields.output.length + RECORD_OVERHEAD, taken };
    if (old?.slots) {
      record.slots = old.slots;
      for (const output of taken) record.slots.delete(output);
      // The slots carried over stay charged (their attempts included); the deleted ones no longer are.
      record.bytes += slotsBytes(record.slots);
    }
    this.records.set(alert.uuid, record);
    this.bytes += record.bytes;
    this.evict();
  }

  attempt(uuid: string, output: string, attempt: Attempt, state: OutputState, reason?: string): void {
    const slot = this.slot(uuid, output);
    if (!slot) return;
    slot.attemptCount++;
    keepAttempt(slot.attempts, attempt);
    this.setState(slot, state, attempt.at, reason);
    const record = this.records.get(uuid) as MemoryRecord;
    if (slot.attemptCount <= MAX_ATTEMPTS_KEPT) {
      record.bytes += ATTEMPT_OVERHEAD;
      this.bytes += ATTEMPT_OVERHEAD;
    }
    this.evict();
  }

  state(uuid: string, output: string, state: OutputState, at: number, reason?: string): void {
    const slot = this.slot(uuid, output);
    if (!slot) return;
    this.setState(slot, state, at, reason);
    this.evict();
  }

  stateBySpoolId(): void {
    // Memory mode has no spool.
  }

  get(uuid: string): TrailRecord | undefined {
    const record = this.records.get(uuid);
    if (!record) return undefined;
    const alert = thawAlert(record.json);
    return { uuid, receivedAt: record.receivedAt, from: record.from, alert, outputs: this.outputTrails(record, alert) };
  }

  list(query: TrailQuery): { alerts: TrailSummary[]; next: number | null } {
    const alerts: TrailSummary[] = [];
    const text = query.text?.toLowerCase();
    const priorities = query.priorities ? new Set(query.priorities.map((p) => p.toLowerCase())) : undefined;
    const newestFirst = [...this.records.values()].reverse();
    let next: number | null = null;
    for (const r of newestFirst) {
      const a = r.fields;
      if (query.before !== undefined && r.seq >= query.before) continue;
      if (query.after !== undefined && r.seq <= query.after) break;
      if (query.since !== undefined && r.receivedAt < query.since) continue;
      if (query.until !== undefined && r.receivedAt > query.until) continue;
      if (query.rule !== undefined && a.rule !== query.rule) continue;
      if (priorities && !priorities.has(a.priority.toLowerCase())) continue;
      if (query.source !== undefined && a.source !== query.source) continue;
      if (query.hostname !== undefined && a.hostname !== query.hostname) continue;
      if (query.namespace !== undefined && a.namespace !== query.namespace) continue;
      if (text !== undefined && !a.output.toLowerCase().includes(text)) continue;
      const states = this.states(r);
      if (query.output !== undefined && (states[query.output] === undefined || states[query.output] === 'not_routed')) continue;
      if (query.state !== undefined) {
        const match = query.output !== undefined ? states[query.output] === query.state : Object.values(states).includes(query.state);
        if (!match) continue;
      }
      if (alerts.length === query.limit) {
        next = (alerts[alerts.length - 1] as TrailSummary).seq;
        break;
      }
      alerts.push(summary(r, states));
    }
    return { alerts, next };
  }

  stats(dimension: StatsDimension, since: number, bucketMs: number): TrailStats {
    const buckets = emptyBuckets(since, Date.now(), bucketMs);
    const first = buckets[0]?.at ?? since;
    for (const r of this.records.values()) {
      if (r.receivedAt < since) continue;
      const bucket = buckets[Math.floor((r.receivedAt - first) / bucketMs)];
      if (!bucket) continue;
      const key = dimension === 'priority' ? r.fields.priority : dimension === 'rule' ? r.fields.rule : r.fields.namespace;
      bucket.counts[key] = (bucket.counts[key] ?? 0) + 1;
    }
    return { bucketMs, buckets };
  }

  size(): { alerts: number; bytes: number } {
    return { alerts: this.records.size, bytes: this.bytes };
  }

  close(): void {
    // Nothing to release: the records go with the store (and stay readable after a shutdown).
  }

  private slot(uuid: string, output: string): OutputSlot | undefined {
    const record = this.records.get(uuid);
    if (!record) return undefined;
    let charge = 0;
    if (!record.slots) {
      record.slots = new Map();
      charge += SLOTS_OVERHEAD;
    }
    let slot = record.slots.get(output);
    if (!slot) {
      record.slots.set(output, (slot = { state: 'queued', stateAt: record.receivedAt, attemptCount: 0, attempts: [] }));
      charge += SLOT_OVERHEAD;
    }
    record.bytes += charge;
    this.bytes += charge;
    return slot;
  }

  private setState(slot: OutputSlot, state: OutputState, at: number, reason: string | undefined): void {
    slot.state = state;
    slot.stateAt = at;
    if (reason !== undefined) slot.reason = reason;
    else delete slot.reason;
  }

  private states(r: MemoryRecord): Record<string, OutputState> {
    const states: Record<string, OutputState> = {};
    for (const output of this.outputs) if (!r.taken.includes(output)) states[output] = 'not_routed';
    for (const output of r.taken) states[output] = r.slots?.get(output)?.state ?? 'queued';
    if (r.slots) for (const [output, slot] of r.slots) states[output] = slot.state;
    return states;
  }

  private outputTrails(r: MemoryRecord, alert: Alert): OutputTrail[] {
    const names = new Set([...this.outputs, ...r.taken, ...(r.slots?.keys() ?? [])]);
    return [...names].map((output) => {
      const slot = r.slots?.get(output);
      const routed = r.taken.includes(output);
      if (!routed && !slot) return { output, routed, reason: this.explain(alert, output), state: 'not_routed', stateAt: r.receivedAt, attemptCount: 0, attempts: [] };
      return {
        output,
        routed,
        ...(slot?.reason !== undefined ? { reason: slot.reason } : {}),
        state: slot?.state ?? 'queued',
        stateAt: slot?.stateAt ?? r.receivedAt,
        attemptCount: slot?.attemptCount ?? 0,
        attempts: slot ? [...slot.attempts] : [],
      };
    });
  }

  private evict(): void {
    while (this.records.size > this.maxAlerts || (this.bytes > this.maxBytes && this.records.size > 1)) {
      const oldest = this.records.oldest() as { key: string; value: MemoryRecord };
      this.records.delete(oldest.key);
      this.bytes -= oldest.value.bytes;
    }
  }
}

/** What a record's output states are charged: the map, each state, each attempt kept. */
function slotsBytes(slots: Map<string, OutputSlot>): number {
  let bytes = SLOTS_OVERHEAD;
  for (const slot of slots.values()) bytes += SLOT_OVERHEAD + slot.attempts.length * ATTEMPT_OVERHEAD;
  return bytes;
}

function summary(r: MemoryRecord, states: Record<string, OutputState>): TrailSummary {
  const f = r.fields;
  return { uuid: f.uuid, seq: r.seq, receivedAt: r.receivedAt, from: r.from, rule: f.rule, priority: f.priority, source: f.source, hostname: f.hostname, namespace: f.namespace, output: f.output, states };
}
