// V8's heap growth, tuned for a daemon whose live memory is its queues. By default V8 lets the old
// generation grow to several times what survived the last full GC: with a stalled output holding
// 100,000 alerts (~90 MiB live) the daemon peaked at 345 MiB RSS. Growing it by at most 25 % per GC
// brought that to 228–249 MiB. The price is more full GCs while the live set grows: the fan-out
// bench, where the webhook's backlog grows, used ~18 % more CPU (two pairs of runs) and ~38 % less
// RSS. V8 reads this flag at every GC, so setting it at startup takes effect.
// A --heap-growing-percent on the node command line wins (0: V8's own heuristic).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const HEAP_GROWING_PERCENT = 25;

/** Returns the flag it set, or undefined when the command line already sets one. */
export function tuneHeap(execArgv: readonly string[] = process.execArgv, set: (flag: string) => void = setFlagsFromString): string | undefined {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return undefined;
  const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
  set(flag);
  return flag;
}

/** Semi-space (MiB) of the threads the daemon starts: the spool's and the trail's writers. */
export const WORKER_SEMI_SPACE_MB = 2;

/**
 * Gives the threads the daemon starts from now on a young generation of 2 × WORKER_SEMI_SPACE_MB.
 * V8 reads --max-semi-space-size when an isolate is created: the main thread keeps the command
 * line's (8, the image's ENTRYPOINT), the writer threads, started later, get this one. Under load
 * the trail's writer grew its young generation to the main thread's 16 MiB, for batches it holds a
 * few MiB of; a Worker's resourceLimits cannot lower it, as the process-wide flag overrides them.
 * Fan-out bench: the trail writer's new space 16 → 4 MiB, peak RSS −10 MiB, its CPU per alert
 * within noise (docs/performance.md#round-13-where-the-fan-outs-memory-goes-what-the-spool-costs-a-falco-like-alert-kafkas-client).
 */
export function limitWorkerYoungGeneration(set: (flag: string) => void = setFlagsFromString): string {
  const flag = `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`;
  set(flag);
  return flag;
}

/**
 * One memory-reducing full GC once the daemon listens: startup (config schemas, fastify's
 * compilers, prom-client) leaves the young generation grown to its --max-semi-space-size (16 MiB
 * committed for ~2 MiB live) and the old one fragmented. V8's memory reducer gives that back by
 * itself only after ~20 s without allocation; this does it now (−15 MiB idle RSS,
 * docs/performance.md#idle-rss). The young generation grows again under load as before. `gc` is
 * taken from a fresh context with --expose-gc set for that moment only: the daemon's global has none.
 * Returns the time it took in ms.
 */
export function collectStartupGarbage(set: (flag: string) => void = setFlagsFromString): number {
  const started = performance.now();
  set('--expose-gc');
  try {
    const gc = runInNewContext('gc') as (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } finally {
    set('--no-expose-gc');
  }
  return performance.now() - started;
}
