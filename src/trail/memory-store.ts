// The trail in memory (the spool off): the last `maxalerts` alerts, within `maxbytes`, oldest
// evicted first. A record keeps the alert's JSON (the string outputs send, computed once per alert)
// and the few fields the list filters on, not the alert's objects: those die young once delivered.
// Kept alive, each alert's objects were copied out of the young generation and marked again in the
// old one: 1–3 µs per alert more (docs/console.md#cost-on-the-hot-path). A record outlives the
// young generation, so it is kept small:
// - its JSON is deflated with the JSONs of the records next to it, after the turn that added them
//   (src/alert/packed.ts): ~70 bytes instead of ~600 for a Falco alert, and a read unpacks its block;
// - its `output` text, which the text filter reads, is kept apart: from then on, a copy of its own
//   (the alert's string could be a view into a larger one);
// - its output states are one flat array (output-slots.ts);
// - records taking the same outputs under the same config share one account of their routing: the
//   outputs taken, those not, and the config's outputs and filters to say why (route-snapshot.ts),
//   so that a reload changes neither the reasons nor the outputs an old alert shows.
// A 600-byte alert delivered to five outputs takes ~1.1 KB (bench/trail-memory.ts): 3.2 KB with a
// Map of states, an object per attempt and epoch-ms times (before round 16), 1.7 KB with an object
// per output state and its JSON as is (before round 22; docs/performance.md).
import type { Alert } from '../alert/alert.ts';
import { detached } from '../alert/detached.ts';
import { serializeAlert, thawAlert } from '../alert/serialize.ts';
import { Packer, type PackedBlock, type Packable } from '../alert/packed.ts';
import { FifoMap } from '../fifo-map.ts';
import {
  addSlot,
  ATTEMPT_OVERHEAD,
  carriedOver,
  findSlot,
  makeSlots,
  recordAttempt,
  setState,
  slotsBytes,
  slotStates,
  slotTrail,
  SLOT_OVERHEAD,
  SLOTS_OVERHEAD,
  type OutputSlots,
} from './output-slots.ts';
import { RouteSnapshot } from './route-snapshot.ts';
import { emptyBuckets, MAX_ATTEMPTS_KEPT, type TrailStore } from './store.ts';
import {
  namespaceOf,
  type Attempt,
  type OutputState,
  type OutputTrail,
  type RouteExplainer,
  type RouteFilter,
  type StatsDimension,
  type TrailQuery,
  type TrailRecord,
  type TrailStats,
  type TrailSummary,
} from './types.ts';

/**
 * What a record costs the heap beyond its JSON (charged its length, then its share of the block it is
 * packed in), its output text (charged its length) and its output states (output-slots.ts): the record,
 * its fields and its key. Measured with `node --expose-gc bench/trail-memory.ts` (memory used per
 * record against these charges).
 */
const RECORD_OVERHEAD = 448;

/** Sets of outputs taken whose Routed the records share, per config (past it, a record has its own). */
const MAX_TAKEN_LISTS = 1024;

/** How an alert was routed: the same object for every record that the same config sent to the same outputs. */
interface Routed {
  readonly taken: readonly string[];
  /** The config's outputs that did not take it (noise control's among them: its state says suppressed). */
  readonly missed: readonly string[];
  /** The outputs and filters when it arrived: the order the trail lists them in, and why one did not take it. */
  readonly routes: RouteSnapshot;
}

/** One alert's trail. */
class MemoryRecord implements Packable {
  readonly seq: number;
  readonly uuid: string;
  /** The alert as outputs send it, or the block it is packed in (at `slot`); get() thaws it. */
  json: string | PackedBlock;
  slot = 0;
  readonly receivedAt: number;
  readonly from: string;
  /** What the record is charged against trail.memorymaxbytes. */
  bytes: number;
  readonly routed: Routed;
  // What the list and the stats filter on, taken from the alert when it arrives.
  readonly rule: string;
  readonly priority: TrailSummary['priority'];
  readonly source: string;
  readonly hostname: string;
  readonly namespace: string;
  /** The alert's output text (the text filter reads it): the alert's until the JSON is packed, then a copy. */
  output: string;
  /** Its outputs' states, made on the first event; until then every output taken is "queued" since receivedAt. */
  slots: OutputSlots | undefined = undefined;

