import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../src/dispatch/batcher.ts';
import { FakeClock } from '../../support/fake-clock.ts';

describe('Batcher', () => {
  it('sends a full batch at once and a partial one when flushms has passed', async () => {
    const clock = new FakeClock();
    let due = 0;
    const b = new Batcher({ maxevents: 10, maxbytes: 1000, flushms: 500 }, clock, () => due++);
    expect(b.ready(10, 10)).toBe(true);
    expect(b.ready(3, 10)).toBe(false);
    expect(b.ready(4, 10)).toBe(false); // one timer, not one per alert
    expect(clock.pending()).toBe(1);
    await clock.advance(499);
    expect(due).toBe(0);
    await clock.advance(1);
    expect(due).toBe(1);
    expect(b.ready(4, 10)).toBe(true);
    b.taken();
    expect(b.ready(1, 10)).toBe(false); // the next partial batch waits again
  });

  it('sends by bytes, at once when flushms is 0, and everything on flushNow', () => {
    const clock = new FakeClock();
    const b = new Batcher({ maxevents: 10, maxbytes: 100, flushms: 500 }, clock, () => {});
    expect(b.ready(1, 100)).toBe(true);
    b.flushNow();
    expect(b.ready(1, 1)).toBe(true);
    b.taken();
    b.close();
    expect(clock.pending()).toBe(0);
    expect(new Batcher({ maxevents: 10, maxbytes: 100, flushms: 0 }, clock, () => {}).ready(1, 1)).toBe(true);
  });
});
