import { describe, expect, it, vi } from 'vitest';
import { fail, ok, partial, retry, type Outcome } from '../../../src/dispatch/result.ts';
import { blameWholeCall, settle } from '../../../src/plugin/batch.ts';
import { QueueEntry } from '../../../src/dispatch/queue-entry.ts';
import { flush } from '../../support/fake-clock.ts';
import type { DeliveryJournal } from '../../../src/dispatch/worker.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import { alert, harness } from '../../support/worker-harness.ts';
import type { Alert } from '../../../src/alert/alert.ts';

describe('OutputWorker batching', () => {
  it('sends a full batch at once and a partial one after flushms', async () => {
    const h = harness(async () => ok(), { batch: { maxevents: 3, maxbytes: 1_000_000, flushms: 50 } });
    await h.worker.start();
    for (let i = 0; i < 4; i++) h.worker.enqueue(alert(), 100);
    await flush();
    expect(h.calls.map((c) => c.length)).toEqual([3]);
    await h.clock.advance(49);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.calls.map((c) => c.length)).toEqual([3, 1]);
    expect(await h.counter('peregrine_delivered_total')).toBe(4);
  });

  it('never has more than maxconcurrency requests in flight', async () => {
    let inflight = 0;
    let peak = 0;
    const release: (() => void)[] = [];
    const h = harness(
      async () => {
        peak = Math.max(peak, ++inflight);
        await new Promise<void>((r) => release.push(r));
        inflight--;
        return ok();
      },
      { maxconcurrency: 2, batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 } },
    );
    await h.worker.start();
    for (let i = 0; i < 6; i++) h.worker.enqueue(alert(), 100);
    await flush();
    expect(inflight).toBe(2);
    while (release.length) {
      release.shift()?.();
      await flush();
    }
    await h.worker.idle();
    expect(peak).toBe(2);
    expect(h.calls).toHaveLength(6);
  });
});

describe('OutputWorker retries', () => {
  it('backs off exponentially, reports retrying then failing, and delivers after recovery', async () => {
    let down = true;
    const h = harness(async () => (down ? retry('HTTP 503: busy') : ok()), { batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 } });
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    await flush();
    expect(h.calls).toHaveLength(1);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'retrying', queued: 1, lastError: 'HTTP 503: busy' });
    await h.clock.advance(99);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1); // 100 ms (random = 1 → the full ceiling)
    expect(h.calls).toHaveLength(2);
    await h.clock.advance(200);
    expect(h.calls).toHaveLength(3);
    expect(h.worker.healthSnapshot().state).toBe('failing');
    expect(await h.counter('peregrine_output_up', { output: 'fake' })).toBe(0);
    down = false;
    await h.clock.advance(400);
    expect(h.calls).toHaveLength(4);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', queued: 0, delivered: 1 });
    expect(await h.counter('peregrine_output_up', { output: 'fake' })).toBe(1);
    expect(await h.counter('peregrine_retries_total')).toBe(3);
  });

  it('honours Retry-After over the backoff', async () => {
    let first = true;
    const h = harness(async () => (first ? ((first = false), retry('HTTP 429', { afterMs: 5000 })) : ok()), {
      batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 },
    });
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(4999);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.calls).toHaveLength(2);
  });

  it('treats a thrown error as retryable and an aborted (timed-out) request as a retry', async () => {
    let mode: 'throw' | 'hang' | 'ok' = 'throw';
    const h = harness(
      async (_alerts, ctx) => {
        if (mode === 'throw') throw new Error('ECONNRESET socket hang up');
        if (mode === 'hang') return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
        return ok();
      },
      { timeoutms: 1000, batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 } },
    );
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    await flush();
    expect(h.worker.healthSnapshot().lastError).toContain('ECONNRESET');
    mode = 'hang';
    await h.clock.advance(100);
    expect(h.calls).toHaveLength(2);
    await h.clock.advance(1000);
    expect(h.worker.healthSnapshot().lastError).toBe('timed out after 1000 ms');
    mode = 'ok';
    await h.clock.advance(10_000);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 1 });
  });

  it('queues a batch again when its bookkeeping after the send throws, instead of rejecting (the daemon would exit)', async () => {
    const h = harness(async () => ok(), { batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 } });
    vi.spyOn(h.metrics.batchSize, 'observe').mockImplementationOnce(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'bytes')");
    });
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    h.worker.enqueue(alert(), 100);
    await flush();
    expect(h.calls).toHaveLength(1);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'retrying', lastError: 'internal error after the send (see the log)', delivered: 0 });
    await h.clock.advance(100);
    expect(h.calls.map((c) => c.length)).toEqual([2, 1, 1]); // failed whole: one alone first (is the destination up?), then the other
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 2 });
  });

  it('marks refused credentials as failing at once, keeping the alerts queued', async () => {
    const h = harness(async () => retry('HTTP 401', { auth: true }), { batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 } });
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    await flush();
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'failing', queued: 1 });
    expect(h.deadLetters.size()).toBe(0);
  });

  it('dead-letters an alert when its retry budget is spent', async () => {
    const h = harness(async () => retry('HTTP 500'), {
      retry: { initialbackoffms: 100, maxbackoffms: 100, maxattempts: 3, maxagems: 0, probems: 0 },
      batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 },
    });
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(1000);
    expect(h.calls).toHaveLength(3);
    expect(h.deadLetters.list()).toMatchObject([{ output: 'fake', reason: 'retry_budget', attempts: 3 }]);
    expect(h.deadLetters.list()[0]?.detail).toContain('HTTP 500');
    expect(await h.counter('falcosecurity_falcosidekick_outputs_total', { status: 'error' })).toBe(1);
  });

  it('dead-letters by age too', async () => {
    const h = harness(async () => retry('down'), {
      retry: { initialbackoffms: 1000, maxbackoffms: 1000, maxattempts: 0, maxagems: 5000, probems: 0 },
      batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 },
    });
    await h.worker.start();
    h.worker.enqueue(alert(), 100, h.clock.now());
    await h.clock.advance(6000);
    expect(h.deadLetters.list()).toMatchObject([{ reason: 'retry_budget' }]);
    expect(h.worker.healthSnapshot().queued).toBe(0);
  });
});

