// What the SQLite trail store's hot path hands its writer thread: every event since the last batch
// as one flat array of primitives, in order, plus the alerts' JSON as UTF-8 bytes in one buffer.
// Structured clone copies a flat array of strings and numbers far cheaper than one object (or row
// array) per event, and the rows, the merged attempts and their JSON are built in the writer, off
// the event loop. The JSON's buffer is transferred, not copied, and never becomes strings in the
// writer's heap: SQLite stores each alert's bytes as its text (sqlite-writer.ts). As strings, the
// writer's young generation copied them, and then its old one kept them while the writer held them
// for their outcome: a quarter of its CPU was GC (docs/performance.md, round 20).
//
// Each event is its kind followed by a fixed list of fields:
//   received        uuid, at, from, rule, priority rank, source, hostname, namespace, routes JSON,
//                   spool id | null, n, then n output names (the outputs that took it); its JSON is
//                   the next one of `json` (JsonBytes)
//   attempt         output, state, reason | null, at, latencyMs, outcome, detail, batch, n, then the
//                   n uuids the attempt left in that state (one request, one event: TrailStore.attempt)
//   state           uuid, output, state, reason | null, at
//   stateBySpoolId  spool id, output, state, reason | null, at
export const EVENT = { received: 0, attempt: 1, state: 2, stateBySpoolId: 3 } as const;

export type TrailEventField = string | number | null;

export interface WriterInit {
  path: string;
  maxbytes: number;
  maxagems: number;
  /** Int32 [0]: last committed batch id; Float64 [1]: bytes held; Float64 [2]: alerts held. */
  shared: SharedArrayBuffer;
  /** Set for the writer thread only: the module is also imported on the main thread (inline writer). */
  thread?: true;
}

export type WriterMessage =
  /** `flush`: write every alert held for its outcome too (a read or close waits for this batch). */
  | { type: 'batch'; id: number; now: number; events: TrailEventField[]; json: Uint8Array; jsonEnds: number[]; flush?: true }
  | { type: 'close'; id: number };

const MIN_CAPACITY = 64 * 1024;

/** The JSON of a batch's received alerts, appended as UTF-8 to one buffer; `ends[k]` is where the k-th ends. */
export class JsonBytes {
  private bytes: Buffer;
  private length = 0;
  ends: number[] = [];

  constructor() {
    this.bytes = Buffer.allocUnsafeSlow(MIN_CAPACITY);
  }

  get count(): number {
    return this.ends.length;
  }

  append(json: string): void {
    // A UTF-16 unit takes at most 3 bytes of UTF-8; write() cuts a string short rather than overflow.
    if (this.bytes.length - this.length < json.length * 3) this.grow(this.length + json.length * 3);
    this.length += this.bytes.write(json, this.length);
    this.ends.push(this.length);
  }

  /** The bytes written (a view: post it with its buffer in the transfer list); the next batch gets a fresh buffer sized on this one. */
  take(): { json: Uint8Array; jsonEnds: number[] } {
    const taken = { json: this.bytes.subarray(0, this.length), jsonEnds: this.ends };
    this.bytes = Buffer.allocUnsafeSlow(Math.max(MIN_CAPACITY, Math.ceil(this.length * 1.25)));
    this.length = 0;
    this.ends = [];
    return taken;
  }

  private grow(atLeast: number): void {
    const bigger = Buffer.allocUnsafeSlow(Math.max(atLeast, this.bytes.length * 2));
    this.bytes.copy(bigger, 0, 0, this.length);
    this.bytes = bigger;
  }
}
