import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/alert/alert.ts';
import { Evidence } from '../../../src/dispatch/evidence.ts';
import { QueueEntry } from '../../../src/dispatch/queue-entry.ts';
import { ok, retry } from '../../../src/dispatch/result.ts';
import { judge } from '../../../src/dispatch/retry-policy.ts';
import { SetAside } from '../../../src/dispatch/set-aside.ts';
import { FakeClock } from '../../support/fake-clock.ts';

let seq = 0;
const entry = () => new QueueEntry({ uuid: `a${seq}`, priority: 'Notice', rule: 'r' } as Alert, { bytes: 10, seq: seq++, receivedAt: 0 });
const budget = { maxattempts: 0, maxagems: 0 };

function setup(maxHeld?: number) {
  const clock = new FakeClock();
  const due: QueueEntry[][] = [];
  const evidence = new Evidence();
  const aside = new SetAside({
    clock,
    evidence,
    backoff: { initialbackoffms: 100, maxbackoffms: 1000 },
    random: () => 1,
    log: pino({ level: 'silent' }),
    due: (entries) => due.push(entries),
    ...(maxHeld === undefined ? {} : { maxHeld }),
  });
  /** One request of the output, started and judged: its verdict as the worker records it. */
  const attempt = (batch: QueueEntry[], outcome: Parameters<typeof judge>[1]) => {
    const request = evidence.begin();
    const verdict = judge(batch, outcome, budget, clock.now(), evidence);
    evidence.settled(request, verdict.delivered.length > 0, verdict.retry !== undefined);
    return verdict;
  };
  /** It fails alone in its request: when it is held until, if it was set aside. */
  const failAlone = (e: QueueEntry, outcome = retry('cannot encode')) => aside.atFault(attempt([e], outcome).alone)[0]?.until;
  const deliver = () => attempt([entry()], ok());
  return { clock, aside, due, failAlone, deliver, attempt, evidence };
}

describe('SetAside', () => {
  it('sets an alert aside only when it failed alone, another was delivered, and it failed alone again', () => {
    const { aside, failAlone, deliver } = setup();
    const bad = entry();
    expect(failAlone(bad)).toBeUndefined();
    expect(failAlone(bad)).toBeUndefined(); // nothing delivered in between: maybe the destination
    expect(aside.unproven(bad)).toBe(true);
    deliver();
    expect(aside.unproven(bad)).toBe(false);
    expect(failAlone(bad)).toBeDefined();
    expect([aside.size, aside.bytes]).toEqual([1, 10]);
  });

  it('calls the alerts of a batch that failed whole unproven until another alert is delivered, and sets none of them aside', () => {
    const { aside, deliver, attempt, evidence } = setup();
    const batch = [entry(), entry(), entry()];
    expect(aside.unproven(batch[0])).toBe(false);
    attempt(batch, retry('HTTP 500'));
    expect(evidence.anyFailed).toBe(true);
    expect(batch.map((e) => aside.unproven(e))).toEqual([true, true, true]);
    deliver();
    expect(batch.map((e) => aside.unproven(e))).toEqual([false, false, false]);
    expect(aside.size).toBe(0);
  });

  it('takes no delivery by a request started before the failure as evidence (one in flight as an outage began)', () => {
    const { aside, failAlone, evidence } = setup();
    const bad = entry();
    const inFlight = evidence.begin();
    expect(failAlone(bad)).toBeUndefined();
    evidence.settled(inFlight, true, false);
    expect(aside.unproven(bad)).toBe(true);
    expect(failAlone(bad)).toBeUndefined();
    expect(aside.size).toBe(0);
  });

  it('never for a Retry-After or refused credentials: those are the destination\'s state', () => {
    const { aside, failAlone, deliver } = setup();
    const bad = entry();
    for (const outcome of [retry('HTTP 429', { afterMs: 500 }), retry('HTTP 401', { auth: true })]) {
      failAlone(bad, outcome);
      deliver();
      expect(failAlone(bad, outcome)).toBeUndefined();
    }
    expect(aside.size).toBe(0);
  });

  it('gives an alert back when its own backoff ends, and sets it aside again at once, for longer, when it fails alone again', async () => {
    const { clock, aside, due, failAlone, deliver } = setup();
    const bad = entry();
    failAlone(bad);
    deliver();
    const start = clock.now();
    expect(failAlone(bad)).toBe(start + 100);
    await clock.advance(99);
    expect(due).toEqual([]);
    await clock.advance(1);
    expect(due).toEqual([[bad]]);
    expect(aside.size).toBe(0);
    expect(failAlone(bad)).toBe(clock.now() + 200); // no delivery needed the second time
  });

  it('holds at most maxHeld alerts: past that, an alert that fails alone is not set aside', () => {
    const { aside, failAlone, deliver } = setup(1);
    const [a, b] = [entry(), entry()];
    failAlone(a);
    failAlone(b);
    deliver();
    expect(failAlone(a)).toBeDefined();
    expect(failAlone(b)).toBeUndefined();
    expect(aside.size).toBe(1);
  });

  it('releases everything, oldest first, for a drain, and takes out what the spool evicts', () => {
    const { aside, failAlone, deliver } = setup();
    const [a, b] = [entry(), entry()];
    for (const e of [b, a]) failAlone(e);
    deliver();
    for (const e of [b, a]) failAlone(e);
    expect(aside.releaseAll()).toEqual([a, b]);
    expect(aside.size).toBe(0);
    const spooled = new QueueEntry({ uuid: 's', priority: 'Notice', rule: 'r' } as Alert, { bytes: 10, seq: seq++, receivedAt: 0, spoolId: 42 });
    failAlone(spooled);
    deliver();
    failAlone(spooled);
    expect(aside.takeSpooled(42)).toBe(spooled);
    expect(aside.takeSpooled(42)).toBeUndefined();
    expect(aside.bytes).toBe(0);
  });

  it('gives back those set aside since a time (a failure streak that has ended), and keeps the older ones on their timers', async () => {
    const { clock, aside, due, failAlone, deliver } = setup();
    const [old, recent] = [entry(), entry()];
    for (const e of [old, recent]) failAlone(e);
    deliver();
    failAlone(old);
    await clock.advance(50);
    const streakSince = clock.now();
    failAlone(recent);
    expect(aside.releaseSince(streakSince, [recent])).toEqual([]); // set aside by the request that ended the streak: kept
    expect(aside.releaseSince(streakSince)).toEqual([recent]);
    expect([aside.size, aside.bytes]).toEqual([1, 10]);
    await clock.advance(50);
    expect(due).toEqual([[old]]); // its own timer still runs
  });
});
