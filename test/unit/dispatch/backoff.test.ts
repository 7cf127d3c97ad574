import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../../src/dispatch/backoff.ts';

const policy = { initialbackoffms: 100, maxbackoffms: 5000 };

describe('backoff', () => {
  it('doubles the ceiling per failure, capped, with full jitter', () => {
    expect(backoffMs(policy, 1, () => 1)).toBe(100);
    expect(backoffMs(policy, 2, () => 1)).toBe(200);
    expect(backoffMs(policy, 4, () => 1)).toBe(800);
    expect(backoffMs(policy, 30, () => 1)).toBe(5000);
    expect(backoffMs(policy, 4, () => 0.5)).toBe(400);
    expect(backoffMs(policy, 4, () => 0)).toBe(0);
  });
  it('lets Retry-After win, within maxbackoffms', () => {
    expect(backoffMs(policy, 1, () => 1, 3000)).toBe(3000);
    expect(backoffMs(policy, 1, () => 1, 60_000)).toBe(5000);
  });
});
