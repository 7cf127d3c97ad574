// `npm run bench`: runs Peregrine as its own process, drives it with wrk (bench/wrk.ts), and points
// its outputs at blackhole sinks in a third process. Prints one markdown table, then queue depths.
// Queues keep their default bounds, so an output slower than ingest sheds and the table says so.
//
//   npm run bench                                  all scenarios, spool off and on, 20 s each
//   npm run bench -- --seconds 5 --scenarios falco,burst --spool off,on,full
// --spool: off, on (fsync: normal) and full (fsync: full).
// BENCH_NODE_FLAGS: extra node flags for the daemon, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
// BENCH_BUILD=0: use the dist/ already built.
//
// Scenarios (docs/performance.md#method):
//   falco      1 keep-alive connection, one request at a time (how Falco's http_output sends)
//   burst      50 connections, single-alert POSTs
//   batched    8 connections, JSON arrays of 100 alerts
//   fanout     burst with every output on, against blackhole sinks (and the real Kafka broker from
//              test/infra when the kafka output exists; BENCH_KAFKA=0 leaves it out)
//   fanout:<output>  fanout with that output alone (fanout:webhook, fanout:awssecurityhub, …): its
//              CPU per 1,000 alerts minus burst's (no output) is what that output costs
//   isolation  fanout with the webhook sink stalled (accepts, never answers)
//   outage     the webhook alone, its sink stalled: the queue bound, shedding and RSS of a long outage
// falco/burst/batched run with no output enabled: they measure ingest alone.
// Issue #18's delivery scenarios run the embedded default config (spool on) plus a webhook; --runs
// repeats each (interleaved where there are several settings):
//   default    wrk 32 connections: accepted vs delivered during the load, shed, spool per --spool
//              (on: the default; off: memory-only) (bench/delivery.ts)
//   falco-default  the same with 1 connection (Falco's one request at a time): reply time
//   recovery   the webhook's receiver 503 for 20 s then 200, 100 alerts/s: delivery delay after
//              recovery, spool per --spool (off/on) (bench/recovery.ts)
//   cores      default under taskset -c 0 vs -c 0,1 (bench/delivery.ts)
// BENCH_BASELINE_MAIN=<other checkout>/dist/src/main.js: the delivery scenarios also run that build, interleaved.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { outputEntries } from '../outputs/index.ts';
import { loadAllOutputs } from '../src/plugin/registry.ts';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { freePort } from '../test/support/daemon.ts';
import { startBenchDaemon } from './daemon.ts';
import { machineCpu, perThreadText, procStats, stealShare, threadTicks } from './proc.ts';
import { histogramQuantile } from './quantile.ts';
import { assertWrk, wrk } from './wrk.ts';
import { coresScenario, defaultScenario } from './delivery.ts';
import { recoveryScenario } from './recovery.ts';
import { f } from './format.ts';

const outputs = await loadAllOutputs(outputEntries);

const repo = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '20' },
    scenarios: { type: 'string', default: 'falco,burst,batched,fanout,isolation,outage,default,recovery,cores' },
    spool: { type: 'string', default: 'off,on' },
    runs: { type: 'string', default: '1' },
  },
});
const SECONDS = Number(values.seconds);
const PRIORITIES = ['Notice', 'Warning', 'Error', 'Critical', 'Informational'] as const;

interface Result {
  scenario: string;
  spool: string;
  alerts: number;
  seconds: number;
  p50: number;
  p99: number;
  p999: number;
  /** The same percentiles inside the daemon (peregrine_ingest_duration_seconds), ms. */
  server?: { p50: number; p99: number };
  rssMiB: number;
  cpuMsPer1000: number;
  /** The same CPU by thread (bench/proc.ts, THREAD_GROUPS): which thread the cost is on. */
  perThread?: string;
  /** The share of the machine's CPU time the hypervisor took while wrk ran (0..1). */
  steal: number;
  delivered?: Record<string, number>;
  dropped?: Record<string, number>;
  /** Queue depth per output, sampled each second of the load. */
  depth?: Record<string, number[]>;
  /** Per output: seconds after the load until its queue was empty (absent: it never was). */
  drainSeconds?: Record<string, number>;
  note?: string;
}

async function startSinks(stall: string): Promise<{ child: ChildProcess; ports: Record<string, number> }> {
  const child = spawn(process.execPath, [join(repo, 'bench/sinks.ts')], { env: { ...process.env, STALL: stall }, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve));
  return { child, ports: (JSON.parse(first) as { ports: Record<string, number> }).ports };
}

