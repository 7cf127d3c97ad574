import { describe, expect, it } from 'vitest';
import { Pacer } from '../../../src/dispatch/pacer.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const noLimit = { requestspersecond: 0, burst: 1 };

describe('Pacer', () => {
  it('lets batches through until a failure, then only a probe every probems, and everything once a probe succeeds', async () => {
    const clock = new FakeClock();
    let wakes = 0;
    const p = new Pacer({ probems: 1000, sendrate: noLimit, clock, wake: () => wakes++ });
    expect(p.permit(true)).toBe('batch');
    p.attempted();
    p.failed(30_000, false);
    expect(p.permit(true)).toBe('wait');
    await clock.advance(1000);
    expect(wakes).toBe(1);
    expect(p.permit(false)).toBe('wait'); // a request is still in flight: no probe beside it
    expect(p.permit(true)).toBe('probe');
    p.attempted();
    p.succeeded();
    expect(p.permit(true)).toBe('batch');
  });

  it('holds probes back until a Retry-After has passed, and sends none with probems 0', async () => {
    const clock = new FakeClock();
    const p = new Pacer({ probems: 1000, sendrate: noLimit, clock, wake: () => {} });
    p.attempted();
    p.failed(5000, true);
    await clock.advance(4999);
    expect(p.permit(true)).toBe('wait');
    await clock.advance(1);
    expect(p.permit(true)).toBe('batch'); // the pause itself has ended

    const off = new Pacer({ probems: 0, sendrate: noLimit, clock, wake: () => {} });
    off.attempted();
    off.failed(60_000, false);
    await clock.advance(59_999);
    expect(off.permit(true)).toBe('wait');
  });

  it('spaces requests by the send rate, probes included', async () => {
    const clock = new FakeClock();
    const p = new Pacer({ probems: 100, sendrate: { requestspersecond: 1, burst: 1 }, clock, wake: () => {} });
    expect(p.permit(true)).toBe('batch');
    expect(p.permit(true)).toBe('wait');
    p.attempted();
    p.failed(60_000, false);
    await clock.advance(100); // a probe is due, but the bucket refills only at 1 s
    expect(p.permit(true)).toBe('wait');
    await clock.advance(900);
    expect(p.permit(true)).toBe('probe');
  });
});
