import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, tuneHeap } from '../../src/heap.ts';

describe('tuneHeap', () => {
  it('caps V8 heap growth when the command line does not', () => {
    expect(tuneHeap([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(tuneHeap(['--max-semi-space-size=8'])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it('leaves a value given on the node command line alone', () => {
    expect(tuneHeap(['--heap-growing-percent=100'])).toBeUndefined();
    expect(tuneHeap(['--heap_growing_percent=10'])).toBeUndefined();
  });
});
