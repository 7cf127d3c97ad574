// While an output is paused (backoff) and a request is still in flight, once the probe time has come
// the pacer must not re-arm a 0 ms wake timer on every pump (a busy loop until the request in flight
// settles, up to timeoutms): the settling pumps again.
import { describe, expect, it } from 'vitest';
import { notOwn, ok, partial, retry } from '../../../src/dispatch/result.ts';
import { Pacer } from '../../../src/dispatch/pacer.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { alert, harness } from '../../support/worker-harness.ts';

describe('pacer: no wake loop while paused with a request in flight', () => {
  it('Pacer alone: permit(false) after the probe time arms a 0 ms timer each time it is asked', async () => {
    const clock = new FakeClock();
    let wakes = 0;
    const p = new Pacer({ probems: 1000, sendrate: { requestspersecond: 0, burst: 1 }, clock, wake: () => wakes++ });
    p.attempted();
    p.failed(30_000, false);
    // the worker asks again on every wake while a request is in flight:
    const pacerAsk = () => p.permit(false);
    (p as unknown as { wake: () => void }).wake = () => {
      wakes++;
      if (wakes < 1000) pacerAsk();
    };
    pacerAsk();
    await clock.advance(1500);
    // Woken once at the probe time, then again when the pause ends or the request settles (~1000 times at t=1000 ms before the fix).
    expect(wakes).toBeLessThan(5);
  });

  it('worker: an ES-like bulk answered "cluster shedding load" (notOwn) while another bulk is in flight spins the pump', async () => {
    let calls = 0;
    let releaseB: (() => void) | undefined;
    const h = harness(
      async (alerts) => {
        calls++;
        if (calls === 1) return partial(alerts.map(() => notOwn('HTTP 429 (the cluster is shedding load)')));
        if (calls === 2) {
          await new Promise<void>((r) => (releaseB = r));
          return ok();
        }
        return ok();
      },
      {
        maxconcurrency: 2,
        timeoutms: 10_000,
        batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 },
        retry: { initialbackoffms: 5000, maxbackoffms: 60_000, maxattempts: 0, maxagems: 0, probems: 1000 },
      },
    );
    let zeroTimers = 0;
    const orig = h.clock.setTimeout.bind(h.clock);
    h.clock.setTimeout = (fn: () => void, ms: number) => {
      if (ms === 0) {
        zeroTimers++;
        // guard so the test terminates: let the in-flight request settle after 200 spins
        if (zeroTimers === 200) releaseB?.();
      }
      return orig(fn, ms);
    };
    await h.worker.start();
    h.worker.enqueue(alert(), 100); // A
    h.worker.enqueue(alert(), 100); // B (hangs)
    await h.clock.advance(0);
    expect(calls).toBe(2);
    await h.clock.advance(1500);
    // No 0 ms wake loop while B is in flight (before the fix: ~1 kHz of setTimeout(0) until B's timeout).
    expect(zeroTimers).toBeLessThan(5);
  });

  it('control: a plain retry of one alert alone does not spin (the head is "unproven": wait without a timer)', async () => {
    let calls = 0;
    let releaseB: (() => void) | undefined;
    const h = harness(
      async () => {
        calls++;
        if (calls === 1) return retry('HTTP 500');
        if (calls === 2) {
          await new Promise<void>((r) => (releaseB = r));
          return ok();
        }
        return ok();
      },
      {
        maxconcurrency: 2,
        batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 },
        retry: { initialbackoffms: 5000, maxbackoffms: 60_000, maxattempts: 0, maxagems: 0, probems: 1000 },
      },
    );
    let zeroTimers = 0;
    const orig = h.clock.setTimeout.bind(h.clock);
    h.clock.setTimeout = (fn: () => void, ms: number) => {
      if (ms === 0 && ++zeroTimers === 200) releaseB?.();
      return orig(fn, ms);
    };
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(1500);
    releaseB?.();
    expect(zeroTimers).toBeLessThan(5);
  });
});
