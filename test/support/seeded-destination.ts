// A seeded destination for the worker's seeded tests (test/unit/dispatch/worker-seeded.test.ts, one
// worker on a fake clock; test/pipeline/seeded-restart.test.ts, the app with the spool and
// restarts): outages (refused, 503, hanging, 429 with Retry-After), slow answers, and alerts it
// always refuses (400), always fails on (an error, as an SDK that cannot encode one) or fails on a
// few times; batches answered whole, per call or per alert. A seed makes the same mix every time.
import type { Alert } from '../../src/alert/alert.ts';
import type { Priority } from '../../src/alert/priority.ts';
import type { Clock } from '../../src/dispatch/clock.ts';
import { fail, notOwn, ok, retry, type Outcome, type SendResult } from '../../src/dispatch/result.ts';
import { blameWholeCall, settle } from '../../src/plugin/batch.ts';
import type { SendContext } from '../../src/plugin/types.ts';

/** mulberry32: a small seeded PRNG, so that a failing seed replays exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Down = 'refused' | '503' | 'hang' | '429';

export interface Scenario {
  maxconcurrency: number;
  maxevents: number;
  flushms: number;
  /** Calls per request of this many alerts (as SQS's 10; 1: an answer per alert, as Elasticsearch's), or 0: one answer per request. */
  callSize: number;
  alerts: number;
  /** [from, to) in ms after the start, and how the destination fails meanwhile. */
  outages: { from: number; to: number; how: Down }[];
  refused: Set<number>;
  failing: Set<number>;
  /** Alerts that fail (an error) this many times with the destination up, then are delivered. */
  flaky: Map<number, number>;
  /** When each alert arrives, in ms after the start. */
  arrivals: number[];
  /** Each alert's priority: the queue holds one lane per priority. */
  priorities: Priority[];
  /** queue.maxalerts: small in some mixes, so that the queue sheds. */
  maxalerts: number;
  /**
   * With calls (callSize > 0), the time between two calls of one request, in ms (as SQS's calls or
   * a webhook's requests follow one another): an outage can begin or end inside a request. 0: all
   * answered at once.
   */
  callGapMs: number;
  /**
   * With calls, the first call to fail with an error stops the request, as sendEach does (PagerDuty,
   * Opsgenie): the alerts after it are not sent (notOwn).
   */
  stopAtRetry: boolean;
}

/**
 * A mix. The seeds that found a bug make the same mix only with this function as it is: a change
 * to it changes what they make, so draw anything new last (as `priorities` and `maxalerts` are).
 */
export function scenario(rand: () => number): Scenario {
  const pick = (n: number) => Math.floor(rand() * n);
  const alerts = 20 + pick(130);
  const { refused, failing, flaky } = drawFaults(rand, alerts);
  const outages = drawOutages(rand);
  // Half arrive at once, the rest over the first 15 s.
  const arrivals = Array.from({ length: alerts }, (_, i) => (i < alerts / 2 ? 0 : pick(15_000)));
  const mix = {
    maxconcurrency: 1 + pick(4),
    maxevents: 1 + pick(30),
    flushms: rand() < 0.5 ? 0 : 50,
    callSize: rand() < 0.4 ? 1 + pick(4) : 0,
    alerts,
    outages,
    refused,
    failing,
    flaky,
    arrivals,
  };
  // Drawn last, so that the seeds found before these were mixed in make the same mix.
  const lanes = rand() < 0.5 ? (['Warning'] as Priority[]) : (['Critical', 'Warning', 'Notice'] as Priority[]);
  const priorities = Array.from({ length: alerts }, () => lanes[pick(lanes.length)] as Priority);
  const maxalerts = rand() < 0.25 ? 10 + pick(30) : 1000;
  // Drawn after those, for the same reason.
  const callGapMs = rand() < 0.4 ? 1 + pick(10) : 0;
  return { ...mix, priorities, maxalerts, callGapMs, stopAtRetry: rand() < 0.3 };
}

/** What a destination does: its outages, how it answers a batch, and the alerts it refuses or fails on. */
export type DestinationMix = Pick<Scenario, 'outages' | 'callSize' | 'refused' | 'failing' | 'flaky'> & Partial<Pick<Scenario, 'callGapMs' | 'stopAtRetry'>>;

/** Another destination for the same `alerts`, with faults and outages of its own (another output). */
export function destinationMix(rand: () => number, alerts: number): DestinationMix {
  const { refused, failing, flaky } = drawFaults(rand, alerts);
  const outages = drawOutages(rand);
  return { refused, failing, flaky, outages, callSize: rand() < 0.4 ? 1 + Math.floor(rand() * 4) : 0 };
}

