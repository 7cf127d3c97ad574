import { describe, expect, it } from 'vitest';
import { stalledShare, waitQuantile, waitShare } from '../../../bench/stalls.ts';

// One second of spinning with a 10 ms and a 2 ms stall: 1.2 % of the time stalled.
const thread = { totalMs: 1000, gaps: [0.06, 10, 2, 0.3] };

describe('stalls', () => {
  it('counts the share of instants that wait at least d: what is left of each stall past d', () => {
    expect(waitShare(thread, 0)).toBeCloseTo(12.36 / 1000);
    expect(waitShare(thread, 1)).toBeCloseTo((9 + 1) / 1000);
    expect(waitShare(thread, 5)).toBeCloseTo(5 / 1000);
    expect(waitShare(thread, 10)).toBe(0);
  });

  it('finds the wait an instant exceeds with probability 1 − q', () => {
    // 1 %: (10 − d) + (2 − d) = 10 → d = 1. 0.1 %: 10 − d = 1 → d = 9.
    expect(waitQuantile([thread], 0.99)).toBeCloseTo(1, 6);
    expect(waitQuantile([thread], 0.999)).toBeCloseTo(9, 6);
    // Two such threads: each may hold only half the share, 0.5 %. Past the 2 ms stall: 10 − d = 5 → d = 5.
    expect(waitQuantile([thread, thread], 0.99)).toBeCloseTo(5, 6);
  });

  it('answers 0 when stalls take less time than the quantile leaves, and counts stalled time by length', () => {
    expect(waitQuantile([{ totalMs: 1000, gaps: [5] }], 0.99)).toBe(0);
    expect(stalledShare(thread, 1)).toBeCloseTo(12 / 1000);
    expect(stalledShare(thread, 0.1)).toBeCloseTo(12.3 / 1000);
  });
});