describe('OutputWorker partial results', () => {
  it('retries only the retryable items and dead-letters the rejected ones', async () => {
    let round = 0;
    const h = harness(
      async (alerts) => {
        round++;
        if (round === 1) return partial([ok(), retry('429 on item'), fail('mapper_parsing_exception'), ok({ duplicate: true })]);
        expect(alerts).toHaveLength(1);
        return ok();
      },
      { batch: { maxevents: 4, maxbytes: 1_000_000, flushms: 10 } },
    );
    await h.worker.start();
    const batch = [alert(), alert(), alert(), alert()];
    batch.forEach((a) => h.worker.enqueue(a, 100));
    await h.clock.advance(1000);
    expect(h.calls[1]).toEqual([batch[1]]);
    expect(h.deadLetters.list()).toMatchObject([{ reason: 'rejected', detail: 'mapper_parsing_exception', alert: { uuid: batch[2]?.uuid } }]);
    expect(await h.counter('peregrine_delivered_total')).toBe(3);
    expect(await h.counter('peregrine_delivered_total', { duplicate: 'true' })).toBe(1);
  });

  it('times a send whose alerts all fared alike under that outcome, and one whose alerts fared differently as partial', async () => {
    let round = 0;
    const h = harness(
      async (alerts) => {
        round++;
        // One answer per alert, as the webhook gives: all delivered, then one of two refused.
        return round === 1 ? partial(alerts.map(() => ok())) : partial([ok(), fail('HTTP 400')]);
      },
      { batch: { maxevents: 2, maxbytes: 1_000_000, flushms: 10 } },
    );
    await h.worker.start();
    [alert(), alert()].forEach((a) => h.worker.enqueue(a, 100));
    await h.clock.advance(100);
    [alert(), alert()].forEach((a) => h.worker.enqueue(a, 100));
    await h.clock.advance(100);
    const sends = (outcome: string) => h.counter('peregrine_send_duration_seconds', { outcome }, '_count');
    expect(round).toBe(2);
    expect(await sends('ok')).toBe(1);
    expect(await sends('partial')).toBe(1);
  });
});