function drawFaults(rand: () => number, alerts: number): Pick<Scenario, 'refused' | 'failing' | 'flaky'> {
  const refused = new Set<number>();
  const failing = new Set<number>();
  const flaky = new Map<number, number>();
  for (let i = 0; i < alerts; i++) {
    const r = rand();
    if (r < 0.04) refused.add(i);
    else if (r < 0.08) failing.add(i);
    else if (r < 0.12) flaky.set(i, 1 + Math.floor(rand() * 4));
  }
  return { refused, failing, flaky };
}

function drawOutages(rand: () => number): Scenario['outages'] {
  const pick = (n: number) => Math.floor(rand() * n);
  const outages: Scenario['outages'] = [];
  for (let at = pick(3000), k = pick(3); k > 0; k--) {
    const to = at + 500 + pick(8000);
    outages.push({ from: at, to, how: (['refused', '503', 'hang', '429'] as const)[pick(4)] as Down });
    at = to + 1000 + pick(5000);
  }
  return outages;
}

export interface SeededDestination {
  /** The plugin's sendBatch. */
  respond(alerts: readonly Alert[], ctx: SendContext<unknown, unknown>): Promise<SendResult>;
  /** Each alert delivered, by its index, in the order the destination took them (once per delivery). */
  delivered: number[];
  /** How many alerts were flaky before any was sent. */
  flakyAtStart: number;
}

/**
 * The destination of mix `s` (a scenario, or a destinationMix for another output). `clock()` is the
 * clock of the worker sending now (an app that restarts gets a new one); `started`: when the
 * scenario's time 0 is on it; `rand`: the answers' delays; `idOf`: an alert's index in the scenario.
 */
export function seededDestination(s: DestinationMix, clock: () => Clock, started: number, rand: () => number, idOf: (a: Alert) => number): SeededDestination {
  const flaky = new Map(s.flaky);
  const delivered: number[] = [];
  const down = (): Down | undefined => {
    const at = clock().now() - started;
    return s.outages.find((o) => at >= o.from && at < o.to)?.how;
  };
  /** One call's outcome: the destination's state when the answer comes, then the alerts' own faults. */
  const answer = (call: readonly Alert[]): Outcome => {
    const state = down();
    if (state === 'refused') return retry('connect ECONNREFUSED');
    if (state === '503') return retry('HTTP 503');
    if (state === '429') return retry('HTTP 429', { afterMs: 1500 });
    const ids = call.map(idOf);
    if (ids.some((i) => s.refused.has(i))) return fail('HTTP 400: cannot parse');
    if (ids.some((i) => s.failing.has(i))) return retry('HTTP 500: cannot encode');
    const failsLeft = ids.filter((i) => (flaky.get(i) ?? 0) > 0);
    for (const i of failsLeft) flaky.set(i, (flaky.get(i) as number) - 1);
    if (failsLeft.length > 0) return retry('HTTP 500: try again');
    return ok();
  };
  const respond = async (alerts: readonly Alert[], ctx: SendContext<unknown, unknown>): Promise<SendResult> => {
    const { signal } = ctx;
    await new Promise<void>((resolve) => clock().setTimeout(resolve, 1 + Math.floor(rand() * 60)));
    // A hanging destination never answers: the worker's timeoutms aborts the request. A request
    // aborted on its way (a shutdown) never reached the destination.
    if (down() === 'hang' || signal.aborted) await new Promise((_, reject) => (signal.aborted ? reject(signal.reason as Error) : signal.addEventListener('abort', () => reject(signal.reason as Error))));
    const record = (call: readonly Alert[], outcome: Outcome) => {
      if (outcome.kind === 'ok') for (const a of call) delivered.push(idOf(a));
    };
    if (s.callSize === 0) {
      const outcome = answer(alerts);
      record(alerts, outcome);
      return outcome as SendResult;
    }
    const outcomes: Outcome[] = [];
    for (let from = 0; from < alerts.length; from += s.callSize) {
      // The next call, a little later: the destination's state may have changed since the last.
      if (from > 0 && (s.callGapMs ?? 0) > 0) await new Promise<void>((resolve) => clock().setTimeout(resolve, s.callGapMs as number));
      const call = alerts.slice(from, from + s.callSize);
      const outcome = answer(call);
      record(call, outcome);
      const blamed = blameWholeCall(outcome, call.length);
      for (let i = 0; i < call.length; i++) outcomes.push(blamed);
      if (s.stopAtRetry && outcome.kind === 'retry') {
        const unsent = notOwn(`not sent: ${outcome.reason}`, outcome);
        while (outcomes.length < alerts.length) outcomes.push(unsent);
        break;
      }
    }
    return settle(outcomes);
  };
  return { respond, delivered, flakyAtStart: s.flaky.size };
}
