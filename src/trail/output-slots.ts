// One memory-only trail record's output states (memory-store.ts), in one flat array: SLOT_FIELDS
// entries per output rather than an object per output. A record outlives the young generation, and
// each object there is one more for every full GC to mark and one more header to hold: five objects
// of 120 bytes became 88 bytes each in the record's one array (bench/trail-memory.ts, round 22).
// Times are ms after the record's receivedAt and latencies tenths of a ms: small integers V8 keeps
// inline, where an epoch-ms time or a fraction would be a heap number of its own.
import { MAX_ATTEMPTS_KEPT } from './store.ts';
import type { Attempt, OutputState, OutputTrail } from './types.ts';

// What they cost the heap, charged against trail.memorymaxbytes (measured with
// `node --expose-gc bench/trail-memory.ts`, memory used per record against the charges):
/** The array, made with a record's first event. */
export const SLOTS_OVERHEAD = 36;
/** One output's state in it, its first attempt included. */
export const SLOT_OVERHEAD = 88;
/** One attempt kept after the first (at most MAX_ATTEMPTS_KEPT per output). */
export const ATTEMPT_OVERHEAD = 104;

// Where each field of one output's state is, from the state's first entry.
/** The output's name. */
const OUTPUT = 0;
const STATE = 1;
/** When the state was reached: ms after receivedAt. */
const STATE_AFTER = 2;
const REASON = 3;
const ATTEMPT_COUNT = 4;
// The first attempt, inline: most alerts have no other.
const FIRST_AT = 5;
const FIRST_LATENCY = 6;
const FIRST_OUTCOME = 7;
const FIRST_DETAIL = 8;
const FIRST_BATCH = 9;
/** The latest attempts after the first (MAX_ATTEMPTS_KEPT − 1 at most), ATTEMPT_FIELDS entries each, or undefined. */
const LATER = 10;
const SLOT_FIELDS = 11;

/** Entries per attempt in LATER: at (ms after receivedAt), latency (0.1 ms), outcome, detail, batch. */
const ATTEMPT_FIELDS = 5;

type Later = (number | string)[];
export type OutputSlots = (string | number | undefined | Later)[];

/** A state per output, each queued since receivedAt with no attempt. */
export function makeSlots(outputs: readonly string[]): OutputSlots {
  // Sized exactly: an array grown by push keeps room to grow, and most records never do.
  const slots: OutputSlots = new Array(outputs.length * SLOT_FIELDS);
  outputs.forEach((output, i) => initSlot(slots, i * SLOT_FIELDS, output));
  return slots;
}

/** Appends a state for `output`, queued since receivedAt with no attempt; returns where it is. */
export function addSlot(slots: OutputSlots, output: string): number {
  const at = slots.length;
  initSlot(slots, at, output);
  return at;
}

function initSlot(slots: OutputSlots, at: number, output: string): void {
  slots[at + OUTPUT] = output;
  slots[at + STATE] = 'queued';
  slots[at + STATE_AFTER] = 0;
  slots[at + REASON] = undefined;
  slots[at + ATTEMPT_COUNT] = 0;
  slots[at + FIRST_AT] = 0;
  slots[at + FIRST_LATENCY] = 0;
  slots[at + FIRST_OUTCOME] = 'ok';
  slots[at + FIRST_DETAIL] = '';
  slots[at + FIRST_BATCH] = 0;
  slots[at + LATER] = undefined;
}

/** Where the state for `output` is, or -1. */
export function findSlot(slots: readonly unknown[], output: string): number {
  for (let at = 0; at < slots.length; at += SLOT_FIELDS) if (slots[at + OUTPUT] === output) return at;
  return -1;
}

export function setState(slots: OutputSlots, at: number, state: OutputState, after: number, reason: string | undefined): void {
  slots[at + STATE] = state;
  slots[at + STATE_AFTER] = after;
  slots[at + REASON] = reason;
}