describe('OutputWorker batches that fail whole', () => {
  const batched = { batch: { maxevents: 8, maxbytes: 1_000_000, flushms: 0 } };

  it('finds the one alert a destination refuses a whole batch for, delivers the rest, and dead-letters it alone', async () => {
    const bad = alert();
    const h = harness(async (alerts) => (alerts.includes(bad) ? fail('HTTP 400: cannot parse alert') : ok()), batched);
    const queued = [alert(), alert(), alert(), alert(), alert(), bad, alert(), alert()];
    for (const a of queued) h.worker.enqueue(a, 100);
    const start = h.clock.now();
    await h.worker.start();
    await h.worker.idle();
    // 8 → 4 + 4 → 2 + 2 → 1 + 1: each half without it is delivered, the half with it split again.
    expect(h.calls.map((c) => c.length)).toEqual([8, 4, 4, 2, 1, 1, 2]);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 7, deadLettered: 1, queued: 0 });
    expect(h.deadLetters.list().map((d) => [d.alert.uuid, d.reason, d.detail, d.attempts])).toEqual([[bad.uuid, 'rejected', 'HTTP 400: cannot parse alert', 1]]);
    expect(await h.counter('peregrine_batch_splits_total', { output: 'fake' })).toBe(3);
    expect(await h.counter('peregrine_retries_total')).toBe(0);
    expect(h.clock.now()).toBe(start); // no backoff: the destination answered
  });

  it('dead-letters every alert of a batch the destination refuses for all of them, in at most 2n − 1 requests', async () => {
    const h = harness(async () => fail('HTTP 404: no such index'), batched);
    for (let i = 0; i < 8; i++) h.worker.enqueue(alert(), 100);
    await h.worker.start();
    await h.worker.idle();
    expect(h.calls).toHaveLength(15);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 8, queued: 0 });
  });

  it('halves nothing for an outage: batches in flight as it began go again whole once it is over', async () => {
    let down = true;
    const h = harness(async () => (down ? retry('ECONNREFUSED') : ok()), {
      maxconcurrency: 4,
      batch: { maxevents: 8, maxbytes: 1_000_000, flushms: 0 },
      retry: { initialbackoffms: 100, maxbackoffms: 1000, maxattempts: 0, maxagems: 0, probems: 1000 },
    });
    for (let i = 0; i < 32; i++) h.worker.enqueue(alert(), 100);
    await h.worker.start();
    await flush();
    expect(h.calls.map((c) => c.length)).toEqual([8, 8, 8, 8]); // all four fail at once
    await h.clock.advance(3000); // then one alert at a time, each failing
    expect(new Set(h.calls.slice(4).map((c) => c.length))).toEqual(new Set([1]));
    down = false;
    const before = h.calls.length;
    await h.clock.advance(1000);
    // One alert tells the destination is back; the other 31 go in batches of 8, as before the outage.
    expect(h.calls.slice(before).map((c) => c.length)).toEqual([1, 8, 8, 8, 7]);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 32, queued: 0 });
    expect(await h.counter('peregrine_batch_splits_total', { output: 'fake' })).toBe(0);
  });

  it('halves nothing when an outage begins between the calls of one batch: a call delivered in the same attempt is no evidence', async () => {
    let down = false;
    let calls = 0;
    // Calls of 3 alerts (as SQS makes calls of 10): the second call meets the outage.
    const h = harness(
      async (alerts) => {
        const outcomes = new Array<Outcome>(alerts.length);
        for (let start = 0; start < alerts.length; start += 3) {
          const call = alerts.slice(start, start + 3);
          if (++calls === 2) down = true;
          const outcome = down ? blameWholeCall(retry('ECONNREFUSED'), call.length) : ok();
          for (let i = 0; i < call.length; i++) outcomes[start + i] = outcome;
        }
        return settle(outcomes);
      },
      { batch: { maxevents: 9, maxbytes: 1_000_000, flushms: 0 }, retry: { initialbackoffms: 100, maxbackoffms: 1000, maxattempts: 0, maxagems: 0, probems: 1000 } },
    );
    for (let i = 0; i < 9; i++) h.worker.enqueue(alert(), 100);
    await h.worker.start();
    await downThenUp(h, () => (down = false), { delivered: 9, lastRequest: 5 });
  });

  it('halves nothing when a request in flight as an outage began still delivers (maxconcurrency 2)', async () => {
    let down = false;
    let n = 0;
    let release: (() => void) | undefined;
    const h = harness(
      async () => {
        if (++n === 1) {
          await new Promise<void>((resolve) => (release = resolve)); // slow: answered after the outage began
          return ok();
        }
        if (n === 2) down = true;
        return down ? retry('ECONNREFUSED') : ok();
      },
      { maxconcurrency: 2, batch: { maxevents: 4, maxbytes: 1_000_000, flushms: 0 }, retry: { initialbackoffms: 100, maxbackoffms: 1000, maxattempts: 0, maxagems: 0, probems: 1000 } },
    );
    for (let i = 0; i < 8; i++) h.worker.enqueue(alert(), 100);
    await h.worker.start();
    await flush();
    release?.();
    await flush();
    await downThenUp(h, () => (down = false), { delivered: 8, lastRequest: 3 });
  });

  /** 3 s down, then up: everything delivered, nothing halved; after a probe of one, the rest in one request. */
  async function downThenUp(h: ReturnType<typeof harness>, recover: () => void, expected: { delivered: number; lastRequest: number }) {
    await h.clock.advance(3000);
    recover();
    await h.clock.advance(3000);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: expected.delivered, queued: 0 });
    expect(await h.counter('peregrine_batch_splits_total', { output: 'fake' })).toBe(0);
    expect(h.calls.at(-1)).toHaveLength(expected.lastRequest);
  }
});

describe('OutputWorker calls that fail whole inside a batch answered per alert', () => {
  it('halves the alerts of the call refused whole (the scrubbed copies of its outcome stay one), and delivers the other calls', async () => {
    const bad = alert();
    // Calls of 3 alerts, as SQS's output makes calls of 10: a call refused whole shares one outcome.
    const h = harness(
      async (alerts) => {
        const outcomes = new Array<Outcome>(alerts.length);
        for (let start = 0; start < alerts.length; start += 3) {
          const call = alerts.slice(start, start + 3);
          const outcome = call.includes(bad) ? blameWholeCall(fail('InvalidParameterValue: bad'), call.length) : ok();
          for (let i = 0; i < call.length; i++) outcomes[start + i] = outcome;
        }
        return settle(outcomes);
      },
      { batch: { maxevents: 9, maxbytes: 1_000_000, flushms: 0 } },
    );
    const queued = Array.from({ length: 9 }, (_, i) => (i === 4 ? bad : alert()));
    for (const a of queued) h.worker.enqueue(a, 100);
    await h.worker.start();
    await h.worker.idle();
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 8, deadLettered: 1, queued: 0 });
    expect(h.deadLetters.list().map((d) => d.alert.uuid)).toEqual([bad.uuid]);
  });
});

