// `node bench/worker-path.ts`: what the output worker itself costs per alert, with no destination:
// alerts enqueued and sent through an OutputWorker whose plugin answers ok at once (queue, batcher,
// pacer, sender, judge, endings, metrics; no network, no spool, no trail). Per-alert sends
// (batch.maxevents 1, as the webhook) and batches of 200. With --baseline <checkout>, the same runs
// with that checkout's src/ too, taking turns in separate processes: a change to the worker's hot
// path is compared as a ratio within one run.
//   node bench/worker-path.ts [--rounds 3] [--alerts 300000] [--baseline /path/to/other/checkout]
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type * as AlertModule from '../src/alert/alert.ts';
import type * as ClockModule from '../src/dispatch/clock.ts';
import type * as DeadLetterModule from '../src/dispatch/dead-letter.ts';
import type * as WorkerModule from '../src/dispatch/worker.ts';
import type * as MetricsModule from '../src/telemetry/metrics.ts';
import { machineCpu, stealShare } from './proc.ts';

const repo = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    alerts: { type: 'string', default: '300000' },
    baseline: { type: 'string' },
    child: { type: 'string' },
    maxevents: { type: 'string' },
  },
});

if (values.child) {
  console.log(JSON.stringify(await measure(values.child, Number(values.maxevents), Number(values.alerts))));
  process.exit(0);
}

/** CPU µs per alert through the worker of checkout `tree`, after one warm-up pass of the same size. */
async function measure(tree: string, maxevents: number, count: number): Promise<number> {
  const { OutputWorker } = (await import(join(tree, 'src/dispatch/worker.ts'))) as typeof WorkerModule;
  const { Metrics } = (await import(join(tree, 'src/telemetry/metrics.ts'))) as typeof MetricsModule;
  const { MemoryDeadLetterStore } = (await import(join(tree, 'src/dispatch/dead-letter.ts'))) as typeof DeadLetterModule;
  const { freezeAlert, toAlert } = (await import(join(tree, 'src/alert/alert.ts'))) as typeof AlertModule;
  const { systemClock } = (await import(join(tree, 'src/dispatch/clock.ts'))) as typeof ClockModule;
  const { default: pino } = await import('pino');
  const { z } = await import('zod');
  const plugin = { name: 'bench', description: 'answers ok at once', schema: z.object({}), example: {}, enabled: () => true, sendBatch: () => Promise.resolve({ kind: 'ok' as const }) };
  const settings = {
    timeoutms: 10_000,
    maxconcurrency: 4,
    retry: { initialbackoffms: 100, maxbackoffms: 1000, maxattempts: 0, maxagems: 0, probems: 1000 },
    queue: { maxalerts: 10_000_000, maxbytes: 1e12 },
    batch: { maxevents, maxbytes: 1e9, flushms: 0 },
    sendrate: { requestspersecond: 0, burst: 1 },
  };
  const worker = new OutputWorker('bench', plugin, {}, settings, {
    clock: systemClock,
    metrics: new Metrics({ defaultMetrics: false }),
    log: pino({ level: 'silent' }),
    deadLetters: new MemoryDeadLetterStore(10),
    connect: { tls: { cacertfile: '', certfile: '', keyfile: '', mutualcacertfile: '' }, userAgent: 'bench', shared: {} },
    healthIntervalMs: 0,
  });
  await worker.start();
  const alerts = Array.from({ length: 1000 }, (_, i) => freezeAlert(toAlert({ priority: 'Warning', rule: 'r', time: '2026-11-20T10:21:36Z', output_fields: { n: i } }, () => `id-${i}`)));
  // A turn of 1,000 alerts, then the event loop turns (the worker sends at the end of a turn).
  const pass = async () => {
    for (let i = 0; i < count; i += 1000) {
      for (const alert of alerts) worker.enqueue(alert, 500);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await worker.idle();
  };
  await pass();
  const before = process.cpuUsage();
  await pass();
  const used = process.cpuUsage(before);
  await worker.close();
  return (used.user + used.system) / count;
}

const trees: [string, string][] = [['this checkout', repo]];
if (values.baseline) trees.push(['baseline', values.baseline]);
const results = new Map<string, number[]>();
const cpuBefore = machineCpu();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const maxevents of [1, 200]) {
    for (const [name, tree] of round % 2 === 0 ? trees : [...trees].reverse()) {
      const out = execFileSync(process.execPath, [import.meta.filename, '--child', tree, '--maxevents', String(maxevents), '--alerts', values.alerts], { encoding: 'utf8' });
      const key = `${name}|${maxevents}`;
      results.set(key, [...(results.get(key) ?? []), Number(JSON.parse(out.trim()))]);
    }
  }
}
const steal = stealShare(cpuBefore, machineCpu());
console.log(`| build | batch.maxevents | CPU µs per alert, each round | median |\n|---|---|---|---|`);
for (const [key, runs] of results) {
  const [name, maxevents] = key.split('|');
  const median = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)] as number;
  console.log(`| ${name} | ${maxevents} | ${runs.map((r) => r.toFixed(2)).join(' / ')} | ${median.toFixed(2)} |`);
}
console.log(`\nsteal: ${(steal * 100).toFixed(1)} % of the machine's CPU time during the runs`);
