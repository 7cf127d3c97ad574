// `node bench/spool-commit.ts`: what one spool commit costs a Falco that sends one request at a
// time. Each commit holds one new alert (1.2 KB, two outputs) and the previous alert's two deliveries
// done, as the spool's inline writer commits them in that load (src/spool/batch.ts, the spool's
// schema and pragmas). Per commit: wall time (what the reply waits for) and the process's CPU time;
// the difference is time spent waiting for the disk, which is where a WAL checkpoint's fsyncs go.
// Two diagnostic variants take a part away to show its share; neither is a setting to ship:
// `synchronous = OFF` (no fsync at all: a power loss could corrupt the file) and
// `wal_autocheckpoint = 0` (no checkpoint: the WAL grows without bound).
//   node bench/spool-commit.ts [--commits 20000] [--rounds 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { AckMark } from '../src/spool/ack-mark.ts';
import { BatchWriter } from '../src/spool/batch.ts';
import { SCHEMA_SQL } from '../src/spool/schema.ts';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { machineCpu, stealShare } from './proc.ts';

const { values } = parseArgs({ options: { commits: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '3' } } });
const COMMITS = Number(values.commits);
const WARMUP = 1000;

const VARIANTS: [string, string][] = [
  ['as shipped (synchronous NORMAL, checkpoint every 1,000 WAL pages)', ''],
  ['diagnostic: no fsync (synchronous OFF)', 'PRAGMA synchronous = OFF;'],
  ['diagnostic: no checkpoint (wal_autocheckpoint 0)', 'PRAGMA wal_autocheckpoint = 0;'],
];

function run(pragmas: string): { wallUs: number; cpuUs: number; steal: number } {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-bench-spool-commit-'));
  const path = join(dir, 'peregrine.db');
  const db = new DatabaseSync(path);
  // The spool's own pragmas (src/spool/spool.ts), then the variant's.
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; ${pragmas}`);
  db.exec(SCHEMA_SQL);
  const ackMark = new AckMark(`${path}-acked`);
  const writer = new BatchWriter(db, new BigInt64Array(new SharedArrayBuffer(16)), 1 << 30, ackMark);
  const json = falcoAlertJson(1);
  const outputs = ['webhook', 'stdout'];
  let previous: number | undefined;
  let wall = 0;
  let cpu = process.cpuUsage();
  let machine = machineCpu();
  for (let i = 0; i < COMMITS + WARMUP; i++) {
    if (i === WARMUP) {
      cpu = process.cpuUsage();
      machine = machineCpu();
    }
    const started = performance.now();
    const done = previous === undefined ? [] : outputs.map((o): [string, number] => [o, previous as number]);
    const result = writer.commit({ appends: [{ uuid: `bench-${i}`, rank: 4, receivedAt: Date.now(), bytes: json.length, json, outputs }], spills: [], completes: done, reschedules: [] });
    previous = result.ids[0] ?? undefined;
    if (i >= WARMUP) wall += performance.now() - started;
  }
  const used = process.cpuUsage(cpu);
  const steal = stealShare(machine, machineCpu());
  db.close();
  ackMark.close();
  rmSync(dir, { recursive: true, force: true });
  return { wallUs: (wall * 1000) / COMMITS, cpuUs: (used.user + used.system) / COMMITS, steal };
}

console.log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}, ${COMMITS} commits per run, ${tmpdir()}\n`);
console.log('| variant | round | wall µs / commit | CPU µs / commit | waiting µs / commit | steal % |');
console.log('|---|---|---|---|---|---|');
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const [name, pragmas] of VARIANTS) {
    const r = run(pragmas);
    console.log(`| ${name} | ${round} | ${r.wallUs.toFixed(1)} | ${r.cpuUs.toFixed(1)} | ${Math.max(0, r.wallUs - r.cpuUs).toFixed(1)} | ${(100 * r.steal).toFixed(1)} |`);
  }
}