describe('OutputWorker alerts that fail alone (set aside)', () => {
  const batched = { batch: { maxevents: 8, maxbytes: 1_000_000, flushms: 0 } };
  const backoff = { initialbackoffms: 100, maxbackoffms: 10_000, maxattempts: 0, maxagems: 0, probems: 1000 };

  it('sets aside an alert an SDK cannot encode, delivers the rest and what arrives after it, and retries it alone on its own backoff', async () => {
    const bad = alert();
    let fixed = false;
    const badTries: number[] = [];
    const h = harness(
      async (alerts) => {
        if (alerts.includes(bad)) badTries.push(h.clock.now());
        if (alerts.includes(bad) && !fixed) throw new URIError('URI malformed');
        return ok();
      },
      { ...batched, retry: backoff },
    );
    for (const a of [alert(), alert(), alert(), alert(), bad, alert(), alert(), alert()]) h.worker.enqueue(a, 100);
    await h.worker.start();
    await h.clock.advance(1000);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 7, queued: 1, setAside: 1 });
    expect(await h.counter('peregrine_queue_set_aside_alerts', { output: 'fake' })).toBe(1);
    // New alerts are not held behind it.
    for (let i = 0; i < 8; i++) h.worker.enqueue(alert(), 100);
    await flush();
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 15, queued: 1 });
    // Alone, on its own backoff (100 ms doubling, random = 1), the output ok meanwhile.
    await h.clock.advance(3000);
    expect(h.worker.healthSnapshot().state).toBe('ok');
    // Its tries, from the first: in the batch of 8 (the error may be the destination's: after the
    // output's 100 ms backoff one other alert goes alone, and is delivered), in the 7 left (failed
    // whole again after a delivery: halved), in 4 and 2 (each after a backoff of the output's), alone,
    // alone again after another alert was delivered (set aside), then alone on its own backoff: 100,
    // 200, 400, 800, 1600 ms.
    expect(badTries.map((at) => at - (badTries[0] as number))).toEqual([0, 100, 200, 400, 500, 600, 700, 900, 1300, 2100, 3700]);
    expect(h.calls.filter((c) => c.includes(bad)).map((c) => c.length)).toEqual([8, 7, 4, 2, 1, 1, 1, 1, 1, 1, 1]);
    expect(h.calls.slice(0, 2).map((c) => c.length)).toEqual([8, 1]);
    fixed = true;
    await h.clock.advance(10_000);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 16, queued: 0, setAside: 0 });
    expect(h.calls.at(-1)).toEqual([bad]);
  });

  it('dead-letters an alert set aside when its retry budget ends, with the error', async () => {
    const bad = alert();
    const h = harness(async (alerts) => (alerts.includes(bad) ? retry('HTTP 500: panic in handler') : ok()), {
      ...batched,
      retry: { ...backoff, maxagems: 60_000 },
    });
    for (const a of [alert(), bad, alert(), alert()]) h.worker.enqueue(a, 100);
    await h.worker.start();
    await h.clock.advance(2000);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 3, setAside: 1 });
    await h.clock.advance(70_000); // tries 0.1, 0.2, 0.4 … then every 10 s (maxbackoffms): one past 60 s
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 3, deadLettered: 1, queued: 0, setAside: 0 });
    expect(h.deadLetters.list()[0]).toMatchObject({ reason: 'retry_budget', alert: { uuid: bad.uuid } });
  });

  it('sets nothing aside through an outage: probes that failed alone go with the rest once the destination is back', async () => {
    let down = true;
    const h = harness(async () => (down ? retry('HTTP 503') : ok()), { ...batched, batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 }, retry: { ...backoff, initialbackoffms: 30_000, maxbackoffms: 60_000 } });
    await h.worker.start();
    for (let i = 0; i < 5; i++) {
      h.worker.enqueue(alert(), 100);
      await h.clock.advance(1000); // a probe each second, each a different alert or the same: all fail
    }
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'failing', queued: 5, setAside: 0 });
    down = false;
    await h.clock.advance(1000);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', queued: 0, delivered: 5, setAside: 0 });
  });

  it('probes with an alert that has not failed alone, so a destination that is back is seen as back', async () => {
    const bad = alert();
    const h = harness(async (alerts) => (alerts.includes(bad) ? retry('cannot encode') : ok()), {
      batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 },
      retry: { ...backoff, initialbackoffms: 30_000, maxbackoffms: 60_000 },
    });
    await h.worker.start();
    h.worker.enqueue(bad, 100);
    await flush(); // fails alone: a 30 s pause, maybe the destination's
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(1000); // the probe is the other alert, not the oldest
    expect(h.calls.slice(1).map((c) => c[0] === bad)).toEqual([false, true]); // then the pause ends: bad again, alone
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 1, setAside: 1 });
  });

  it('an alert set aside whose own retry comes during an outage goes with the rest at recovery', async () => {
    const bad = alert();
    let fixed = false;
    let down = false;
    const h = harness(async (alerts) => (down || (alerts.includes(bad) && !fixed) ? retry('HTTP 500') : ok()), {
      ...batched,
      retry: { initialbackoffms: 100, maxbackoffms: 60_000, maxattempts: 0, maxagems: 0, probems: 1000 },
    });
    for (const a of [alert(), bad, alert()]) h.worker.enqueue(a, 100);
    await h.worker.start();
    await h.clock.advance(20_000); // set aside, and tried alone on its own backoff since: 100, 200 … 12,800 ms
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 2, setAside: 1 });
    fixed = true;
    down = true;
    h.worker.enqueue(alert(), 100);
    // Down: a failure streak. Its own retry comes (26.3 s): back in the queue, where it is the probe
    // that failed longest ago; it fails, and is set aside again at once.
    await h.clock.advance(10_000);
    expect(h.worker.healthSnapshot()).toMatchObject({ queued: 2, setAside: 1 }); // queued counts it too
    expect(h.worker.healthSnapshot().state).not.toBe('ok');
    down = false;
    await h.clock.advance(1000); // a probe succeeds: the streak ends, and it goes with the rest
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 4, queued: 0, setAside: 0 });
  });

  it('takes turns among alerts that failed alone as probes: one bad alert cannot be every probe after an outage', async () => {
    // Found by worker-seeded.test.ts (seed 902): the probes of an outage made the 8 oldest alerts
    // suspects, so every probe after it was the 9th, an alert that always fails; nothing was
    // delivered, so nothing was set aside, and the output stayed paused until the alerts' budget.
    const bad = alert();
    let down = true;
    const h = harness(async (alerts) => (down || alerts.includes(bad) ? retry('HTTP 503') : ok()), {
      batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 },
      retry: { initialbackoffms: 30_000, maxbackoffms: 60_000, maxattempts: 0, maxagems: 0, probems: 1000 },
    });
    const good = Array.from({ length: 9 }, () => alert());
    for (const a of [...good.slice(0, 8), bad, good[8] as Alert]) h.worker.enqueue(a, 100);
    await h.worker.start();
    await h.clock.advance(12_000); // a probe a second, each failing: every alert has failed alone once
    down = false;
    await h.clock.advance(5000);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 9, queued: 1, setAside: 1 });
  });

  it('keeps aside, when a failure streak ends, the alerts set aside before it began', async () => {
    const bad = alert();
    const late = alert();
    const h = harness(async (alerts) => (alerts.includes(bad) || (alerts.includes(late) && h.calls.filter((c) => c.includes(late)).length === 1) ? retry('HTTP 500') : ok()), {
      ...batched,
      retry: { initialbackoffms: 100, maxbackoffms: 60_000, maxattempts: 0, maxagems: 0, probems: 1000 },
    });
    for (const a of [alert(), bad, alert()]) h.worker.enqueue(a, 100);
    await h.worker.start();
    await h.clock.advance(20_000);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 2, setAside: 1 });
    const tries = h.calls.filter((c) => c.includes(bad)).length;
    h.worker.enqueue(late, 100); // fails once (a streak of one), then a probe or its retry succeeds
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(2000);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 4, setAside: 1 });
    expect(h.calls.filter((c) => c.includes(bad)).length).toBe(tries); // not sent again by that recovery
  });

  /** An answer per alert (as Elasticsearch's bulk items): the bad ones fail, each with an error of its own. */
  const perAlert = (bad: Set<Alert>, down: () => boolean) => async (alerts: readonly Alert[]) =>
    down() ? retry('connect ECONNREFUSED') : partial(alerts.map((a) => (bad.has(a) ? retry('HTTP 500: cannot encode') : ok())));

  it('sets aside alerts that fail answered apart inside batches, so they cannot fill every batch and pause the output', async () => {
    // Found by worker-seeded.test.ts (seeds 4005, 7646): alerts that always fail, the oldest, filled
    // every batch of 4 and paused the output each time; good alerts waited until their budget ended.
    const bad = new Set(Array.from({ length: 4 }, () => alert()));
    const h = harness(perAlert(bad, () => false), { batch: { maxevents: 4, maxbytes: 1_000_000, flushms: 0 }, retry: { ...backoff, maxagems: 60_000 } });
    for (const a of bad) h.worker.enqueue(a, 100);
    for (let i = 0; i < 40; i++) h.worker.enqueue(alert(), 100);
    await h.worker.start();
    await h.clock.advance(2000);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 40, setAside: 4 });
    // Each bad alert cost the output one pause at most: its first failure may have been an outage's.
    expect(h.calls.filter((c) => c.length > 1 && c.some((a) => bad.has(a))).length).toBeLessThanOrEqual(4);
    await h.clock.advance(70_000);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 40, deadLettered: 4, queued: 0, setAside: 0 });
    expect(h.deadLetters.list().map((d) => d.reason)).toEqual(['retry_budget', 'retry_budget', 'retry_budget', 'retry_budget']);
  });

  it('sets nothing aside when an outage begins between the alerts of a batch answered per alert', async () => {
    // One request per alert (the webhook's): the first two delivered, then the destination goes down.
    // The backoff (1 s, random = 1) outlasts the 100 ms steps, so an alert set aside would be seen.
    let down = false;
    let sent = 0;
    const h = harness(
      async (alerts) => partial(alerts.map(() => (++sent === 3 && (down = true), down ? retry('connect ECONNREFUSED') : ok()))),
      { batch: { maxevents: 4, maxbytes: 1_000_000, flushms: 0 }, retry: { ...backoff, initialbackoffms: 1000, maxbackoffms: 1000 } },
    );
    for (let i = 0; i < 8; i++) h.worker.enqueue(alert(), 100);
    await h.worker.start();
    let setAside = 0;
    for (let t = 0; t < 5000; t += 100) {
      await h.clock.advance(100);
      setAside = Math.max(setAside, h.worker.healthSnapshot().setAside);
    }
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 2, queued: 6 });
    down = false;
    await h.clock.advance(3000);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', delivered: 8, queued: 0 });
    expect(setAside).toBe(0);
    expect(await h.counter('peregrine_batch_splits_total', { output: 'fake' })).toBe(0);
  });

  it('does not pause the output when an alert set aside ends by its budget', async () => {
    const bad = alert();
    const h = harness(perAlert(new Set([bad]), () => false), { batch: { maxevents: 4, maxbytes: 1_000_000, flushms: 0 }, retry: { ...backoff, maxbackoffms: 1000, maxagems: 5000 } });
    for (const a of [alert(), bad, alert()]) h.worker.enqueue(a, 100);
    await h.worker.start();
    // Good alerts keep coming; the bad one's last try (at its 5 s budget) must not hold them.
    let failures = 0;
    for (let t = 0; t < 8000; t += 100) {
      h.worker.enqueue(alert(), 100);
      await h.clock.advance(100);
      if (t === 2000) expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', setAside: 1 });
      if (t >= 2000) failures = Math.max(failures, h.worker.healthSnapshot().consecutiveFailures);
    }
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', deadLettered: 1, setAside: 0, queued: 0 });
    expect(failures).toBe(0);
  });

  it('takes no delivery by the same request as evidence against an alert that failed alone', async () => {
    // [first, x]: first throttled (429, Retry-After: not its own), x fails on its own. After the
    // wait, [first, x] again: first delivered, x fails again. Nothing was delivered between x's two
    // failures but by that same request, which may have met an outage between its alerts: x is not
    // set aside yet (it is once a later request delivers and it fails again).
    const first = alert();
    const x = alert();
    let throttled = true;
    const h = harness(
      async (alerts) =>
        partial(
          alerts.map((a) => {
            if (a === x) return retry('HTTP 500');
            if (a === first && throttled) return (throttled = false), retry('HTTP 429', { afterMs: 500 });
            return ok();
          }),
        ),
      { batch: { maxevents: 2, maxbytes: 1_000_000, flushms: 0 }, retry: { ...backoff, probems: 0 } },
    );
    for (const a of [first, x]) h.worker.enqueue(a, 100);
    await h.worker.start();
    await flush();
    await h.clock.advance(500);
    expect(h.calls.slice(0, 2)).toEqual([
      [first, x],
      [first, x],
    ]);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 1, setAside: 0 });
  });

  it('backs off after an attempt whose failed alerts all ran out of their budget', async () => {
    const h = harness(async () => retry('connect ECONNREFUSED'), {
      batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 },
      retry: { initialbackoffms: 1000, maxbackoffms: 1000, maxattempts: 1, maxagems: 0, probems: 0 },
    });
    for (let i = 0; i < 3; i++) h.worker.enqueue(alert(), 100);
    await h.worker.start();
    await flush(); // the first alert's one attempt: dead-lettered, and the output pauses 1 s
    expect(h.calls).toHaveLength(1);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'retrying', deadLettered: 1, consecutiveFailures: 1 });
    await h.clock.advance(1000);
    expect(h.calls).toHaveLength(2);
  });

  it('forgets what an old config\'s failures said of an alert it hands over in a reload', async () => {
    const old = harness(async () => ok());
    const next = harness(async () => ok(), { batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 } });
    const entries = [alert(), alert()].map((a, seq) => new QueueEntry(a, { bytes: 100, seq, receivedAt: next.clock.now() }));
    for (const entry of entries) {
      entry.maxBatch = 1;
      entry.suspicion = { since: 0, times: 2 };
    }
    await next.worker.start();
    next.worker.adopt(old.worker, entries);
    await next.worker.idle();
    expect(next.calls.map((c) => c.length)).toEqual([2]);
    expect(entries.map((e) => [e.maxBatch, e.suspicion])).toEqual([
      [0, undefined],
      [0, undefined],
    ]);
  });

  it('drains the queue past an alert set aside, and gives it back as left over without waiting for it', async () => {
    const bad = alert();
    const h = harness(async (alerts) => (alerts.includes(bad) ? retry('cannot encode') : ok()), { ...batched, retry: { ...backoff, maxbackoffms: 60_000 } });
    for (const a of [alert(), bad, alert()]) h.worker.enqueue(a, 100);
    await h.worker.start();
    await h.clock.advance(2000);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 2, setAside: 1 });
    for (let i = 0; i < 5; i++) h.worker.enqueue(alert(), 100); // queued behind it at shutdown
    const start = h.clock.now();
    const left = await h.worker.drain(30_000);
    expect(left.map((e) => e.load().uuid)).toEqual([bad.uuid]);
    expect(h.worker.healthSnapshot()).toMatchObject({ delivered: 7, queued: 0 });
    expect(h.clock.now() - start).toBeLessThan(1000); // not the deadline, not the output paused by it
  });
});

