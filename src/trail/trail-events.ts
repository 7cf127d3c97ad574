// What the SQLite trail store's hot path hands its writer thread: every event since the last batch
// as one flat array of primitives, in order, plus the alerts' JSON. Structured clone copies a flat
// array of strings and numbers far cheaper than one object (or row array) per event, and the rows,
// the merged attempts and their JSON are built in the writer, off the event loop.
//
// Each event is its kind followed by a fixed list of fields:
//   received        uuid, at, from, rule, priority rank, source, hostname, namespace, routes JSON,
//                   spool id | null, n, then n output names (the outputs that took it); its JSON is
//                   the next one of `json`
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
  | { type: 'batch'; id: number; now: number; events: TrailEventField[]; json: string[]; flush?: true }
  | { type: 'close'; id: number };
