// Noise control on the hot path: µs per alert through NoiseControl.admit (key build + decision),
// in-process, 10k distinct keys. Scenarios: off (the fast path), dedupe, dedupe + ratelimit, dedupe
// journalled to a real spool (SQLite commits between chunks), every alert a new key (eviction at
// maxkeys), and one silence that does not match. `node bench/noise.ts` prints a table; the steal
// column is the hypervisor's share of the machine's CPU time during the run (bench/proc.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { z } from 'zod';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../src/alert/alert.ts';
import { parseJson } from '../src/alert/json.ts';
import { NoiseControl } from '../src/noise/noise.ts';
import { persistNoise } from '../src/noise/persist.ts';
import { noiseOutputShape, SilencesSchema } from '../src/noise/schema.ts';
import { Spool } from '../src/spool/spool.ts';
import { Metrics } from '../src/telemetry/metrics.ts';
import { FakeClock } from '../test/support/fake-clock.ts';
import { fixtureText } from '../test/support/fixtures.ts';
import { machineCpu, procStats, stealShare } from './proc.ts';

const KEYS = 10_000;
const ALERTS = Number(process.env.BENCH_ALERTS ?? 300_000);
const CHUNK = 1000;

const template = parseJson(fixtureText('alerts/falco-shell.json')) as AlertInput;
const make = (i: number): Alert =>
  freezeAlert(toAlert({ ...template, hostname: `node-${i % 50}`, output_fields: { ...template.output_fields, 'k8s.pod.name': `pod-${i}` } }, () => `a-${i}`));
const pool = Array.from({ length: KEYS }, (_, i) => make(i));
const distinct = Array.from({ length: ALERTS }, (_, i) => make(i));

interface Scenario {
  name: string;
  section: Record<string, unknown>;
  silences?: unknown[];
  spool?: boolean;
  alerts: Alert[];
}

const scenarios: Scenario[] = [
  { name: 'off (no dedupe, no silence)', section: {}, alerts: pool },
  { name: 'dedupe, 10k keys', section: { dedupe: { windowms: 600_000 } }, alerts: pool },
  { name: 'dedupe + ratelimit, 10k keys', section: { dedupe: { windowms: 600_000 }, ratelimit: { max: 10 } }, alerts: pool },
  { name: 'dedupe, 10k keys, spool journal', section: { dedupe: { windowms: 600_000 } }, spool: true, alerts: pool },
  { name: 'dedupe, every alert a new key (maxkeys 10k: evicts)', section: { dedupe: { windowms: 600_000, maxkeys: KEYS } }, alerts: distinct },
  { name: 'one silence (no match) + dedupe', section: { dedupe: { windowms: 600_000 } }, silences: [{ match: { rule: 'other', hostname: 'x*' }, for: '1h', reason: 'bench' }], alerts: pool },
];

async function run(s: Scenario): Promise<{ us: number; cpuUs: number; steal: number; passed: number; summaries: number }> {
  const clock = new FakeClock();
  const section = z.object(noiseOutputShape).parse(s.section);
  let summaries = 0;
  const noise = new NoiseControl([{ name: 'out', options: section }], SilencesSchema.parse(s.silences ?? []), {
    clock,
    metrics: new Metrics({ defaultMetrics: false }),
    log: pino({ level: 'silent' }),
    emit: () => summaries++,
  });
  const dir = s.spool ? mkdtempSync(join(tmpdir(), 'peregrine-bench-noise-')) : undefined;
  const spool = dir ? Spool.open({ dir, maxbytes: 1 << 30, fsync: 'normal' }, pino({ level: 'silent' })) : undefined;
  if (spool) persistNoise(noise, spool, clock.now(), pino({ level: 'silent' }));
  const targets = [{ name: 'out' }];
  // Warm-up: every key seen once (the steady state is repeats within the window).
  for (const a of s.alerts.slice(0, KEYS)) noise.admit(targets, a);
  const machine = machineCpu();
  const cpu = procStats(process.pid).cpuTicks;
  let passed = 0;
  let spent = 0;
  for (let done = 0; done < ALERTS; done += CHUNK) {
    const t0 = performance.now();
    for (let i = done; i < done + CHUNK; i++) passed += (noise.admit(targets, s.alerts[i % s.alerts.length] as Alert) as unknown[]).length;
    spent += performance.now() - t0;
    // Let the spool commit what the chunk journalled (its commit time is not in `spent`: it is off the request path).
    await new Promise((r) => setImmediate(r));
  }
  const cpuUs = ((procStats(process.pid).cpuTicks - cpu) * 10_000) / ALERTS;
  const steal = stealShare(machine, machineCpu());
  await noise.close(false);
  spool?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  return { us: (spent * 1000) / ALERTS, cpuUs, steal, passed, summaries };
}

console.log(`noise control, ${ALERTS.toLocaleString()} alerts per scenario over ${KEYS.toLocaleString()} keys (in-process, one output)\n`);
console.log('| scenario | µs / alert (admit) | CPU µs / alert (process, spool commits included) | passed | summaries | steal % |');
console.log('|---|---|---|---|---|---|');
for (const s of scenarios) {
  const r = await run(s);
  console.log(`| ${s.name} | ${r.us.toFixed(3)} | ${r.cpuUs.toFixed(2)} | ${r.passed} | ${r.summaries} | ${(100 * r.steal).toFixed(1)} |`);
}