describe('OutputWorker recovery probes', () => {
  const probing = { maxconcurrency: 4, batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 }, retry: { initialbackoffms: 30_000, maxbackoffms: 60_000, maxattempts: 0, maxagems: 0, probems: 1000 } };

  it('probes with one alert every probems while backing off, and releases the whole backlog on the first success', async () => {
    let down = true;
    const h = harness(async () => (down ? retry('HTTP 503') : ok()), { ...probing, maxconcurrency: 1 });
    for (let i = 0; i < 10; i++) h.worker.enqueue(alert(), 100);
    await h.worker.start();
    await flush();
    expect(h.calls.map((c) => c.length)).toEqual([10]); // the first attempt fails: backoff 30 s
    for (let i = 0; i < 40; i++) h.worker.enqueue(alert(), 100); // new alerts keep arriving meanwhile
    await h.clock.advance(999);
    expect(h.calls).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.calls.map((c) => c.length)).toEqual([10, 1]); // a probe: one alert
    await h.clock.advance(1000);
    expect(h.calls.map((c) => c.length)).toEqual([10, 1, 1]);
    down = false;
    await h.clock.advance(1000); // the third probe succeeds, 27 s before the backoff would end
    // The rest go in full batches: the first batch's 9 too (it failed whole, but only in the outage).
    expect(h.calls.slice(3).map((c) => c.length)).toEqual([1, 10, 10, 10, 10, 9]);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', queued: 0, delivered: 50 });
  });

  it('sends no probe before a Retry-After, nor with probes off', async () => {
    let answer = retry('HTTP 429', { afterMs: 5000 });
    const h = harness(async () => answer, probing);
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(4999);
    expect(h.calls).toHaveLength(1);
    answer = ok();
    await h.clock.advance(1);
    expect(h.calls).toHaveLength(2);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', queued: 0 });

    const off = harness(async () => retry('HTTP 503'), { ...probing, retry: { ...probing.retry, probems: 0 } });
    await off.worker.start();
    off.worker.enqueue(alert(), 100);
    await off.clock.advance(29_999);
    expect(off.calls).toHaveLength(1);
  });
});

