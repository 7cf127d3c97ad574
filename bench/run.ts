// `npm run bench`: runs Peregrine as its own process and measures it from this one (the load
// generator) against blackhole sinks in a third process. Prints one markdown table.
//
//   npm run bench                                  all scenarios, spool off and on, 20 s each
//   npm run bench -- --seconds 5 --scenarios falco,burst --spool off,on,full
// --spool: off, on (fsync: normal) and full (fsync: full).
//
// Scenarios (DESIGN §8, issue "Benchmarks"):
//   falco      1 keep-alive connection, one request at a time (how Falco's http_output sends)
//   burst      50 connections, single-alert POSTs
//   batched    8 connections, JSON arrays of 100 alerts
//   fanout     burst with every output on, against blackhole sinks (and the real Kafka broker from
//              test/infra when the kafka output exists; BENCH_KAFKA=0 leaves it out)
//   isolation  fanout with the webhook sink stalled (accepts, never answers)
// falco/burst/batched run with no output enabled: they measure ingest alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { outputs } from '../outputs/index.ts';
import { falcoAlertJson } from '../test/support/alerts.ts';

const repo = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '20' },
    scenarios: { type: 'string', default: 'falco,burst,batched,fanout,isolation' },
    spool: { type: 'string', default: 'off,on' },
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
  rssMiB: number;
  cpuMsPer1000: number;
  delivered?: Record<string, number>;
  drainSeconds?: number;
  note?: string;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function procStats(pid: number): { rssPeakKiB: number; cpuTicks: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return { rssPeakKiB: hwm, cpuTicks: Number(stat[11]) + Number(stat[12]) };
}

async function startSinks(stall: string): Promise<{ child: ChildProcess; ports: Record<string, number> }> {
  const child = spawn(process.execPath, [join(repo, 'bench/sinks.ts')], { env: { ...process.env, STALL: stall }, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve));
  return { child, ports: (JSON.parse(first) as { ports: Record<string, number> }).ports };
}

async function kafkaBootstrap(): Promise<string | undefined> {
  if (process.env.BENCH_KAFKA === '0' || !outputs.some((o) => o.name === 'kafka')) return undefined;
  const { useInfra } = await import('../test/infra/state.ts');
  const kafka = await useInfra<{ bootstrap: { plaintext: string } }>('kafka');
  return kafka.bootstrap.plaintext;
}

function configYaml(port: number, spool: string, sinks: Record<string, number> | undefined, kafka: string | undefined): string {
  const lines = [`listenaddress: 127.0.0.1`, `listenport: ${port}`, `loglevel: warn`, `stdout:`, `  enabled: false`];
  if (spool !== 'off') {
    lines.push(`spool:`, `  enabled: true`, `  dir: ${mkdtempSync(join(tmpdir(), 'peregrine-bench-'))}`, `  maxbytes: 4294967296`, `  fsync: ${spool === 'full' ? 'full' : 'normal'}`);
  }
  const queue = ['  queue:', '    maxalerts: 2000000', '    maxbytes: 2147483648'];
  if (sinks) {
    const has = (name: string) => outputs.some((o) => o.name === name);
    lines.push('webhook:', `  address: http://127.0.0.1:${sinks.webhook}/events`, ...queue);
    if (has('elasticsearch')) lines.push('elasticsearch:', `  hostport: http://127.0.0.1:${sinks.es}`, ...queue);
    if (has('splunk')) lines.push('splunk:', `  hostport: http://127.0.0.1:${sinks.hec}`, '  token: bench', ...queue);
    if (has('awssecurityhub')) {
      lines.push('awssecurityhub:', '  region: us-east-1', '  accountid: "123456789012"', `  endpoint: http://127.0.0.1:${sinks.securityhub}`);
      lines.push('  maxcallspersecond: 1000', '  burstcalls: 1000', ...queue);
    }
    if (kafka && has('kafka')) lines.push('kafka:', `  hostport: ${kafka}`, `  topic: bench-${Date.now()}`, '  topiccreation: true', ...queue);
  }
  return `${lines.join('\n')}\n`;
}

