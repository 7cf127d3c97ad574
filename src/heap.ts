// V8's heap growth, tuned for a daemon whose live memory is its queues. After each full GC V8 lets
// the old generation grow by a factor of what survived it before the next one. Its own heuristic
// allows up to 4×: with a stalled output holding 100,000 alerts (~90 MiB live) the daemon peaked at
// 345 MiB RSS. A flat cap of 25 % brought that to 228–249 MiB, but gave a small live set a small
// allowance too: in the fan-out bench (~35 MiB live, ~20 KiB per alert outliving the young
// generation) ~9 MiB, so a full GC three times a second, and V8's marking threads took a third of
// the daemon's CPU. So the allowance is a fixed amount, HEAP_HEADROOM_MB, set as the percentage of
// what the last full GC left that makes it (V8 takes a ratio only), within 25–100 %. The fan-out's
// ~48 MiB gets ~33 %: CPU per 1,000 alerts 404 → 340 ms with 20 MiB and peak RSS unchanged, but 20
// MiB went over 250 MiB in some runs, and 16 (+10 % CPU against 20) did not. A stalled output's
// backlog stays at 25 % (docs/performance-history.md, round 14). V8 reads the flag at every GC, and it is
// process-wide: the writer threads' small heaps get the same percentage. A --heap-growing-percent
// on the node command line wins (0: V8's own heuristic).
import { constants, PerformanceObserver, type NodeGCPerformanceDetail, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const HEAP_HEADROOM_MB = 16;
export const HEAP_GROWING_PERCENT = { min: 25, max: 100 } as const;

/** The growth allowed after a full GC that left `liveBytes`: HEAP_HEADROOM_MB of it, within HEAP_GROWING_PERCENT. */
export function growingPercent(liveBytes: number): number {
  const percent = Math.round((100 * HEAP_HEADROOM_MB * 2 ** 20) / Math.max(liveBytes, 1));
  return Math.min(HEAP_GROWING_PERCENT.max, Math.max(HEAP_GROWING_PERCENT.min, percent));
}

/** Bytes in use outside the young generation (what the growth factor applies to). */
function oldGenerationBytes(): number {
  let bytes = 0;
  for (const space of getHeapSpaceStatistics()) if (!space.space_name.startsWith('new_') && space.space_name !== 'read_only_space') bytes += space.space_used_size;
  return bytes;
}

export interface HeapPacer {
  /** The flag set last. */
  readonly flag: string;
  stop(): void;
}

/**
 * Sets the growth for the heap as it is now, then again after every full GC of the main thread.
 * Returns undefined, and changes nothing, when the command line sets --heap-growing-percent.
 */
export function tuneHeap(
  execArgv: readonly string[] = process.execArgv,
  set: (flag: string) => void = setFlagsFromString,
  liveBytes: () => number = oldGenerationBytes,
): HeapPacer | undefined {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return undefined;
  let flag = '';
  const pace = () => {
    const next = `--heap-growing-percent=${growingPercent(liveBytes())}`;
    if (next === flag) return;
    flag = next;
    set(flag);
  };
  pace();
  const observer = new PerformanceObserver((list) => {
    if (list.getEntries().some((e) => (e as PerformanceEntry & { detail?: NodeGCPerformanceDetail }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) pace();
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    get flag() {
      return flag;
    },
    stop: () => observer.disconnect(),
  };
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
 * within noise (docs/performance-history.md#round-13-where-the-fan-outs-memory-goes-what-the-spool-costs-a-falco-like-alert-kafkas-client).
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