// The broker starts on the first fan-out run (after the ingest-only scenarios, which an idle JVM
// beside them measurably disturbs: Falco-like p99 4.1 ms with it running, 2.2 ms without) and is
// stopped at the end when this run started it.
let startedKafka = false;
async function kafkaBootstrap(): Promise<string | undefined> {
  if (process.env.BENCH_KAFKA === '0' || !outputs.some((o) => o.name === 'kafka')) return undefined;
  const { running, useInfra } = await import('../test/infra/state.ts');
  if (!running('kafka')) startedKafka = true;
  const kafka = await useInfra<{ bootstrap: { plaintext: string } }>('kafka');
  return kafka.bootstrap.plaintext;
}

function configYaml(port: number, spool: string, sinks: Record<string, number> | undefined, kafka: string | undefined, only?: string): string {
  const lines = [`listenaddress: 127.0.0.1`, `listenport: ${port}`, `loglevel: warn`, `stdout:`, `  enabled: false`];
  if (spool !== 'off') {
    lines.push(`spool:`, `  enabled: true`, `  dir: ${mkdtempSync(join(tmpdir(), 'peregrine-bench-'))}`, `  maxbytes: 4294967296`, `  fsync: ${spool === 'full' ? 'full' : 'normal'}`);
  } else {
    lines.push(`spool:`, `  enabled: false`); // memory-only mode (the spool is on by default)
  }
  if (sinks) {
    const has = (name: string) => outputs.some((o) => o.name === name) && (only === undefined || only === name);
    if (has('webhook')) lines.push('webhook:', `  address: http://127.0.0.1:${sinks.webhook}/events`);
    if (has('elasticsearch')) lines.push('elasticsearch:', `  hostport: http://127.0.0.1:${sinks.es}`);
    if (has('splunk')) lines.push('splunk:', `  hostport: http://127.0.0.1:${sinks.hec}`, '  token: bench');
    if (has('awssecurityhub')) {
      lines.push('awssecurityhub:', '  region: us-east-1', '  accountid: "123456789012"', `  endpoint: http://127.0.0.1:${sinks.securityhub}`);
      lines.push('  maxcallspersecond: 1000', '  burstcalls: 1000');
    }
    if (kafka && has('kafka')) lines.push('kafka:', `  hostport: ${kafka}`, `  topic: bench-${Date.now()}`, '  topiccreation: true');
  }
  return `${lines.join('\n')}\n`;
}