/** Keeps one more attempt of the state at `at` (`after` ms after receivedAt): the first, and the latest ones. Returns the attempts counted. */
export function recordAttempt(slots: OutputSlots, at: number, attempt: Attempt, after: number): number {
  const latency = Math.round(attempt.latencyMs * 10);
  const count = slots[at + ATTEMPT_COUNT] as number;
  if (count === 0) {
    slots[at + FIRST_AT] = after;
    slots[at + FIRST_LATENCY] = latency;
    slots[at + FIRST_OUTCOME] = attempt.outcome;
    slots[at + FIRST_DETAIL] = attempt.detail;
    slots[at + FIRST_BATCH] = attempt.batch;
  } else {
    let later = slots[at + LATER] as Later | undefined;
    if (!later) slots[at + LATER] = later = [after, latency, attempt.outcome, attempt.detail, attempt.batch];
    else later.push(after, latency, attempt.outcome, attempt.detail, attempt.batch);
    // The first is kept apart: drop the oldest of the later ones once there are too many.
    if (later.length > (MAX_ATTEMPTS_KEPT - 1) * ATTEMPT_FIELDS) later.splice(0, ATTEMPT_FIELDS);
  }
  slots[at + ATTEMPT_COUNT] = count + 1;
  return count + 1;
}

/** Each output with a state, and the state. */
export function slotStates(slots: readonly unknown[]): [string, OutputState][] {
  const states: [string, OutputState][] = [];
  for (let at = 0; at < slots.length; at += SLOT_FIELDS) states.push([slots[at + OUTPUT] as string, slots[at + STATE] as OutputState]);
  return states;
}

/** The state at `at` as the console shows it. */
export function slotTrail(slots: OutputSlots, at: number, receivedAt: number): Omit<OutputTrail, 'output' | 'routed'> {
  const reason = slots[at + REASON] as string | undefined;
  return {
    ...(reason !== undefined ? { reason } : {}),
    state: slots[at + STATE] as OutputState,
    stateAt: receivedAt + (slots[at + STATE_AFTER] as number),
    attemptCount: slots[at + ATTEMPT_COUNT] as number,
    attempts: attemptsOf(slots, at, receivedAt),
  };
}

function attemptsOf(slots: OutputSlots, at: number, receivedAt: number): Attempt[] {
  if (slots[at + ATTEMPT_COUNT] === 0) return [];
  const attempts: Attempt[] = [
    {
      at: receivedAt + (slots[at + FIRST_AT] as number),
      latencyMs: (slots[at + FIRST_LATENCY] as number) / 10,
      outcome: slots[at + FIRST_OUTCOME] as Attempt['outcome'],
      detail: slots[at + FIRST_DETAIL] as string,
      batch: slots[at + FIRST_BATCH] as number,
    },
  ];
  const a = (slots[at + LATER] as Later | undefined) ?? [];
  for (let i = 0; i < a.length; i += ATTEMPT_FIELDS) {
    attempts.push({ at: receivedAt + (a[i] as number), latencyMs: (a[i + 1] as number) / 10, outcome: a[i + 2] as Attempt['outcome'], detail: a[i + 3] as string, batch: a[i + 4] as number });
  }
  return attempts;
}

/**
 * A replay's record keeps the states of the outputs it was not queued on again (their attempts
 * included), with their times moved to stay relative to the new receivedAt (`shift` ms).
 */
export function carriedOver(slots: OutputSlots, taken: readonly string[], shift: number): OutputSlots {
  const kept: OutputSlots = [];
  for (let at = 0; at < slots.length; at += SLOT_FIELDS) {
    if (taken.includes(slots[at + OUTPUT] as string)) continue;
    const slot = slots.slice(at, at + SLOT_FIELDS);
    slot[STATE_AFTER] = (slot[STATE_AFTER] as number) + shift;
    slot[FIRST_AT] = (slot[FIRST_AT] as number) + shift;
    const later = slot[LATER] as Later | undefined;
    if (later) {
      const moved = [...later];
      for (let i = 0; i < moved.length; i += ATTEMPT_FIELDS) moved[i] = (moved[i] as number) + shift;
      slot[LATER] = moved;
    }
    kept.push(...slot);
  }
  return kept;
}

/** What the states are charged: the array, each state (its first attempt included), each later attempt kept. */
export function slotsBytes(slots: OutputSlots): number {
  let bytes = SLOTS_OVERHEAD;
  for (let at = 0; at < slots.length; at += SLOT_FIELDS) bytes += SLOT_OVERHEAD + (((slots[at + LATER] as Later | undefined)?.length ?? 0) / ATTEMPT_FIELDS) * ATTEMPT_OVERHEAD;
  return bytes;
}
