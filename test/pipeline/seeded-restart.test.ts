// Seeded runs of the whole app with the spool on, restarted while it delivers: the destination
// and its mixes are those of test/unit/dispatch/worker-seeded.test.ts (outages, slow answers,
// alerts it refuses or always fails on, batches answered whole or per call), and the app is shut
// down and started again on the same spool once or twice in the first 20 s. What the app
// acknowledged must end as it would without the restarts: each good alert delivered exactly once,
// each bad one dead-lettered once with its own reason, nothing left in the spool, nothing sent after.
// The worker's own test searches the mixes without a spool; this one, how a restart cuts through
// them (attempts, next-retry times, set-aside and halved alerts, dead letters read back).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Alert } from '../../src/alert/alert.ts';
import type { AnyOutputPlugin } from '../../src/plugin/types.ts';
import { startApp, type RunningApp } from '../support/app.ts';
import { alertJson } from '../support/console.ts';
import { closeOnClock, FakeClock, flush } from '../support/fake-clock.ts';
import { metricSum } from '../support/metrics.ts';
import { prng, scenario, seededDestination, type Scenario } from '../support/seeded-destination.ts';

/** 12 in the suite; more for a search: RESTART_SEEDS=200 npx vitest run --project unit test/pipeline/seeded-restart.test.ts */
const SEEDS = Number(process.env.RESTART_SEEDS ?? 12);
const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);

let running: { app: RunningApp; clock: FakeClock } | undefined;
afterEach(async () => {
  if (running) await closeOnClock(running.app, running.clock).catch(() => {});
  running = undefined;
});

/** When the app restarts, in ms after the start: none, one or two in the first 20 s (a stream of its own, so that scenario() makes the worker test's mixes). */
function restarts(seed: number): number[] {
  const rand = prng(seed ^ 0x5bd1e995);
  const count = [0, 1, 1, 2][Math.floor(rand() * 4)] as number;
  return Array.from({ length: count }, () => 500 + Math.floor(rand() * 19_500)).sort((x, y) => x - y);
}

const outputYaml = (s: Scenario, dir: string) =>
  `spool:\n  enabled: true\n  dir: ${dir}\nseeded:\n  enabled: true\n  maxconcurrency: ${s.maxconcurrency}\n  timeoutms: 1000\n` +
  `  queue:\n    maxalerts: ${s.maxalerts}\n  batch:\n    maxevents: ${s.maxevents}\n    flushms: ${s.flushms}\n` +
  `  retry:\n    initialbackoffms: 100\n    maxbackoffms: 2000\n    maxattempts: 0\n    maxagems: 60000\n    probems: 1000\n`;

async function run(seed: number) {
  const s = scenario(prng(seed));
  const at = restarts(seed);
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-seeded-'));
  const started = Date.parse('2026-11-20T10:00:00Z');
  let clock = new FakeClock(started);
  const idOf = (a: Alert) => Number(a.uuid.slice('seeded-'.length));
  const destination = seededDestination(s, () => clock, started, prng(seed ^ 0x9e3779b9), idOf);
  const sent: number[][] = [];
  const plugin: AnyOutputPlugin = {
    name: 'seeded',
    description: 'the seeded destination',
    schema: z.object({ enabled: z.boolean().default(false).describe('on') }),
    example: { enabled: true },
    enabled: (o) => (o as { enabled: boolean }).enabled,
    batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 0 },
    sendBatch: (alerts, ctx) => {
      sent.push(alerts.map(idOf));
      return destination.respond(alerts, ctx);
    },
  };
  const start = async () => {
    const app = await startApp(outputYaml(s, dir), { clock, extraPlugins: [plugin], random: () => 1 });
    running = { app, clock };
    return app;
  };
  let app = await start();
  const order = s.arrivals.map((arrival, i) => ({ i, arrival })).sort((x, y) => x.arrival - y.arrival);
  let next = 0;
  const statuses: number[] = [];
  /** What each restart cut through: alerts the spool held for the output, and how many of them had failed before. */
  const cuts: { held: number; retried: number }[] = [];
  while (clock.now() - started <= 120_000) {
    const elapsed = clock.now() - started;
    for (; next < order.length && (order[next] as { arrival: number }).arrival <= elapsed; next++) {
      const { i } = order[next] as { i: number };
      statuses.push((await app.post(alertJson({ uuid: `seeded-${i}`, priority: s.priorities[i] as string }))).status);
    }
    if (at.length > 0 && (at[0] as number) <= elapsed) {
      at.shift();
      const rows = app.spool?.pending('seeded') ?? [];
      cuts.push({ held: rows.length, retried: rows.filter((row) => row.attempts > 0).length });
      await closeOnClock(app, clock);
      clock = new FakeClock(clock.now());
      app = await start();
    }
    await clock.advance(100);
    await flush();
  }
  return { s, app, destination, statuses, sent, cuts };
}

describe('the app with the spool, restarted during seeded mixes of outages and bad alerts', () => {
  /** What the seeds covered, so that a change to the generator cannot leave a case out unseen. */
  const covered = { seeds: 0, restarts: 0, held: 0, retried: 0 };

  it.each(seeds)('seed %i: every acknowledged alert ends once as it should, across the restarts', async (seed) => {
    const { s, app, destination, statuses, sent, cuts } = await run(seed);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    const bad = new Set([...s.refused, ...s.failing]);
    const good = Array.from({ length: s.alerts }, (_, i) => i).filter((i) => !bad.has(i));
    expect([...destination.delivered].sort((x, y) => x - y)).toEqual(good);
    const dead = app.deadLetters
      .list({ output: 'seeded' })
      .map((d) => [Number(d.alert.uuid.slice('seeded-'.length)), d.reason] as const)
      .sort((x, y) => x[0] - y[0]);
    expect(dead.map(([i]) => i)).toEqual([...bad].sort((x, y) => x - y));
    expect(dead.filter(([i, reason]) => reason !== (s.refused.has(i) ? 'rejected' : 'retry_budget'))).toEqual([]);
    expect(await metricSum(app.metrics.registry, 'peregrine_dropped_total')).toBe(0);
    expect(app.spool?.backlog()).toEqual({});
    const calls = sent.length;
    await running?.clock.advance(60_000);
    expect(sent.length).toBe(calls);
    covered.seeds++;
    covered.restarts += cuts.length;
    for (const cut of cuts) {
      covered.held += cut.held;
      covered.retried += cut.retried;
    }
  });

  it('covered restarts that cut through a backlog, some of it already retried', (ctx) => {
    if (covered.seeds < seeds.length) ctx.skip(); // some seeds were filtered out of this run
    expect(covered.restarts).toBeGreaterThan(0);
    expect(covered.held).toBeGreaterThan(0);
    expect(covered.retried).toBeGreaterThan(0);
  });
});