async function startDaemon(configFile: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(repo, 'src/main.ts'), '-c', configFile], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr?.on('data', (d: Buffer) => errors.push(d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ping`)).ok) return child;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`daemon did not start:\n${errors.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Drives `connections` loops for SECONDS; each request carries `perRequest` alerts. */
async function load(port: number, connections: number, perRequest: number): Promise<{ alerts: number; seconds: number; latencies: Float64Array }> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  const end = started + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const first = sent;
      sent += perRequest;
      const body =
        perRequest === 1
          ? falcoAlertJson(first, PRIORITIES[first % PRIORITIES.length])
          : `[${Array.from({ length: perRequest }, (_, k) => falcoAlertJson(first + k, PRIORITIES[(first + k) % PRIORITIES.length])).join(',')}]`;
      const t0 = performance.now();
      const res = await pool.request({ path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.body.dump();
      latencies.push(performance.now() - t0);
      if (res.statusCode !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  if (failed) throw new Error(`${failed} requests were not answered 200`);
  return { alerts: sent, seconds, latencies: Float64Array.from(latencies).sort() };
}

async function metricsOf(port: number): Promise<{ delivered: Record<string, number>; queued: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const delivered: Record<string, number> = {};
  let queued = 0;
  for (const line of text.split('\n')) {
    const d = /^peregrine_delivered_total\{output="([^"]+)",duplicate="[^"]+"\} (\d+)/.exec(line);
    if (d) delivered[d[1] as string] = (delivered[d[1] as string] ?? 0) + Number(d[2]);
    const q = /^peregrine_queue_alerts\{output="([^"]+)"\} (\d+)/.exec(line);
    if (q) queued += Number(q[2]);
  }
  return { delivered, queued };
}

async function run(scenario: string, spool: string): Promise<Result> {
  const fan = scenario === 'fanout' || scenario === 'isolation';
  const sinks = fan ? await startSinks(scenario === 'isolation' ? 'webhook' : '') : undefined;
  const kafka = fan ? await kafkaBootstrap() : undefined;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const configFile = join(mkdtempSync(join(tmpdir(), 'peregrine-bench-')), 'peregrine.yaml');
  writeFileSync(configFile, configYaml(port, spool, sinks?.ports, kafka));
  const daemon = await startDaemon(configFile, port);
  const pid = daemon.pid as number;
  try {
    const before = procStats(pid);
    const shape = scenario === 'falco' ? [1, 1] : scenario === 'batched' ? [8, 100] : [50, 1];
    const measured = await load(port, shape[0] as number, shape[1] as number);
    const result: Result = {
      scenario,
      spool: spool === 'full' ? 'on, fsync full' : spool,
      alerts: measured.alerts,
      seconds: measured.seconds,
      p50: percentile(measured.latencies, 50),
      p99: percentile(measured.latencies, 99),
      p999: percentile(measured.latencies, 99.9),
      rssMiB: 0,
      cpuMsPer1000: 0,
    };
    if (fan) {
      // Let the queues drain (the stalled output never will), then read what each output delivered.
      const drainStart = performance.now();
      let m = await metricsOf(port);
      const stalledBacklog = () => (scenario === 'isolation' ? measured.alerts : 0);
      while (m.queued > stalledBacklog() && performance.now() - drainStart < 120_000) {
        await new Promise((r) => setTimeout(r, 250));
        m = await metricsOf(port);
      }
      result.drainSeconds = (performance.now() - drainStart) / 1000;
      result.delivered = m.delivered;
      if (!kafka) result.note = 'no kafka';
    }
    const after = procStats(pid);
    const ticksPerSecond = 100;
    result.rssMiB = after.rssPeakKiB / 1024;
    result.cpuMsPer1000 = (((after.cpuTicks - before.cpuTicks) / ticksPerSecond) * 1000) / (measured.alerts / 1000);
    return result;
  } finally {
    daemon.kill('SIGKILL');
    sinks?.child.kill('SIGTERM');
  }
}

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');

const results: Result[] = [];
for (const scenario of (values.scenarios ?? '').split(',')) {
  for (const spool of (values.spool ?? '').split(',')) {
    process.stderr.write(`bench: ${scenario}, spool ${spool}, ${SECONDS} s …\n`);
    try {
      results.push(await run(scenario, spool));
    } catch (err) {
      process.stderr.write(`bench: ${scenario}, spool ${spool} FAILED: ${(err as Error).message}\n`);
      results.push({ scenario, spool, alerts: NaN, seconds: NaN, p50: NaN, p99: NaN, p999: NaN, rssMiB: NaN, cpuMsPer1000: NaN, note: 'failed: see stderr' });
    }
  }
}

console.log(`\nPeregrine ${JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version} on Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, load generator on the same machine, ${SECONDS} s per run\n`);
console.log('| scenario | spool | alerts/s accepted | p50 ms | p99 ms | p99.9 ms | peak RSS MiB | CPU ms / 1000 alerts | delivered alerts/s per output |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const perOutput = r.delivered
    ? Object.entries(r.delivered)
        .map(([o, n]) => `${o} ${f(n / (r.seconds + (r.drainSeconds ?? 0)))}`)
        .join(', ') + (r.note ? ` (${r.note})` : '')
    : '';
  console.log(`| ${r.scenario} | ${r.spool} | ${f(r.alerts / r.seconds)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.p999, 2)} | ${f(r.rssMiB)} | ${f(r.cpuMsPer1000)} | ${perOutput} |`);
}
