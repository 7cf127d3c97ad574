import { describe, expect, it } from 'vitest';
import { epochMillis, epochNanos, epochSecondsText } from '../../../src/alert/time.ts';

describe('alert time', () => {
  it('keeps nanoseconds', () => {
    expect(epochNanos('2023-11-14T22:13:20.167531875Z')).toBe(1700000000167531875n);
    expect(epochSecondsText('2023-11-14T22:13:20.167531875Z')).toBe('1700000000.167531875');
    expect(epochSecondsText('2023-11-14T22:13:20Z')).toBe('1700000000');
    expect(epochSecondsText('2023-11-14T22:13:20.5Z')).toBe('1700000000.5');
  });
  it('applies offsets', () => {
    expect(epochMillis('2023-11-15T00:13:20.250+02:00')).toBe(1700000000250);
  });
});
