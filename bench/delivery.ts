// Issue #18's delivery scenarios (docs/performance.md#delivery): the daemon as a new user runs it —
// no config file, the embedded default (spool on in ./data, trail on, stdout on) plus one webhook
// output set by env — against a fast receiver in another process (bench/webhook-sink.ts).
//   default   wrk, 32 connections: accepted/s against delivered/s *while the load runs*, and what was shed
//   falco-default  the same daemon, wrk with 1 connection (Falco's one request at a time): reply time
//   cores     the same under `taskset -c 0` and `taskset -c 0,1`, interleaved, in one run; wrk and the
//             receiver on CPU 1, i.e. off the 1-core daemon's CPU
// The recovery scenario is bench/recovery.ts.
// BENCH_BASELINE_MAIN=/other/checkout/dist/src/main.js runs every run also against that build,
// interleaved (before/after in one run).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { freePort } from '../test/support/daemon.ts';
import { startBenchDaemon } from './daemon.ts';
import { busyCores, machineCpu, mainThreadRunQueueSeconds, procStats, stealShare, threadTicks } from './proc.ts';
import { histogramQuantile } from './quantile.ts';
import { wrk, type WrkResult } from './wrk.ts';
import { f } from './format.ts';

const repo = join(import.meta.dirname, '..');
/** [label, main script]: this checkout's dist, and the baseline build when BENCH_BASELINE_MAIN names one. */
export const BUILDS: [string, string][] = [
  ...(process.env.BENCH_BASELINE_MAIN ? ([['baseline', process.env.BENCH_BASELINE_MAIN]] as [string, string][]) : []),
  ['this build', join(repo, 'dist/src/main.js')],
];
const PRIORITIES = ['Notice', 'Warning', 'Error', 'Critical', 'Informational'] as const;
// Falco sends no uuid: each accepted alert gets a fresh one, although wrk cycles through these bodies.
export const SINGLE_BODIES = Array.from({ length: 1000 }, (_, i) => falcoAlertJson(i, PRIORITIES[i % PRIORITIES.length]).replace(/^\{"uuid":"[^"]*",/, '{'));

export interface WebhookSink {
  port: number;
  child: ChildProcess;
  count(): Promise<{ alerts: number; refused: number }>;
  failUntil(epochMs: number): Promise<void>;
  arrivals(): Promise<Record<string, number>>;
}

export async function startWebhookSink(options: { cpus?: string; record?: boolean } = {}): Promise<WebhookSink> {
  const node = [process.execPath, join(repo, 'bench/webhook-sink.ts')];
  const [command, ...args] = options.cpus === undefined ? node : ['taskset', '-c', options.cpus, ...node];
  const child = spawn(command as string, args, { env: { ...process.env, RECORD: options.record ? '1' : '0' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve));
  const port = (JSON.parse(first) as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    child,
    count: async () => (await (await fetch(`${base}/count`)).json()) as { alerts: number; refused: number },
    failUntil: async (epochMs) => void (await fetch(`${base}/fail?until=${epochMs}`, { method: 'POST' })).arrayBuffer(),
    arrivals: async () => (await (await fetch(`${base}/arrivals`)).json()) as Record<string, number>,
  };
}

/** The embedded default plus a webhook, by env only (as `docker run -e` would); the spool in a fresh ./data. */
export async function startDefaultDaemon(sinkPort: number, options: { cpus?: string; env?: NodeJS.ProcessEnv; main?: string } = {}): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const env = { LISTENADDRESS: '127.0.0.1', LISTENPORT: String(port), WEBHOOK_ADDRESS: `http://127.0.0.1:${sinkPort}/events`, ...options.env };
  const child = await startBenchDaemon(options.main ?? join(repo, 'dist/src/main.js'), undefined, port, { env, cwd: mkdtempSync(join(tmpdir(), 'peregrine-bench-cwd-')), ...(options.cpus ? { cpus: options.cpus } : {}) });
  return { child, port };
}

export async function stopDaemon(child: ChildProcess): Promise<void> {
  // SIGTERM first, so that a --cpu-prof in BENCH_NODE_FLAGS is written; the drain is cut short.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  child.kill('SIGKILL');
}

/** Sum of peregrine_dropped_total per output. */
export function droppedOf(metricsText: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metricsText.matchAll(/^peregrine_dropped_total\{output="([^"]+)"[^}]*\} ([\d.e+]+)$/gm)) out[m[1] as string] = (out[m[1] as string] ?? 0) + Number(m[2]);
  return out;
}

export interface BurstResult {
  label: string;
  acceptedPerSecond: number;
  /** What the receiver took while wrk ran, per second of wrk's run. */
  deliveredPerSecond: number;
  /** Seconds after the load until the receiver had every accepted alert (NaN: not within 60 s). */
  drainSeconds: number;
  shed: number;
  p50: number;
  p99: number;
  inDaemonP50: number;
  /** p50 of the spool's commits on its writer (peregrine_spool_commit_seconds), ms: the part of a reply's wait that is SQLite's. */
  commitP50: number;
  rssMiB: number;
  /** Daemon CPU time over wrk's wall time: cores in use. */
  coresUsed: number;
  /** Of those, the main thread's (the event loop): near 1, it is what limits; well below, read mainRunQueue. */
  mainCores: number;
  /**
   * The share of wrk's run the main thread was ready but waited for a CPU (preempted by the daemon's
   * other threads, wrk, the receiver). mainCores + this near 1: it wanted a CPU all along; well below
   * 1: it slept, waiting for I/O (the spool's answers, the sockets).
   */
  mainRunQueue: number;
  /** vCPUs busy on the whole machine while wrk ran: the daemon, wrk, the receiver and anything else. */
  machineCoresBusy: number;
  steal: number;
  /** The machine's 1-minute load average at the end of the load: other engineers' work on the same VM. */
  load: number;
}

/** One default-config burst: wrk with `connections` for `seconds`, the daemon on `cpus` (all when undefined). */
export async function burst(label: string, options: { seconds: number; connections: number; main: string; cpus?: string; loadCpus?: string; spool?: 'on' | 'off' }): Promise<BurstResult> {
  const sink = await startWebhookSink(options.loadCpus ? { cpus: options.loadCpus } : {});
  const daemon = await startDefaultDaemon(sink.port, {
    main: options.main,
    ...(options.cpus ? { cpus: options.cpus } : {}),
    ...(options.spool === 'off' ? { env: { SPOOL_ENABLED: 'false' } } : {}),
  });
  try {
    const pid = daemon.child.pid as number;
    const before = procStats(pid);
    const threadsBefore = threadTicks(pid);
    const queuedBefore = mainThreadRunQueueSeconds(pid);
    const machineBefore = machineCpu();
    const sinkBefore = (await sink.count()).alerts;
    const measured = await wrk(`http://127.0.0.1:${daemon.port}/`, { connections: options.connections, seconds: options.seconds, bodies: SINGLE_BODIES, ...(options.loadCpus ? { cpus: options.loadCpus } : {}) });
    const sinkAfter = (await sink.count()).alerts;
    const machineAfter = machineCpu();
    const steal = stealShare(machineBefore, machineAfter);
    const load = loadavg()[0] as number;
    const after = procStats(pid);
    const threadsAfter = threadTicks(pid);
    const queuedAfter = mainThreadRunQueueSeconds(pid);
    if (measured.errors) throw new Error(`${measured.errors} requests were not answered 2xx`);
    const drainStart = performance.now();
    let drainSeconds = NaN;
    while (performance.now() - drainStart < 60_000) {
      if ((await sink.count()).alerts - sinkBefore >= measured.requests) {
        drainSeconds = (performance.now() - drainStart) / 1000;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const metricsText = await (await fetch(`http://127.0.0.1:${daemon.port}/metrics`)).text();
    return {
      label,
      acceptedPerSecond: measured.requests / measured.seconds,
      deliveredPerSecond: (sinkAfter - sinkBefore) / measured.seconds,
      drainSeconds,
      shed: Object.values(droppedOf(metricsText)).reduce((a, b) => a + b, 0),
      p50: measured.p50,
      p99: measured.p99,
      inDaemonP50: 1000 * histogramQuantile(metricsText, 'peregrine_ingest_duration_seconds', 0.5),
      commitP50: 1000 * histogramQuantile(metricsText, 'peregrine_spool_commit_seconds', 0.5),
      rssMiB: procStats(pid).rssPeakKiB / 1024,
      coresUsed: (after.cpuTicks - before.cpuTicks) / 100 / measured.seconds,
      mainCores: (threadsAfter.main - threadsBefore.main) / 100 / measured.seconds,
      mainRunQueue: (queuedAfter - queuedBefore) / measured.seconds,
      machineCoresBusy: busyCores(machineBefore, machineAfter, measured.seconds),
      steal,
      load,
    };
  } finally {
    await stopDaemon(daemon.child);
    sink.child.kill('SIGTERM');
  }
}

export function printBursts(title: string, results: BurstResult[]): void {
  console.log(`\n${title}\n`);
  console.log('| run | accepted/s | delivered/s during load | delivered / accepted | drain after load s | shed | p50 ms | p99 ms | in daemon p50 ms | spool commit p50 ms | peak RSS MiB | daemon cores used | main thread cores | main thread waiting for a CPU | machine cores busy | steal % | load avg |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.label} | ${f(r.acceptedPerSecond)} | ${f(r.deliveredPerSecond)} | ${f((100 * r.deliveredPerSecond) / r.acceptedPerSecond)} % | ${f(r.drainSeconds, 1)} | ${f(r.shed)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.inDaemonP50, 2)} | ${f(r.commitP50, 2)} | ${f(r.rssMiB)} | ${f(r.coresUsed, 2)} | ${f(r.mainCores, 2)} | ${f(r.mainRunQueue, 2)} | ${f(r.machineCoresBusy, 2)} | ${f(100 * r.steal, 1)} | ${f(r.load, 1)} |`,
    );
  }
}

/**
 * `default` (32 connections) or `falco-default` (1): `runs` runs of the default config per build and
 * spool setting (`on`: the default; `off`: memory-only by SPOOL_ENABLED=false), interleaved.
 */
export async function defaultScenario(seconds: number, runs: number, connections = 32, spools: readonly ('on' | 'off')[] = ['on']): Promise<void> {
  const results: BurstResult[] = [];
  const floors: WrkResult[] = [];
  for (let i = 1; i <= runs; i++) {
    // Falco-like: the same wrk against a bare node:http server in each run, the floor of the reply time.
    if (connections === 1) {
      process.stderr.write(`bench: bare node:http, 1 connection, ${i}/${runs}, ${seconds} s …\n`);
      floors.push(await floorRun(seconds));
    }
    for (const [build, main] of BUILDS) {
      for (const spool of spools) {
        process.stderr.write(`bench: default, ${connections} connection(s), ${build}, spool ${spool}, ${i}/${runs}, ${seconds} s …\n`);
        results.push(await burst(`${build}, spool ${spool} #${i}`, { seconds, connections, main, spool }));
      }
    }
  }
  printBursts(`${connections === 1 ? 'falco-default' : 'default'}: embedded default config (spool, trail, stdout) + webhook to a fast receiver, wrk ${connections} connection(s), ${seconds} s`, results);
  if (floors.length === 0) return;
  console.log(`\nbare node:http (reads the body, answers 200), the same wrk, one run before each round: ${floors.map((r) => `${f(r.requests / r.seconds)}/s p50 ${f(r.p50, 2)} ms`).join('; ')}`);
  const perRound = results.length / runs;
  console.log(`p50 above that run's floor (target ≤ 0.1 ms): ${results.map((r, k) => `${r.label} +${f(r.p50 - (floors[Math.floor(k / perRound)] as WrkResult).p50, 2)}`).join('; ')}`);
}

/** wrk on one connection against `npm run bench:baseline`'s bare node:http server, in a process of its own: what any Node server's reply takes here. */
async function floorRun(seconds: number): Promise<WrkResult> {
  const server = fork(join(repo, 'bench/baseline.ts'), ['serve', 'node:http'], { execArgv: ['--max-semi-space-size=8'] });
  try {
    const port = await new Promise<number>((resolve) => server.once('message', (p) => resolve(p as number)));
    return await wrk(`http://127.0.0.1:${port}/`, { connections: 1, seconds, bodies: SINGLE_BODIES });
  } finally {
    server.kill('SIGTERM');
  }
}

/** `cores`: the daemon on CPU 0, then on CPUs 0 and 1, `pairs` times interleaved; wrk and the receiver on CPU 1. */
export async function coresScenario(seconds: number, pairs: number): Promise<void> {
  const one = new Map<string, BurstResult[]>(BUILDS.map(([build]) => [build, []]));
  const two = new Map<string, BurstResult[]>(BUILDS.map(([build]) => [build, []]));
  const all: BurstResult[] = [];
  for (let i = 1; i <= pairs; i++) {
    for (const [build, main] of BUILDS) {
      process.stderr.write(`bench: cores, ${build}, pair ${i}/${pairs}, ${seconds} s each …\n`);
      const r1 = await burst(`${build}, 1 core (taskset -c 0) #${i}`, { seconds, connections: 32, main, cpus: '0', loadCpus: '1' });
      const r2 = await burst(`${build}, 2 cores (taskset -c 0,1) #${i}`, { seconds, connections: 32, main, cpus: '0,1', loadCpus: '1' });
      one.get(build)?.push(r1);
      two.get(build)?.push(r2);
      all.push(r1, r2);
    }
  }
  printBursts(`cores: the default burst with the daemon on 1 vs 2 CPUs (wrk and the receiver on CPU 1), ${seconds} s each, interleaved`, all);
  for (const [build] of BUILDS) {
    const ones = one.get(build) ?? [];
    const twos = two.get(build) ?? [];
    const ratio = (pick: (r: BurstResult) => number) => ones.map((r, i) => f(pick(twos[i] as BurstResult) / pick(r), 2)).join(', ');
    console.log(`\n${build}: 2-core / 1-core per pair: accepted ${ratio((r) => r.acceptedPerSecond)}; delivered during load ${ratio((r) => r.deliveredPerSecond)}`);
    // The 1-CPU run kept `machineCoresBusy` vCPUs busy at its rate: the daemon's CPU per alert plus
    // wrk's and the receiver's. On 2 vCPUs no split of the daemon's work, however perfect and free,
    // gets past 2 / machineCoresBusy times that rate (docs/performance-history.md, round 17).
    // The main thread's cores plus its time waiting for a CPU (the table's columns) near 1: the
    // event loop wanted a CPU all along, and the other threads and processes took it (round 23).
    console.log(`${build}: main thread cores per pair, 1 CPU / 2 CPUs: ${ones.map((r, i) => `${f(r.mainCores, 2)} / ${f((twos[i] as BurstResult).mainCores, 2)}`).join(', ')}`);
    console.log(`${build}: the most 2 vCPUs allow per pair (2 / machine cores busy in the 1-CPU run): ${ones.map((r) => f(2 / r.machineCoresBusy, 2)).join(', ')}`);
  }
}
