import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { collectStartupGarbage, growingPercent, HEAP_GROWING_PERCENT, HEAP_HEADROOM_MB, limitWorkerYoungGeneration, tuneHeap, WORKER_SEMI_SPACE_MB } from '../../src/heap.ts';

describe('tuneHeap', () => {
  const MiB = 2 ** 20;

  it('allows HEAP_HEADROOM_MB of growth after a full GC, as a percentage within its bounds', () => {
    expect(growingPercent(2 * HEAP_HEADROOM_MB * MiB)).toBe(50);
    expect(growingPercent(HEAP_HEADROOM_MB * MiB)).toBe(100);
    expect(growingPercent(MiB)).toBe(HEAP_GROWING_PERCENT.max);
    expect(growingPercent(4 * HEAP_HEADROOM_MB * MiB)).toBe(25);
    expect(growingPercent(1024 * MiB)).toBe(HEAP_GROWING_PERCENT.min);
    expect(growingPercent(0)).toBe(HEAP_GROWING_PERCENT.max);
  });

  it('sets the growth for the heap at hand, and again after each full GC', async () => {
    const set: string[] = [];
    let live = 2 * HEAP_HEADROOM_MB * MiB;
    const pacer = tuneHeap([], (flag) => void set.push(flag), () => live);
    try {
      expect(pacer?.flag).toBe('--heap-growing-percent=50');
      live = 4 * HEAP_HEADROOM_MB * MiB;
      collectStartupGarbage(); // a full GC, as the daemon's own after startup
      await vi.waitFor(() => expect(set).toEqual(['--heap-growing-percent=50', '--heap-growing-percent=25']));
      // The same percentage again is not set again.
      collectStartupGarbage();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(set).toHaveLength(2);
    } finally {
      pacer?.stop();
    }
  });

  it('leaves a value given on the node command line alone', () => {
    const record = (flag: string) => expect.unreachable(`set ${flag}`);
    expect(tuneHeap(['--heap-growing-percent=100'], record)).toBeUndefined();
    expect(tuneHeap(['--heap_growing_percent=10'], record)).toBeUndefined();
  });
});

describe('collectStartupGarbage', () => {
  it('shrinks the young generation and leaves no gc function behind', () => {
    const garbage = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `x${i}` }));
    expect(garbage).toHaveLength(200_000);
    expect(collectStartupGarbage()).toBeGreaterThan(0);
    const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    expect(young?.space_size).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect('gc' in globalThis).toBe(false);
  });
});

describe('limitWorkerYoungGeneration', () => {
  it('sets the semi-space flag for isolates created after it', () => {
    const set: string[] = [];
    expect(limitWorkerYoungGeneration((flag) => void set.push(flag))).toBe(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
    expect(set).toEqual([`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]);
  });

  // In a process of its own: the flag is process-wide, and this suite's files share their workers.
  it('shrinks the young generation of the threads started after it, and only theirs', () => {
    const out = execFileSync(process.execPath, ['--max-semi-space-size=8', join(import.meta.dirname, 'heap-young.fixture.ts')], { encoding: 'utf8' });
    const { before, after, main } = JSON.parse(out) as { before: number; after: number; main: number };
    // 8 MiB semi-spaces: a new space of 16 MiB, in the worker started before and in the main thread.
    expect(before).toBeGreaterThanOrEqual(16);
    expect(main).toBeGreaterThanOrEqual(16);
    // 2 MiB semi-spaces: V8 reports 5.75–6.5 MiB of new space for them (pages in flight), so the
    // bound is half of what the threads started before reach.
    expect(after).toBeLessThanOrEqual(4 * WORKER_SEMI_SPACE_MB);
  });
});
