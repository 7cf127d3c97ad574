// The trail in memory (the spool off): the last `maxalerts` alerts, within `maxbytes`, oldest
// evicted first. A record keeps the alert's JSON (the string outputs send, computed once per alert)
// and the few fields the list filters on, not the alert's objects: those die young once delivered.
// Kept alive, each alert's objects were copied out of the young generation and marked again in the
// old one: 1–3 µs per alert more (docs/console.md#cost-on-the-hot-path). A record outlives the
// young generation, so it is kept small: an output's state is one object holding its first attempt,
// later attempts go in one flat array, times are ms after the record's receivedAt and latencies
// tenths of a ms (small integers V8 keeps inline; an epoch-ms time or a fraction is a 16-byte heap
// number of its own), the `output` text is a view into the JSON, and records taking the same
// outputs share one list of them. A Map of states, an object per attempt and epoch-ms times took
// 3.2 KB per alert delivered to five outputs; now 1.6 KB, and the fan-out bench with the spool off
// peaks ~50 MiB lower (docs/performance.md, round 16).
import type { Alert } from '../alert/alert.ts';
import { serializeAlert, thawAlert } from '../alert/serialize.ts';
import { FifoMap } from '../fifo-map.ts';
import { emptyBuckets, MAX_ATTEMPTS_KEPT, type TrailStore } from './store.ts';
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
/** The record, its fields and its key (the alert's `output` text: SLICE_OVERHEAD as a view, else its length). */
const RECORD_OVERHEAD = 416;
/** The alert's `output` text kept as a view into the record's JSON (outputIn). */
const SLICE_OVERHEAD = 32;
/** The list of output states, made with a record's first event. */
const SLOTS_OVERHEAD = 88;
/** One output's state, its first attempt included. */
const SLOT_OVERHEAD = 120;
/** One attempt kept after the first (at most MAX_ATTEMPTS_KEPT per output). */
const ATTEMPT_OVERHEAD = 104;

/** Entries per attempt in OutputSlot.later: at (ms after receivedAt), latency (0.1 ms), outcome, detail, batch. */
const ATTEMPT_FIELDS = 5;

/** Sets of outputs taken whose list the records share (past it, a record has its own). */
const MAX_TAKEN_LISTS = 1024;

/** One output's state for one record (times relative to the record's receivedAt). */
class OutputSlot {
  readonly output: string;
  state: OutputState = 'queued';
  /** When the state was reached: ms after receivedAt. */
  stateAfter = 0;
  reason: string | undefined = undefined;
  attemptCount = 0;
  // The first attempt, inline: most alerts have no other.
  firstAt = 0;
  firstLatency = 0;
  firstOutcome: Attempt['outcome'] = 'ok';
  firstDetail = '';
  firstBatch = 0;
  /** The latest attempts after the first (MAX_ATTEMPTS_KEPT − 1 at most), ATTEMPT_FIELDS entries each. */
  later: (number | string)[] | undefined = undefined;

  constructor(output: string) {
    this.output = output;
  }
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
  /** Made on the first event for an output; until then the output is "queued" since receivedAt. */
  slots: OutputSlot[] | undefined;
}

