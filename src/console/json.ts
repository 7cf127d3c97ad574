// The JSON shapes the API answers with (times as ISO 8601), shared by the API and `peregrine explain`.
import type { DeadLetter } from '../dispatch/dead-letter.ts';
import type { TrailRecord, TrailSummary } from '../trail/types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function summaryJson(s: TrailSummary) {
  return { ...s, receivedAt: iso(s.receivedAt) };
}

export function recordJson(r: TrailRecord) {
  return {
    alert: r.alert,
    trail: {
      uuid: r.uuid,
      receivedAt: iso(r.receivedAt),
      from: r.from,
      outputs: r.outputs.map((o) => ({ ...o, stateAt: iso(o.stateAt), attempts: o.attempts.map((a) => ({ ...a, at: iso(a.at) })) })),
    },
  };
}

export type RecordJson = ReturnType<typeof recordJson>;

export function deadLetterJson(e: DeadLetter) {
  return { ...e, at: iso(e.at) };
}