  constructor(seq: number, alert: Alert, json: string, at: number, from: string, routed: Routed) {
    this.seq = seq;
    this.uuid = alert.uuid;
    this.json = json;
    this.receivedAt = at;
    this.from = from;
    this.routed = routed;
    this.rule = alert.rule;
    this.priority = alert.priority;
    this.source = alert.source;
    this.hostname = alert.hostname ?? '';
    this.namespace = namespaceOf(alert);
    this.output = alert.output;
    this.bytes = json.length + this.output.length + RECORD_OVERHEAD;
  }

  heldJson(): string | undefined {
    return typeof this.json === 'string' ? this.json : undefined;
  }

  pack(block: PackedBlock, slot: number): void {
    this.output = detached(this.output);
    this.json = block;
    this.slot = slot;
  }

  /** The alert's JSON, unpacked if packed. */
  text(): string {
    return typeof this.json === 'string' ? this.json : this.json.json(this.slot);
  }
}

export class MemoryTrailStore implements TrailStore {
  private readonly records = new FifoMap<string, MemoryRecord>();
  private seq = 0;
  private bytes = 0;
  private readonly maxAlerts: number;
  private readonly maxBytes: number;
  private readonly outputs: readonly string[];
  private readonly filters: ReadonlyMap<string, RouteFilter> | undefined;
  private readonly explain: RouteExplainer;
  /** The outputs and filters now; a new one once a reload changed them. */
  private routes: RouteSnapshot;
  /** One Routed per set of outputs taken under `routes`, shared by the records (a few sets: routing repeats itself). */
  private readonly routedSets = new Map<string, Routed>();
  /** Packs the records' JSON in blocks after the turn that added them: each record is then charged its share of its block. */
  private readonly packer = new Packer<MemoryRecord>({
    keepUuids: false,
    packed: (record, json, share) => {
      const change = share - json.length;
      record.bytes += change;
      // An evicted record or one replaced since is no longer counted.
      if (this.records.get(record.uuid) === record) this.bytes += change;
    },
  });

  /**
   * `outputs` and `filters` are the live ones (a reload rewrites them in place): each alert keeps a
   * snapshot of those it arrived under. Without `filters`, `explain` says why and must not change.
   */
  constructor(options: { maxalerts: number; maxbytes: number; outputs: readonly string[]; explain: RouteExplainer; filters?: ReadonlyMap<string, RouteFilter> }) {
    this.maxAlerts = options.maxalerts;
    this.maxBytes = options.maxbytes;
    this.outputs = options.outputs;
    this.filters = options.filters;
    this.explain = options.explain;
    this.routes = new RouteSnapshot(this.outputs, this.filters, this.explain);
  }

  received(alert: Alert, at: number, from: string, taken: readonly string[], _bytes?: number): void {
    const old = this.records.get(alert.uuid);
    // The same uuid again (a replay, a Falco retry): one trail, moved to the front (set below), routes refreshed.
    if (old) this.bytes -= old.bytes;
    const json = serializeAlert(alert);
    const record = new MemoryRecord(++this.seq, alert, json, at, from, this.routedAs(taken));
    if (old?.slots) {
      const kept = carriedOver(old.slots, taken, old.receivedAt - at);
      record.slots = kept;
      // The states carried over stay charged (their attempts included); the dropped ones no longer are.
      record.bytes += slotsBytes(kept);
    }
    this.records.set(alert.uuid, record);
    this.bytes += record.bytes;
    this.packer.add(record);
    this.evict();
  }

  attempt(uuids: readonly string[], output: string, attempt: Attempt, state: OutputState, reason?: string): void {
    for (const uuid of uuids) this.attemptOne(uuid, output, attempt, state, reason);
  }

  private attemptOne(uuid: string, output: string, attempt: Attempt, state: OutputState, reason: string | undefined): void {
    const record = this.records.get(uuid);
    if (!record) return;
    const at = this.slot(record, output);
    const slots = record.slots as OutputSlots;
    const after = Math.round(attempt.at - record.receivedAt);
    const count = recordAttempt(slots, at, attempt, after);
    setState(slots, at, state, after, reason);
    // The first attempt is charged with its output's state.
    if (count > 1 && count <= MAX_ATTEMPTS_KEPT) {
      record.bytes += ATTEMPT_OVERHEAD;
      this.bytes += ATTEMPT_OVERHEAD;
    }
    this.evict();
  }

