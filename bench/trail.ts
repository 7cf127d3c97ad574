// `node bench/trail.ts`: what the delivery trail costs on the hot path. The same daemon, the same
// load, trail on and off, in one run, alternating: ingest throughput and latency (wrk), the CPU the
// daemon spent per 1000 alerts (all threads; its main thread, the event loop that answers Falco;
// the trail's writer thread), and the machine's steal share while wrk ran (bench/proc.ts). One
// batched output (elasticsearch → the blackhole sink of bench/sinks.ts), so every alert is also
// attempted and settled, which is where the trail records most.
//
//   node bench/trail.ts                          falco + burst, spool off and on, 15 s per run
//   node bench/trail.ts --seconds 10 --scenarios burst --spool on --rounds 2
//   node bench/trail.ts --store 50000            the SQLite trail store alone, in this process: the
//                                                CPU its recorder calls take on the calling (main)
//                                                thread and on its writer thread, per alert, at
//                                                --rate alerts/s (default 5,000)
//   node bench/trail.ts --store 50000 --lag 2500   each delivery 2,500 alerts after its alert, i.e.
//                                                half a second later, after the writer's hold
//   node bench/trail.ts --store 50000 --outputs 5   each alert routed to five outputs (the fan-out's
//                                                shape), each delivering it in a batch of 100
//   node bench/trail.ts --store 200000 --kind memory   the memory store (spool off) instead, each alert
//                                                parsed fresh as ingest does; --kind none: the same
//                                                loop without a trail (what the alerts cost alone)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { freePort } from '../test/support/daemon.ts';
import { startBenchDaemon } from './daemon.ts';
import { machineCpu, procStats, stealShare, threadTicks } from './proc.ts';
import { assertWrk, wrk } from './wrk.ts';
import { f } from './format.ts';
import type { TrailStore } from '../src/trail/store.ts';

