// How often this machine takes a CPU away from a thread that never sleeps: the floor under every
// latency percentile the bench prints. One spinning thread per CPU reads the clock in a loop; a gap
// between two reads is a stall, when the hypervisor ran another guest (steal), the kernel ran
// something else, or the thread was moved. A Node spinner's own young-generation GCs are gaps of
// ~0.1 ms, so only stalls of 0.5 ms and more are reported as the machine's.
//
// From the stalls follows the wait a request sees: an instant inside a stall of length L waits for
// what is left of it, uniform on [0, L), so the share of instants that wait at least d is
// Σ max(0, L − d) / T. A request crosses both CPUs (client, then server, then client), so the shares
// of the threads are added (the union bound, close for rare and independent stalls).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface ThreadStalls {
  /** How long the thread spun, ms. */
  totalMs: number;
  /** Every gap of 0.05 ms or more between two clock reads, ms. */
  gaps: number[];
}

/** The share (0..1) of instants that wait at least `d` ms on a thread with these stalls. */
export function waitShare(thread: ThreadStalls, d: number): number {
  let lost = 0;
  for (const gap of thread.gaps) if (gap > d) lost += gap - d;
  return lost / thread.totalMs;
}

/**
 * The wait (ms) that an instant exceeds with probability 1 − q, its share summed over the threads;
 * 0 when stalls are rarer than that.
 */
export function waitQuantile(threads: readonly ThreadStalls[], q: number): number {
  const share = (d: number) => threads.reduce((sum, t) => sum + waitShare(t, d), 0);
  if (share(0) <= 1 - q) return 0;
  // share() falls continuously from share(0) to 0 at the longest stall: bisect.
  let low = 0;
  let high = Math.max(...threads.flatMap((t) => t.gaps));
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (share(mid) > 1 - q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The share (0..1) of a thread's time spent in stalls of at least `min` ms. */
export function stalledShare(thread: ThreadStalls, min: number): number {
  return thread.gaps.filter((g) => g >= min).reduce((sum, g) => sum + g, 0) / thread.totalMs;
}

// The spinner: allocates only when it records a gap, so that its own GCs stay short.
const SPIN = `
const { parentPort, workerData } = require('node:worker_threads');
const gaps = [];
const start = performance.now();
let last = start;
for (;;) {
  const now = performance.now();
  if (now - last >= 0.05) gaps.push(now - last);
  last = now;
  if (now - start >= workerData) break;
}
parentPort.postMessage({ totalMs: last - start, gaps });
`;

/** Spins one thread per CPU for `seconds` at once and returns each thread's stalls. */
export async function measureStalls(seconds: number, threads = availableParallelism()): Promise<ThreadStalls[]> {
  return Promise.all(
    Array.from({ length: threads }, async () => {
      const worker = new Worker(SPIN, { eval: true, workerData: seconds * 1000 });
      try {
        return await new Promise<ThreadStalls>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      } finally {
        await worker.terminate();
      }
    }),
  );
}