  state(uuid: string, output: string, state: OutputState, at: number, reason?: string): void {
    const record = this.records.get(uuid);
    if (!record) return;
    const slot = this.slot(record, output);
    setState(record.slots as OutputSlots, slot, state, Math.round(at - record.receivedAt), reason);
    this.evict();
  }

  stateBySpoolId(): void {
    // Memory mode has no spool.
  }

  get(uuid: string): TrailRecord | undefined {
    const record = this.records.get(uuid);
    if (!record) return undefined;
    const alert = thawAlert(record.text());
    return { uuid, receivedAt: record.receivedAt, from: record.from, alert, outputs: this.outputTrails(record, alert) };
  }

  list(query: TrailQuery): { alerts: TrailSummary[]; next: number | null } {
    const alerts: TrailSummary[] = [];
    const text = query.text?.toLowerCase();
    const priorities = query.priorities ? new Set(query.priorities.map((p) => p.toLowerCase())) : undefined;
    const newestFirst = [...this.records.values()].reverse();
    let next: number | null = null;
    for (const r of newestFirst) {
      const a = r;
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
      const key = dimension === 'priority' ? r.priority : dimension === 'rule' ? r.rule : r.namespace;
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

  /**
   * How an alert that `taken` took was routed under the config now: made once per set and config (a
   * new one past MAX_TAKEN_LISTS sets). Made again once a reload changed the outputs, or the filter of
   * an output the set leaves out. The checks cost an alert ~30 ns with five outputs, ~75 when two left it out.
   */
  private routedAs(taken: readonly string[]): Routed {
    const key = taken.join('\n');
    let routed = this.routedSets.get(key);
    if (!this.routes.sameOutputs(this.outputs) || !this.routes.sameFilters(this.filters, routed?.missed ?? this.outputs)) {
      this.routes = new RouteSnapshot(this.outputs, this.filters, this.explain);
      this.routedSets.clear();
      routed = undefined;
    }
    if (!routed) {
      const routes = this.routes;
      routed = Object.freeze({ taken: Object.freeze([...taken]), missed: Object.freeze(routes.outputs.filter((output) => !taken.includes(output))), routes });
      if (this.routedSets.size < MAX_TAKEN_LISTS) this.routedSets.set(key, routed);
    }
    return routed;
  }

  /** Where the record's state for `output` is in its slots. The first event makes one for each output that took the alert. */
  private slot(record: MemoryRecord, output: string): number {
    let charge = 0;
    if (!record.slots) {
      record.slots = makeSlots(record.routed.taken);
      charge += SLOTS_OVERHEAD + record.routed.taken.length * SLOT_OVERHEAD;
    }
    let at = findSlot(record.slots, output);
    if (at < 0) {
      // An output that did not take it (noise control suppressed it there), or a replay's.
      at = addSlot(record.slots, output);
      charge += SLOT_OVERHEAD;
    }
    record.bytes += charge;
    this.bytes += charge;
    return at;
  }

  private states(r: MemoryRecord): Record<string, OutputState> {
    const states: Record<string, OutputState> = {};
    for (const output of r.routed.missed) states[output] = 'not_routed';
    for (const output of r.routed.taken) states[output] = 'queued';
    if (r.slots) for (const [output, state] of slotStates(r.slots)) states[output] = state;
    return states;
  }

  private outputTrails(r: MemoryRecord, alert: Alert): OutputTrail[] {
    const slots = r.slots ?? [];
    const { taken, routes } = r.routed;
    const names = new Set([...routes.outputs, ...taken, ...slotStates(slots).map(([output]) => output)]);
    return [...names].map((output) => {
      const at = findSlot(slots, output);
      const routed = taken.includes(output);
      // Explained by the filters it met on arrival, not by today's.
      if (!routed && at < 0) return { output, routed, reason: routes.explain(alert, output), state: 'not_routed', stateAt: r.receivedAt, attemptCount: 0, attempts: [] };
      if (at < 0) return { output, routed, state: 'queued', stateAt: r.receivedAt, attemptCount: 0, attempts: [] };
      return { output, routed, ...slotTrail(slots, at, r.receivedAt) };
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

function summary(r: MemoryRecord, states: Record<string, OutputState>): TrailSummary {
  return { uuid: r.uuid, seq: r.seq, receivedAt: r.receivedAt, from: r.from, rule: r.rule, priority: r.priority, source: r.source, hostname: r.hostname, namespace: r.namespace, output: r.output, states };
}
