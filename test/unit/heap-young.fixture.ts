// Run by heap.test.ts in its own process (node --max-semi-space-size=8 …): the largest new space a
// worker thread and the main thread reach while churning through objects that survive scavenges,
// a worker started before limitWorkerYoungGeneration() and one started after it. Prints JSON (MiB).
import { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { limitWorkerYoungGeneration } from '../../src/heap.ts';

type Stats = typeof getHeapSpaceStatistics;

// Runs in the worker from its source text (no imports there): keeps the last 60,000 objects alive.
function churn(stats: Stats): number {
  let most = 0;
  const keep: unknown[] = new Array(60_000);
  for (let i = 0; i < 3_000_000; i++) {
    keep[i % keep.length] = { i, s: `alert ${i}`, a: [i, i + 1] };
    if (i % 10_000 === 0) most = Math.max(most, stats().find((s) => s.space_name === 'new_space')?.space_size ?? 0);
  }
  return most / 2 ** 20;
}

function inWorker(): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(`require('node:worker_threads').parentPort.postMessage((${churn.toString()})(require('node:v8').getHeapSpaceStatistics))`, { eval: true });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

const before = await inWorker();
limitWorkerYoungGeneration();
const after = await inWorker();
console.log(JSON.stringify({ before, after, main: churn(getHeapSpaceStatistics) }));