const repo = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    scenarios: { type: 'string', default: 'falco,burst' },
    spool: { type: 'string', default: 'off,on' },
    rounds: { type: 'string', default: '1' },
    store: { type: 'string' },
    lag: { type: 'string', default: '0' },
    kind: { type: 'string', default: 'sqlite' },
    outputs: { type: 'string', default: '1' },
    rate: { type: 'string', default: '5000' },
  },
});
const SECONDS = Number(values.seconds);
const PRIORITIES = ['Notice', 'Warning', 'Error', 'Critical', 'Informational'] as const;
// No uuid: each accepted alert gets a fresh one, so every request is a new trail record.
const BODIES = Array.from({ length: 1000 }, (_, i) => falcoAlertJson(i, PRIORITIES[i % PRIORITIES.length]).replace(/^\{"uuid":"[^"]*",/, '{'));

interface Row {
  scenario: string;
  spool: string;
  trail: string;
  rate: number;
  p50: number;
  p99: number;
  p999: number;
  cpuMsPer1000: number;
  mainMsPer1000: number;
  writerMsPer1000: number;
  steal: number;
  delivered: number;
}

async function startSinks(): Promise<{ child: ChildProcess; ports: Record<string, number> }> {
  const child = spawn(process.execPath, [join(repo, 'bench/sinks.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve));
  return { child, ports: (JSON.parse(first) as { ports: Record<string, number> }).ports };
}


async function delivered(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...text.matchAll(/^peregrine_delivered_total\{[^}]*\} ([\d.e+]+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
}

async function run(scenario: string, spool: string, trail: boolean, es: number): Promise<Row> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-bench-trail-'));
  const lines = [
    'listenaddress: 127.0.0.1',
    `listenport: ${port}`,
    'loglevel: warn',
    'spool:',
    `  enabled: ${spool === 'on'}`,
    `  dir: ${join(dir, 'spool')}`,
    '  maxbytes: 4294967296',
    'trail:',
    `  enabled: ${trail}`,
    'elasticsearch:',
    `  hostport: http://127.0.0.1:${es}`,
  ];
  writeFileSync(join(dir, 'peregrine.yaml'), `${lines.join('\n')}\n`);
  const daemon = await startBenchDaemon(join(repo, 'src/main.ts'), join(dir, 'peregrine.yaml'), port);
  try {
    const before = procStats(daemon.pid as number);
    const threadsBefore = threadTicks(daemon.pid as number);
    const machine = machineCpu();
    const connections = scenario === 'falco' ? 1 : 50;
    const m = await wrk(`http://127.0.0.1:${port}/`, { connections, seconds: SECONDS, bodies: BODIES });
    const steal = stealShare(machine, machineCpu());
    if (m.errors) throw new Error(`${m.errors} requests were not answered 2xx`);
    // Let the output catch up, so the CPU counted includes settling (and recording) every alert.
    const deadline = Date.now() + 60_000;
    while ((await delivered(port)) < m.requests && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const after = procStats(daemon.pid as number);
    const threadsAfter = threadTicks(daemon.pid as number);
    return {
      scenario,
      spool,
      trail: trail ? 'on' : 'off',
      rate: m.requests / m.seconds,
      p50: m.p50,
      p99: m.p99,
      p999: m.p999,
      cpuMsPer1000: ((after.cpuTicks - before.cpuTicks) * 10) / (m.requests / 1000),
      mainMsPer1000: ((threadsAfter.main - threadsBefore.main) * 10) / (m.requests / 1000),
      writerMsPer1000: ((threadsAfter['trail writer'] - threadsBefore['trail writer']) * 10) / (m.requests / 1000),
      steal,
      delivered: await delivered(port),
    };
  } finally {
    daemon.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    daemon.kill('SIGKILL');
  }
}

if (values.store !== undefined) {
  const kind = values.kind;
  if (kind !== 'sqlite' && kind !== 'memory' && kind !== 'none') throw new Error(`--kind ${kind}: sqlite, memory or none`);
  await storeCost(Number(values.store), Number(values.lag), kind, Number(values.outputs), Number(values.rate));
  process.exit(0);
}

/**
 * The trail store without HTTP, spool or output: what ingest and an output's worker call for each
 * alert (received, then one delivered attempt in a batch of 100), timed with the calling thread's
 * own CPU clock, the process's (its GC threads too), and the writer thread's CPU from /proc. A load
 * that does not vary with the machine's other jobs, unlike the daemon's throughput. The SQLite store
 * gets alerts parsed beforehand; the memory store (and `none`) gets each parsed when it arrives, as
 * ingest does, so what keeping them costs the garbage collector is counted.
 */
async function storeCost(alerts: number, lag: number, kind: 'sqlite' | 'memory' | 'none', outputCount: number, rate: number): Promise<void> {
  const { default: pino } = await import('pino');
  const { thawAlert } = await import('../src/alert/serialize.ts');
  const { QueueEntry } = await import('../src/dispatch/queue-entry.ts');
  const { ok } = await import('../src/dispatch/result.ts');
  const { Activity } = await import('../src/trail/activity.ts');
  const { Trail } = await import('../src/trail/recorder.ts');
  const { SqliteTrailStore } = await import('../src/trail/sqlite-store.ts');
  const { MemoryTrailStore } = await import('../src/trail/memory-store.ts');
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-bench-trail-store-'));
  const outputs = ['elasticsearch', 'splunk', 'kafka', 'awssecurityhub', 'webhook', 'loki', 'nats', 'smtp'].slice(0, outputCount);
  const explain = () => 'not routed';
  // The trail's defaults (src/trail/config.ts), but for the SQLite store's age: the whole run.
  const store: TrailStore =
    kind === 'sqlite'
      ? new SqliteTrailStore(join(dir, 'peregrine-trail.db'), { maxbytes: 1 << 30, maxagems: 3_600_000, outputs, explain, log: pino({ level: 'silent' }) })
      : new MemoryTrailStore({ maxalerts: 10_000, maxbytes: 32 << 20, outputs, explain });
  const recorder = new Trail(store, new Activity(), { now: () => Date.now(), setTimeout, clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) });
  const trail = kind === 'none' ? undefined : recorder;
  const jsons = Array.from({ length: 1000 }, (_, i) => falcoAlertJson(i));
  const parsed = kind === 'sqlite' ? Array.from({ length: alerts }, (_, i) => thawAlert(falcoAlertJson(i))) : undefined;
  // A window of the last alerts, as the queues hold them until delivered; older ones are let go.
  const list: ReturnType<typeof thawAlert>[] = [];
  const alertAt = (i: number) => (list[i] ??= parsed?.[i] ?? thawAlert((jsons[i % 1000] as string).replace(/"uuid":"[^"]*"/, `"uuid":"bench-${i}"`)));
  const taken = outputs.map((name) => ({ name }));
  const machine = machineCpu();
  const writerBefore = threadTicks(process.pid)['trail writer'];
  let mainUs = 0;
  const processBefore = process.cpuUsage();
  const start = performance.now();
  const deliver = (from: number) => {
    const batch = list.slice(from, from + 100).map((a, j) => new QueueEntry(a, { bytes: 1200, seq: from + j, receivedAt: Date.now(), spoolId: from + j + 1 }));
    for (const output of outputs) trail?.attempted(output, batch, ok(), { delivered: batch, duplicates: 0, deadLetters: [], again: [], alone: [], spentAlone: [], retried: 0 }, Date.now(), 1.5);
    if (!parsed) list.fill(undefined as never, from, from + 100);
  };
  for (let i = 0; i < alerts + lag; i += 100) {
    const cpu = process.threadCpuUsage();
    for (let j = i; j < Math.min(i + 100, alerts); j++) {
      const alert = alertAt(j);
      trail?.received(alert, 1200, Date.now(), taken, '127.0.0.1', j + 1);
    }
    // Each alert's delivery comes `lag` alerts after it (0: in the same batch).
    if (i - lag >= 0) deliver(i - lag);
    const used = process.threadCpuUsage(cpu);
    mainUs += used.user + used.system;
    // At `rate` alerts a second, as a daemon takes them in: unpaced, the SQLite store's writer thread
    // falls behind and leaves alerts out of the trail. The waits also let the store's timer post its
    // batches, as the event loop does between requests.
    const due = start + ((i + 100) / rate) * 1000 - performance.now();
    if (due > 0) await new Promise((r) => setTimeout(r, due));
  }
  const cpu = process.threadCpuUsage();
  await store.ready?.();
  const used = process.threadCpuUsage(cpu);
  mainUs += used.user + used.system;
  const seconds = (performance.now() - start) / 1000;
  const processUsed = process.cpuUsage(processBefore);
  const writerMs = (threadTicks(process.pid)['trail writer'] - writerBefore) * 10;
  const steal = stealShare(machine, machineCpu());
  // The SQLite store leaves new alerts out while its writer thread is behind: a figure per alert is
  // only the trail's cost when every alert was recorded (the memory store keeps its last maxalerts).
  const recorded = kind === 'sqlite' ? store.size().alerts : alerts;
  store.close();
  const what = kind === 'none' ? 'no trail' : `the ${kind === 'sqlite' ? 'SQLite' : 'memory'} trail store`;
  console.log(`\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}: ${alerts} alerts, ${outputs.length} output(s) each, through ${what} in ${seconds.toFixed(1)} s`);
  if (recorded < alerts) console.log(`only ${recorded} of the ${alerts} alerts were recorded (the writer thread fell behind): the figures below are not per recorded alert`);
  console.log('| main thread µs / alert | process µs / alert (all threads) | trail writer µs / alert | steal % |');
  console.log('|---|---|---|---|');
  console.log(`| ${(mainUs / alerts).toFixed(2)} | ${((processUsed.user + processUsed.system) / alerts).toFixed(2)} | ${((writerMs * 1000) / alerts).toFixed(1)} | ${(100 * steal).toFixed(1)} |`);
}

assertWrk();
const sinks = await startSinks();
const rows: Row[] = [];
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const scenario of (values.scenarios ?? '').split(',')) {
      for (const spool of (values.spool ?? '').split(',')) {
        // Alternate which goes first, so a drifting machine does not always favour the same side.
        const order = round % 2 === 0 ? [false, true] : [true, false];
        for (const trail of order) {
          process.stderr.write(`bench: ${scenario}, spool ${spool}, trail ${trail ? 'on' : 'off'}, ${SECONDS} s …\n`);
          rows.push(await run(scenario, spool, trail, sinks.ports.es as number));
        }
      }
    }
  }
} finally {
  sinks.child.kill('SIGTERM');
}

console.log(`\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, wrk on the same machine, ${SECONDS} s per run, one batched output (elasticsearch → blackhole)\n`);
console.log('| scenario | spool | trail | alerts/s | p50 ms | p99 ms | p99.9 ms | daemon CPU ms / 1000 alerts | main thread | trail writer | steal % |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.scenario} | ${r.spool} | ${r.trail} | ${f(r.rate)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.p999, 2)} | ${f(r.cpuMsPer1000)} | ${f(r.mainMsPer1000)} | ${f(r.writerMsPer1000)} | ${f(100 * r.steal, 1)} |`);
}