describe('OutputWorker lifecycle', () => {
  it('keeps retrying connect, queues meanwhile, and delivers once connected', async () => {
    let attempts = 0;
    const h = harness(async () => ok(), { batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 } }, {
      connect: () => {
        if (++attempts < 3) throw new Error('ECONNREFUSED');
        return {};
      },
    });
    const started = h.worker.start();
    h.worker.enqueue(alert(), 100);
    await flush();
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'failing', queued: 1 });
    expect(h.worker.healthSnapshot().lastError).toContain('ECONNREFUSED');
    await h.clock.advance(1000);
    await started;
    await flush();
    expect(attempts).toBe(3);
    expect(h.calls).toHaveLength(1);
  });

  it('a first connection attempt that hangs makes the output failing after timeoutms, and ok once it connects', async () => {
    let connect: (client: object) => void = () => {};
    const h = harness(async () => ok(), { timeoutms: 1000 }, { connect: () => new Promise<object>((resolve) => (connect = resolve)) });
    const started = h.worker.start();
    h.worker.enqueue(alert(), 100);
    await h.clock.advance(999);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', queued: 1 });
    await h.clock.advance(1);
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'failing', queued: 1 });
    expect(h.worker.healthSnapshot().lastError).toBe('not connected: the first connection attempt has taken more than 1 s (timeoutms)');
    connect({});
    await started;
    await h.clock.advance(100); // the batch's flushms
    expect(h.worker.healthSnapshot()).toMatchObject({ state: 'ok', queued: 0 });
    expect(h.worker.healthSnapshot().lastError).toBeUndefined();
    expect(h.calls).toHaveLength(1);
  });

  it('drain sends partial batches at once and returns what is left at the deadline', async () => {
    const h = harness(async () => ok(), { batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 60_000 } });
    await h.worker.start();
    h.worker.enqueue(alert(), 100);
    h.worker.enqueue(alert(), 100);
    const left = await h.worker.drain(1000);
    expect(left).toEqual([]);
    expect(h.calls.map((c) => c.length)).toEqual([2]);

    const down = harness(async () => retry('down'), { batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 0 } });
    await down.worker.start();
    down.worker.enqueue(alert(), 100);
    const draining = down.worker.drain(500);
    await down.clock.advance(500);
    expect(await draining).toHaveLength(1);
    expect(await down.counter('peregrine_dropped_total', { reason: 'shutdown' })).toBe(1);
  });

  it('counts queue shedding by priority', async () => {
    const h = harness(async () => new Promise(() => {}), { queue: { maxalerts: 2, maxbytes: 1_000_000 }, batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 } });
    await h.worker.start();
    h.worker.enqueue(alert('Critical'), 100);
    await flush(); // sent at the end of the turn: in flight, out of the queue
    h.worker.enqueue(alert('Debug'), 100);
    h.worker.enqueue(alert('Critical'), 100);
    expect(h.worker.enqueue(alert('Debug'), 100)).toBe(false);
    expect(h.worker.enqueue(alert('Critical'), 100)).toBe(true);
    expect(await h.counter('peregrine_dropped_total', { reason: 'queue_full', priority: 'Debug' })).toBe(2);
  });
});

