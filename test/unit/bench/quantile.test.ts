import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../../../bench/quantile.ts';

const text = (counts: [string, number][]) =>
  ['# TYPE h histogram', ...counts.map(([le, n]) => `h_bucket{le="${le}"} ${n}`), `h_sum 1`, `h_count ${counts.at(-1)?.[1]}`].join('\n');

describe('histogramQuantile', () => {
  it('interpolates within the bucket that holds the rank, as histogram_quantile() does', () => {
    // 100 observations: 50 ≤ 0.1, 40 in (0.1, 0.2], 10 in (0.2, 0.5].
    const t = text([['0.1', 50], ['0.2', 90], ['0.5', 100], ['+Inf', 100]]);
    expect(histogramQuantile(t, 'h', 0.5)).toBeCloseTo(0.1);
    expect(histogramQuantile(t, 'h', 0.7)).toBeCloseTo(0.15);
    expect(histogramQuantile(t, 'h', 0.99)).toBeCloseTo(0.47);
  });

  it('answers the highest finite bound when the rank is in +Inf, and NaN with no observations or no such metric', () => {
    expect(histogramQuantile(text([['0.1', 1], ['+Inf', 10]]), 'h', 0.99)).toBe(0.1);
    expect(histogramQuantile(text([['0.1', 0], ['+Inf', 0]]), 'h', 0.5)).toBeNaN();
    expect(histogramQuantile(text([['0.1', 5], ['+Inf', 5]]), 'other', 0.5)).toBeNaN();
  });
});
