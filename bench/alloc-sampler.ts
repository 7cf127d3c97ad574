// What the daemon allocates, by call stack: a preload that samples every allocation on the main
// thread's heap, the ones the collector has since freed included, and writes a .heapprofile
// (Chrome DevTools' format) when the process exits. `node --heap-prof` keeps only the samples
// still alive at exit, which says what memory holds, not what makes the collector run.
//   BENCH_NODE_FLAGS="--import=$PWD/bench/alloc-sampler.ts" ALLOC_PROFILE_DIR=/tmp/alloc npm run bench -- …
//   node bench/profile.ts /tmp/alloc/*.heapprofile
// ALLOC_SAMPLE_BYTES sets the mean bytes between samples (default 32 KiB). ALLOC_SURVIVORS=1 drops
// the samples a young-generation collection freed: what is left is what outlived it, the part of
// the allocations that the old generation's collections (and V8's helper threads) pay for.
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.ALLOC_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
// A session on the thread it inspects answers synchronously, so the exit handler can collect.
session.post('HeapProfiler.startSampling', {
  samplingInterval: Number(process.env.ALLOC_SAMPLE_BYTES ?? 32768),
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: process.env.ALLOC_SURVIVORS !== '1',
});
process.on('exit', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) return void process.stderr.write(`alloc-sampler: ${error.message}\n`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `alloc-${process.pid}.heapprofile`);
    writeFileSync(file, JSON.stringify(result.profile));
    process.stderr.write(`alloc-sampler: wrote ${file}\n`);
  });
});