describe('OutputWorker backlog', () => {
  it('delivers a backlog deeper than the hot depth unchanged, in order', async () => {
    let down = true;
    const h = harness(async () => (down ? retry('HTTP 503') : ok()), {
      queue: { maxalerts: 5000, maxbytes: 100_000_000 },
      batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 0 },
    });
    await h.worker.start();
    const sent = Array.from({ length: 3000 }, () => alert());
    for (const a of sent) h.worker.enqueue(a, 100);
    await flush();
    down = false;
    await h.clock.advance(100);
    await h.worker.idle();
    const delivered = h.calls.slice(1).flat();
    expect(delivered).toEqual(sent);
    expect(delivered.map((a) => a.uuid)).toEqual(sent.map((a) => a.uuid));
    // Past the hot depth (1,024 here) the worker hands the plugin parsed copies, not the originals.
    expect(delivered[0]).toBe(sent[0]);
    expect(delivered[2999]).not.toBe(sent[2999]);
  });

  it('dead-letters compact entries with their alert intact', async () => {
    const h = harness(async () => fail('HTTP 400: bad'), {
      queue: { maxalerts: 5000, maxbytes: 100_000_000 },
      batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 0 },
    });
    await h.worker.start();
    const sent = Array.from({ length: 1100 }, (_, i) => alert(i === 1099 ? 'Critical' : 'Warning'));
    for (const a of sent) h.worker.enqueue(a, 100);
    await h.worker.idle();
    const letters = h.deadLetters.list(); // the store keeps the newest 1,000
    expect(letters.map((d) => d.alert)).toEqual(sent.slice(-1000));
    expect(letters.at(-1)?.alert).not.toBe(sent.at(-1)); // it was held compact
    expect(letters.at(-1)?.reason).toBe('rejected');
  });

  it('counts compact leftovers by priority when shutdown drops them', async () => {
    const h = harness(async () => retry('HTTP 503'), {
      queue: { maxalerts: 5000, maxbytes: 100_000_000 },
      batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 0 },
    });
    await h.worker.start();
    for (let i = 0; i < 1100; i++) h.worker.enqueue(alert(i === 1099 ? 'Critical' : 'Warning'), 100);
    await flush();
    const draining = h.worker.drain(10);
    await h.clock.advance(10);
    const left = await draining;
    expect(left).toHaveLength(1100);
    expect(left.at(-1)?.isCompact).toBe(true);
    // Past the hot depth (1,024) the first 64 JSONs were deflated in one block; the rest wait for theirs.
    expect(left.map((e) => e.isPacked).lastIndexOf(true)).toBe(1024 + 63);
    expect(left.map((e) => e.isPacked).indexOf(true)).toBe(1024);
    expect(await h.counter('peregrine_dropped_total', { reason: 'shutdown', priority: 'Critical' })).toBe(1);
    expect(await h.counter('peregrine_dropped_total', { reason: 'shutdown', priority: 'Warning' })).toBe(1099);
  });

  it('with the spool, reads a deep backlog back from it, and drops (counted) what it can no longer give', async () => {
    const stored = new Map<number, string>();
    const reads: number[] = [];
    const completed: number[] = [];
    const journal: DeliveryJournal = {
      complete: (_output, id) => void completed.push(id),
      reschedule: () => {},
      json: (id) => (reads.push(id), id === 1050 ? undefined : stored.get(id)),
    };
    let down = true;
    const h = harness(async () => (down ? retry('HTTP 503') : ok()), { queue: { maxalerts: 5000, maxbytes: 100_000_000 }, batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 0 } }, {}, journal);
    await h.worker.start();
    const sent = Array.from({ length: 1100 }, (_, i) => alert(i === 1050 ? 'Critical' : 'Warning'));
    sent.forEach((a, id) => {
      stored.set(id, serializeAlert(a));
      h.worker.enqueue(a, 100, 0, { spoolId: id });
    });
    await flush();
    down = false;
    await h.clock.advance(100);
    await h.worker.idle();
    // All 1,100 came in one turn (sending starts at its end): the first 1,024 are held as alerts, the
    // rest by spool id only, each read back once, when it is taken.
    expect(reads).toEqual(Array.from({ length: 1100 - 1024 }, (_, i) => 1024 + i));
    const delivered = h.calls.slice(1).flat();
    expect(delivered).toEqual(sent.filter((_, id) => id !== 1050));
    expect(await h.counter('peregrine_dropped_total', { reason: 'spool_read', priority: 'Critical' })).toBe(1);
    expect(await h.counter('peregrine_delivered_total')).toBe(1099);
    expect(completed.sort((a, b) => a - b)).toEqual(Array.from({ length: 1100 }, (_, i) => i));
  });
});