const startDaemon = (configFile: string, port: number) =>
  startBenchDaemon(join(repo, 'dist/src/main.js'), configFile, port, { env: { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' } });

// Falco sends no uuid: each accepted alert gets a fresh one, although wrk cycles through these bodies.
const falcoBody = (i: number) => falcoAlertJson(i, PRIORITIES[i % PRIORITIES.length]).replace(/^\{"uuid":"[^"]*",/, '{');
const SINGLE_BODIES = Array.from({ length: 1000 }, (_, i) => falcoBody(i));
const BATCH_BODIES = Array.from({ length: 100 }, (_, b) => `[${Array.from({ length: 100 }, (_, k) => falcoBody(b * 100 + k)).join(',')}]`);

interface Counts {
  delivered: Record<string, number>;
  dropped: Record<string, number>;
  queue: Record<string, number>;
  /** Queued plus in flight, per output. */
  pending: Record<string, number>;
}

const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

async function metricsOf(port: number, scraped?: string): Promise<Counts> {
  const text = scraped ?? (await scrape(port));
  const c: Counts = { delivered: {}, dropped: {}, queue: {}, pending: {} };
  const add = (into: Record<string, number>, output: string, n: number) => (into[output] = (into[output] ?? 0) + n);
  for (const line of text.split('\n')) {
    const m = /^(peregrine_delivered_total|peregrine_dropped_total|peregrine_queue_alerts|peregrine_inflight_alerts)\{output="([^"]+)"[^}]*\} ([\d.e+]+)/.exec(line);
    if (!m) continue;
    const [, name, output, value] = m as unknown as [string, string, string, string];
    if (name === 'peregrine_delivered_total') add(c.delivered, output, Number(value));
    else if (name === 'peregrine_dropped_total') add(c.dropped, output, Number(value));
    else {
      if (name === 'peregrine_queue_alerts') add(c.queue, output, Number(value));
      add(c.pending, output, Number(value));
    }
  }
  return c;
}

/** The daemon's memory now, MiB: RSS (bench/proc.ts), and the V8 heap used and external memory (from its /metrics text). */
function memoryOf(pid: number, text: string): Record<string, number> {
  const rss = procStats(pid).rssKiB / 1024;
  const gauge = (name: string) => Number(new RegExp(`^${name} ([\\d.e+]+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { 'RSS MiB': rss, 'heap used MiB': gauge('nodejs_heap_size_used_bytes'), 'external MiB': gauge('nodejs_external_memory_bytes') };
}

/** Reads every output's queue depth, and the daemon's memory, once a second while the load runs. */
function sampleQueueDepth(port: number, pid: number): { stop(): Promise<Record<string, number[]>> } {
  const series: Record<string, number[]> = {};
  let running = true;
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, 1000));
      if (!running) break;
      try {
        const text = await scrape(port);
        for (const [output, n] of Object.entries((await metricsOf(port, text)).queue)) (series[output] ??= []).push(n);
        for (const [what, n] of Object.entries(memoryOf(pid, text))) (series[what] ??= []).push(Math.round(n));
      } catch {
        // a missed sample (the daemon busy past fetch's patience) leaves a gap, not a failed run
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return series;
    },
  };
}

async function run(scenario: string, spool: string): Promise<Result> {
  // fanout:<output> runs fanout with that output alone: its cost is the difference from burst's.
  const alone = scenario.startsWith('fanout:') ? scenario.slice('fanout:'.length) : undefined;
  const fan = scenario === 'fanout' || scenario === 'isolation' || scenario === 'outage' || alone !== undefined;
  // isolation and outage stall the webhook sink; outage runs the webhook alone.
  const stalled = scenario === 'isolation' || scenario === 'outage' ? 'webhook' : undefined;
  const only = scenario === 'outage' ? 'webhook' : alone;
  const sinks = fan ? await startSinks(stalled ?? '') : undefined;
  const kafka = fan && (only === undefined || only === 'kafka') ? await kafkaBootstrap() : undefined;
  const port = await freePort();
  const configFile = join(mkdtempSync(join(tmpdir(), 'peregrine-bench-')), 'peregrine.yaml');
  writeFileSync(configFile, configYaml(port, spool, sinks?.ports, kafka, only));
  const daemon = await startDaemon(configFile, port);
  const pid = daemon.pid as number;
  try {
    const before = procStats(pid);
    const threadsBefore = threadTicks(pid);
    const [connections, perRequest] = scenario === 'falco' ? [1, 1] : scenario === 'batched' ? [8, 100] : [50, 1];
    const depth = fan ? sampleQueueDepth(port, pid) : undefined;
    const machineBefore = machineCpu();
    const measured = await wrk(`http://127.0.0.1:${port}/`, { connections, seconds: SECONDS, bodies: perRequest === 1 ? SINGLE_BODIES : BATCH_BODIES });
    const steal = stealShare(machineBefore, machineCpu());
    const depthSeries = await depth?.stop();
    if (measured.errors) throw new Error(`${measured.errors} requests were not answered 2xx`);
    const metricsText = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const inDaemonMs = (q: number) => 1000 * histogramQuantile(metricsText, 'peregrine_ingest_duration_seconds', q);
    const result: Result = {
      scenario,
      spool: spool === 'full' ? 'on, fsync full' : spool,
      alerts: measured.requests * perRequest,
      seconds: measured.seconds,
      p50: measured.p50,
      p99: measured.p99,
      p999: measured.p999,
      server: { p50: inDaemonMs(0.5), p99: inDaemonMs(0.99) },
      rssMiB: 0,
      cpuMsPer1000: 0,
      steal,
      ...(depthSeries ? { depth: depthSeries } : {}),
    };
    // Alerts the trail left out while its writer was behind (src/trail/sqlite-store.ts): visible here, as on /metrics.
    const untracked = [...metricsText.matchAll(/^peregrine_trail_untracked_alerts_total\{[^}]*\} ([\d.e+]+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    if (untracked > 0) result.note = `trail left out ${f(untracked)} alerts`;
    if (fan) {
      // Let the queues drain (the stalled output's never will), noting when each output's did: its
      // delivered rate is what it delivered over the load plus its own drain time.
      const drainStart = performance.now();
      const drained: Record<string, number> = {};
      let m = await metricsOf(port);
      for (;;) {
        const elapsed = (performance.now() - drainStart) / 1000;
        for (const [output, n] of Object.entries(m.pending)) if (n === 0 && drained[output] === undefined) drained[output] = elapsed;
        const waiting = Object.keys(m.pending).filter((output) => output !== stalled && drained[output] === undefined);
        if (waiting.length === 0 || elapsed > 120) break;
        await new Promise((r) => setTimeout(r, 250));
        m = await metricsOf(port);
      }
      result.drainSeconds = drained;
      result.delivered = Object.fromEntries(Object.entries(m.delivered).filter(([output]) => output !== stalled));
      result.dropped = m.dropped;
      if (!kafka && only === undefined) result.note = [result.note, 'no kafka'].filter(Boolean).join('; ');
    }
    const after = procStats(pid);
    const ticksPerSecond = 100;
    result.rssMiB = after.rssPeakKiB / 1024;
    result.cpuMsPer1000 = (((after.cpuTicks - before.cpuTicks) / ticksPerSecond) * 1000) / (result.alerts / 1000);
    result.perThread = perThreadText(threadsBefore, threadTicks(pid), result.alerts);
    return result;
  } finally {
    // SIGTERM first, so that a --cpu-prof in BENCH_NODE_FLAGS is written; a drain that waits on a
    // stalled sink is cut short.
    const exited = new Promise((resolve) => daemon.once('exit', resolve));
    daemon.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    daemon.kill('SIGKILL');
    sinks?.child.kill('SIGTERM');
  }
}

assertWrk();
// The image runs the compiled dist/ (Dockerfile), so the bench does too: `npm start` strips types at
// load, which costs ~28 MiB of RSS for the TypeScript parser's wasm and is not what ships.
// BENCH_BUILD=0 reuses the dist/ already built (profiling loops).
const build = process.env.BENCH_BUILD === '0' ? { status: 0 } : spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) throw new Error('npm run build failed');
const DELIVERY_SCENARIOS = new Set(['default', 'falco-default', 'recovery', 'cores']);
const scenarios = (values.scenarios ?? '').split(',');
const results: Result[] = [];
for (const scenario of scenarios.filter((s) => !DELIVERY_SCENARIOS.has(s))) {
  for (const spool of (values.spool ?? '').split(',')) {
    process.stderr.write(`bench: ${scenario}, spool ${spool}, ${SECONDS} s …\n`);
    try {
      results.push(await run(scenario, spool));
    } catch (err) {
      process.stderr.write(`bench: ${scenario}, spool ${spool} FAILED: ${(err as Error).message}\n`);
      results.push({ scenario, spool, alerts: NaN, seconds: NaN, p50: NaN, p99: NaN, p999: NaN, rssMiB: NaN, cpuMsPer1000: NaN, steal: NaN, note: 'failed: see stderr' });
    }
  }
}

if (startedKafka) spawnSync('bash', [join(repo, 'test/infra/infra.sh'), 'kafka', 'stop'], { stdio: ['ignore', 'ignore', 'inherit'] });

const machine = `Peregrine ${JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version} on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, wrk on the same machine`;
if (results.length) printTable();
const runs = Number(values.runs);
const spools = (values.spool ?? '').split(',').filter((s): s is 'on' | 'off' => s === 'on' || s === 'off');
if (scenarios.some((s) => DELIVERY_SCENARIOS.has(s))) console.log(`\n${machine}`);
if (scenarios.includes('default')) await defaultScenario(SECONDS, runs, 32, spools);
if (scenarios.includes('falco-default')) await defaultScenario(SECONDS, runs, 1, spools);
if (scenarios.includes('recovery')) await recoveryScenario(spools, runs);
if (scenarios.includes('cores')) await coresScenario(SECONDS, runs);

function printTable(): void {
  console.log(`\n${machine}, ${SECONDS} s per run, default queue bounds\n`);
  console.log('| scenario | spool | alerts/s accepted | p50 ms | p99 ms | p99.9 ms | in daemon p50 / p99 ms | peak RSS MiB | CPU ms / 1000 alerts | steal % | delivered alerts/s per output (shed) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const parts = [
      ...Object.entries(r.delivered ?? {}).map(([o, n]) => `${o} ${f(n / (r.seconds + (r.drainSeconds?.[o] ?? NaN)))}${r.dropped?.[o] ? ` (${f(r.dropped[o])} shed)` : ''}`),
      ...Object.entries(r.dropped ?? {})
        .filter(([o]) => r.delivered?.[o] === undefined)
        .map(([o, n]) => `${o} stalled: ${f(n)} shed`),
      ...(r.note ? [`(${r.note})`] : []),
    ];
    const perOutput = parts.join(', ');
    console.log(`| ${r.scenario} | ${r.spool} | ${f(r.alerts / r.seconds)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.p999, 2)} | ${f(r.server?.p50 ?? NaN, 2)} / ${f(r.server?.p99 ?? NaN, 2)} | ${f(r.rssMiB)} | ${f(r.cpuMsPer1000)} | ${f(100 * r.steal, 1)} | ${perOutput} |`);
  }
  console.log('\nCPU ms per 1,000 alerts by thread (load and drain):\n');
  for (const r of results) if (r.perThread) console.log(`${r.scenario}, spool ${r.spool}: ${r.perThread}`);
  const depths = results.filter((r) => r.depth && Object.keys(r.depth).length);
  if (depths.length) {
    console.log('\nQueue depth (alerts) per output, and the daemon\'s memory, sampled each second of the load:\n');
    for (const r of depths) {
      console.log(`${r.scenario}, spool ${r.spool}:`);
      for (const [output, series] of Object.entries(r.depth ?? {})) console.log(`  ${output.padEnd(15)} max ${f(Math.max(...series)).padStart(7)}  ${series.map((n) => f(n)).join(' ')}`);
    }
  }
}
