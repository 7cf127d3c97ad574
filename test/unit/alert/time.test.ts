import { describe, expect, it } from 'vitest';
import { epochMillis, epochNanos, epochSecondsText, goTimeText } from '../../../src/alert/time.ts';

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

describe('goTimeText (Go time.Time String(), as falcosidekick prints the alert time)', () => {
  it.each([
    ['2026-11-20T10:21:36.167531875Z', '2026-11-20 10:21:36.167531875 +0000 UTC'],
    ['2026-11-20T10:21:36.500Z', '2026-11-20 10:21:36.5 +0000 UTC'],
    ['2026-11-20T10:21:36.000000000Z', '2026-11-20 10:21:36 +0000 UTC'],
    ['2026-11-20T10:21:36Z', '2026-11-20 10:21:36 +0000 UTC'],
    ['2026-11-20T10:21:36+00:00', '2026-11-20 10:21:36 +0000 UTC'],
    ['2026-11-20T12:21:36.25+02:00', '2026-11-20 12:21:36.25 +0200 +0200'],
    ['2026-11-20T05:51:36-04:30', '2026-11-20 05:51:36 -0430 -0430'],
  ])('%s → %s', (time, text) => {
    expect(goTimeText(time)).toBe(text);
  });
});