describe('OutputWorker spool evictions', () => {
  it('drops an alert the spool evicted wherever it waits, deep or near the head, and leaves one in flight to its send', async () => {
    const stored = new Map<number, string>();
    const completed: number[] = [];
    const journal: DeliveryJournal = { complete: (_output, id) => void completed.push(id), reschedule: () => {}, json: (id) => stored.get(id) };
    let release: (() => void) | undefined;
    const h = harness(
      async () => {
        await new Promise<void>((r) => (release = r));
        return ok();
      },
      { queue: { maxalerts: 5000, maxbytes: 100_000_000 }, batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 0 }, maxconcurrency: 1 },
      {},
      journal,
    );
    await h.worker.start();
    const sent = Array.from({ length: 1300 }, (_, i) => alert(i % 2 ? 'Warning' : 'Notice'));
    sent.forEach((a, id) => {
      stored.set(id, serializeAlert(a));
      h.worker.enqueue(a, 100, 0, { spoolId: id });
    });
    await flush();
    expect(h.calls.map((c) => c.length)).toEqual([100]); // 0–99 in flight
    // Past the hot depth (1,024) alerts are held in blocks: the newest, one in the middle of a block,
    // one near the head, one in flight.
    const evicted = [1299, 1101, 500, 50];
    for (const id of evicted) h.worker.discard(id, id % 2 ? 3 : 2);
    expect(h.worker.healthSnapshot()).toMatchObject({ queued: 1300 - 100 - 3, dropped: 3 });
    while (release) {
      const r = release;
      release = undefined;
      r();
      await flush();
    }
    await h.worker.idle();
    expect(h.calls.flat()).toEqual(sent.filter((_, id) => id === 50 || !evicted.includes(id)));
    expect(completed.sort((a, b) => a - b)).toEqual(Array.from({ length: 1300 }, (_, i) => i).filter((id) => id === 50 || !evicted.includes(id)));
  });
});

describe('OutputWorker send rate (sendrate.*)', () => {
  it('sends at most requestspersecond requests, a burst first, and waits for tokens instead of sending', async () => {
    const h = harness(async () => ok(), { maxconcurrency: 8, batch: { maxevents: 1, maxbytes: 1_000_000, flushms: 0 }, sendrate: { requestspersecond: 2, burst: 3 } });
    await h.worker.start();
    for (let i = 0; i < 10; i++) h.worker.enqueue(alert(), 100);
    await flush();
    expect(h.calls).toHaveLength(3); // the burst
    await h.clock.advance(499);
    expect(h.calls).toHaveLength(3);
    await h.clock.advance(1);
    expect(h.calls).toHaveLength(4); // one token every 500 ms
    await h.clock.advance(3000);
    expect(h.calls).toHaveLength(10);
    expect(h.worker.healthSnapshot()).toMatchObject({ queued: 0, delivered: 10 });
  });
});
