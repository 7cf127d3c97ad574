import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { mainThreadRunQueueSeconds, perThreadText, runQueueSecondsOf, threadTicks, THREAD_GROUPS } from '../../../bench/proc.ts';

// A thread named as the trail's writer is, that spends `ms` of its own CPU, says so, and stays alive
// (its /proc entry with it) until told to end.
const BUSY = `
const { parentPort, workerData } = require('node:worker_threads');
while (process.threadCpuUsage().user + process.threadCpuUsage().system < workerData.ms * 1000) {}
parentPort.postMessage('spent');
parentPort.once('message', () => process.exit(0));
`;

describe.skipIf(process.platform !== 'linux')('the daemon threads read from /proc', () => {
  it('charges a thread to its group by name, and the main thread to main', async () => {
    const before = threadTicks(process.pid);
    const worker = new Worker(BUSY, { eval: true, name: 'trail-writer', workerData: { ms: 250 } });
    try {
      await new Promise((resolve) => worker.once('message', resolve));
      // This test runs on its process's main thread: 100 ms of its CPU too.
      const start = process.threadCpuUsage();
      while (process.threadCpuUsage(start).user + process.threadCpuUsage(start).system < 100_000) {
        // spin
      }
      const after = threadTicks(process.pid);
      // 250 ms of CPU is 25 ticks of 10 ms; /proc counts whole ticks, and the thread may not be charged its last one yet.
      expect(after['trail writer'] - before['trail writer']).toBeGreaterThanOrEqual(20);
      expect(after['spool writer']).toBe(before['spool writer']);
      expect(after.main - before.main).toBeGreaterThanOrEqual(8);
      expect(Object.keys(after)).toEqual([...THREAD_GROUPS]);
    } finally {
      worker.postMessage('end');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });

  it('reads the main thread\'s run-queue time in seconds, and 0 for a process that is not there', () => {
    const waited = mainThreadRunQueueSeconds(process.pid);
    expect(Number.isFinite(waited)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(0);
    expect(mainThreadRunQueueSeconds(2 ** 22 + 1)).toBe(0);
  });

  it('takes the second field of a schedstat line, in nanoseconds, as seconds', () => {
    expect(runQueueSecondsOf('8123456789 2500000000 4711\n')).toBe(2.5);
    expect(runQueueSecondsOf('8123456789 0 4711\n')).toBe(0);
    expect(runQueueSecondsOf('')).toBe(0);
  });
});

describe('perThreadText', () => {
  it('gives each group\'s CPU between two readings in ms per 1,000 alerts, in the groups\' order', () => {
    const zero = { main: 0, 'V8 helpers': 0, 'spool writer': 0, 'trail writer': 0, other: 0 };
    // 2,000 alerts; main 40 ticks = 400 ms = 200 ms per 1,000.
    const after = { main: 40, 'V8 helpers': 13, 'spool writer': 4, 'trail writer': 3, other: 0 };
    expect(perThreadText(zero, after, 2000)).toBe('main 200, V8 helpers 65, spool writer 20, trail writer 15, other 0');
  });
});