export class MemoryTrailStore implements TrailStore {
  private readonly records = new FifoMap<string, MemoryRecord>();
  private seq = 0;
  private bytes = 0;
  private readonly maxAlerts: number;
  private readonly maxBytes: number;
  private readonly outputs: readonly string[];
  private readonly explain: RouteExplainer;
  /** One list per set of outputs taken, shared by the records (a few sets: routing repeats itself). */
  private readonly takenLists = new Map<string, readonly string[]>();

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
    const json = serializeAlert(alert);
    const slice = outputIn(json, alert.output);
    const output = slice ?? alert.output;
    const fields = { uuid: alert.uuid, rule: alert.rule, priority: alert.priority, source: alert.source, hostname: alert.hostname ?? '', namespace: namespaceOf(alert), output };
    const outputBytes = slice === undefined ? output.length : SLICE_OVERHEAD;
    const record: MemoryRecord = { seq: ++this.seq, json, fields, receivedAt: at, from, bytes: bytes + outputBytes + RECORD_OVERHEAD, taken: this.shared(taken), slots: undefined };
    if (old?.slots) {
      const kept = old.slots.filter((slot) => !taken.includes(slot.output));
      for (const slot of kept) rebase(slot, old.receivedAt - at);
      record.slots = kept;
      // The slots carried over stay charged (their attempts included); the dropped ones no longer are.
      record.bytes += slotsBytes(kept);
    }
    this.records.set(alert.uuid, record);
    this.bytes += record.bytes;
    this.evict();
  }

  attempt(uuids: readonly string[], output: string, attempt: Attempt, state: OutputState, reason?: string): void {
    for (const uuid of uuids) this.attemptOne(uuid, output, attempt, state, reason);
  }

  private attemptOne(uuid: string, output: string, attempt: Attempt, state: OutputState, reason: string | undefined): void {
    const record = this.records.get(uuid);
    if (!record) return;
    const slot = this.slot(record, output);
    const at = Math.round(attempt.at - record.receivedAt);
    const latency = Math.round(attempt.latencyMs * 10);
    if (slot.attemptCount === 0) {
      slot.firstAt = at;
      slot.firstLatency = latency;
      slot.firstOutcome = attempt.outcome;
      slot.firstDetail = attempt.detail;
      slot.firstBatch = attempt.batch;
    } else {
      if (!slot.later) slot.later = [at, latency, attempt.outcome, attempt.detail, attempt.batch];
      else slot.later.push(at, latency, attempt.outcome, attempt.detail, attempt.batch);
      // Keep the first and the latest: drop the oldest of the later ones once there are too many.
      if (slot.later.length > (MAX_ATTEMPTS_KEPT - 1) * ATTEMPT_FIELDS) slot.later.splice(0, ATTEMPT_FIELDS);
    }
    slot.attemptCount++;
    setState(slot, state, at, reason);
    // The first attempt is charged with its output's state.
    if (slot.attemptCount > 1 && slot.attemptCount <= MAX_ATTEMPTS_KEPT) {
      record.bytes += ATTEMPT_OVERHEAD;
      this.bytes += ATTEMPT_OVERHEAD;
    }
    this.evict();
  }

  state(uuid: string, output: string, state: OutputState, at: number, reason?: string): void {
    const record = this.records.get(uuid);
    if (!record) return;
    setState(this.slot(record, output), state, Math.round(at - record.receivedAt), reason);
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

  /** The list of outputs taken equal to `taken`, made once; a new one past MAX_TAKEN_LISTS sets. */
  private shared(taken: readonly string[]): readonly string[] {
    const key = taken.join('\n');
    let list = this.takenLists.get(key);
    if (!list) {
      list = Object.freeze([...taken]);
      if (this.takenLists.size < MAX_TAKEN_LISTS) this.takenLists.set(key, list);
    }
    return list;
  }

  /** The record's state for `output`. The first event makes one for each output that took the alert. */
  private slot(record: MemoryRecord, output: string): OutputSlot {
    let charge = 0;
    if (!record.slots) {
      record.slots = record.taken.map((name) => new OutputSlot(name));
      charge += SLOTS_OVERHEAD + record.slots.length * SLOT_OVERHEAD;
    }
    let slot = record.slots.find((s) => s.output === output);
    if (!slot) {
      // An output that did not take it (noise control suppressed it there), or a replay's.
      record.slots.push((slot = new OutputSlot(output)));
      charge += SLOT_OVERHEAD;
    }
    record.bytes += charge;
    this.bytes += charge;
    return slot;
  }

  private states(r: MemoryRecord): Record<string, OutputState> {
    const states: Record<string, OutputState> = {};
    for (const output of this.outputs) if (!r.taken.includes(output)) states[output] = 'not_routed';
    for (const output of r.taken) states[output] = 'queued';
    if (r.slots) for (const slot of r.slots) states[slot.output] = slot.state;
    return states;
  }

  private outputTrails(r: MemoryRecord, alert: Alert): OutputTrail[] {
    const names = new Set([...this.outputs, ...r.taken, ...(r.slots?.map((s) => s.output) ?? [])]);
    return [...names].map((output) => {
      const slot = r.slots?.find((s) => s.output === output);
      const routed = r.taken.includes(output);
      if (!routed && !slot) return { output, routed, reason: this.explain(alert, output), state: 'not_routed', stateAt: r.receivedAt, attemptCount: 0, attempts: [] };
      return {
        output,
        routed,
        ...(slot?.reason !== undefined ? { reason: slot.reason } : {}),
        state: slot?.state ?? 'queued',
        stateAt: r.receivedAt + (slot?.stateAfter ?? 0),
        attemptCount: slot?.attemptCount ?? 0,
        attempts: slot ? attemptsOf(slot, r.receivedAt) : [],
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

const OUTPUT_KEY = '"output":"';

/**
 * The alert's `output` text as a slice of its JSON, when the JSON holds it as is (no character
 * escaped): V8 keeps that as a 32-byte view into the JSON rather than a copy.
 */
function outputIn(json: string, output: string): string | undefined {
  for (let i = json.indexOf(OUTPUT_KEY); i !== -1; i = json.indexOf(OUTPUT_KEY, i + 1)) {
    const start = i + OUTPUT_KEY.length;
    if (json.startsWith(output, start) && json.charCodeAt(start + output.length) === 0x22) return json.slice(start, start + output.length);
  }
  return undefined;
}

function setState(slot: OutputSlot, state: OutputState, after: number, reason: string | undefined): void {
  slot.state = state;
  slot.stateAfter = after;
  slot.reason = reason;
}

/** The attempts kept, as the console shows them. */
function attemptsOf(slot: OutputSlot, receivedAt: number): Attempt[] {
  if (slot.attemptCount === 0) return [];
  const attempts: Attempt[] = [{ at: receivedAt + slot.firstAt, latencyMs: slot.firstLatency / 10, outcome: slot.firstOutcome, detail: slot.firstDetail, batch: slot.firstBatch }];
  const a = slot.later ?? [];
  for (let i = 0; i < a.length; i += ATTEMPT_FIELDS) {
    attempts.push({ at: receivedAt + (a[i] as number), latencyMs: (a[i + 1] as number) / 10, outcome: a[i + 2] as Attempt['outcome'], detail: a[i + 3] as string, batch: a[i + 4] as number });
  }
  return attempts;
}

/** Moves a slot carried over to a replay's record: its times are kept relative to the new receivedAt. */
function rebase(slot: OutputSlot, shift: number): void {
  slot.stateAfter += shift;
  slot.firstAt += shift;
  const a = slot.later;
  if (a) for (let i = 0; i < a.length; i += ATTEMPT_FIELDS) a[i] = (a[i] as number) + shift;
}

/** What a record's output states are charged: the list, each state (its first attempt included), each later attempt kept. */
function slotsBytes(slots: readonly OutputSlot[]): number {
  let bytes = SLOTS_OVERHEAD;
  for (const slot of slots) bytes += SLOT_OVERHEAD + ((slot.later?.length ?? 0) / ATTEMPT_FIELDS) * ATTEMPT_OVERHEAD;
  return bytes;
}

function summary(r: MemoryRecord, states: Record<string, OutputState>): TrailSummary {
  const f = r.fields;
  return { uuid: f.uuid, seq: r.seq, receivedAt: r.receivedAt, from: r.from, rule: f.rule, priority: f.priority, source: f.source, hostname: f.hostname, namespace: f.namespace, output: f.output, states };
}
