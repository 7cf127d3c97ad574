// `node bench/console-reads.ts`: what the console's reads cost the event loop on a full trail. The
// trail's and the spool's reads run on the daemon's main thread, so a slow page is a stall for every
// Falco request waiting behind it. It fills a trail through the SQLite store as the daemon does
// (--alerts, default 180,000: about what trail.maxbytes' 256 MiB holds, spread over the last hour;
// 50 rules and a rare one, 10 hosts, five outputs: kafka retrying 1 alert in 1,000, splunk
// dead-lettered 1 in 50, slack suppressed 1 in 3), and a spool with --deadletters dead letters (90 %
// of them webhook's), then times each query the console makes: the first call, and the median of
// five more.
//   node bench/console-reads.ts [--alerts 180000] [--deadletters 100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { freezeAlert, toAlert, type Alert } from '../src/alert/alert.ts';
import { PRIORITIES } from '../src/alert/priority.ts';
import { serializeAlert } from '../src/alert/serialize.ts';
import { Spool } from '../src/spool/spool.ts';
import { SqliteTrailStore } from '../src/trail/sqlite-store.ts';
import type { TrailQuery } from '../src/trail/types.ts';
import { machineCpu, stealShare } from './proc.ts';

const { values } = parseArgs({ options: { alerts: { type: 'string', default: '180000' }, deadletters: { type: 'string', default: '100000' } } });
const ALERTS = Number(values.alerts);
const DEAD_LETTERS = Number(values.deadletters);
const OUTPUTS = ['elasticsearch', 'kafka', 'slack', 'splunk', 'webhook'];
const log = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'peregrine-bench-console-'));
const end = Date.now();
const start = end - 3_600_000;

function alertAt(i: number): Alert {
  return freezeAlert(
    toAlert({
      uuid: `bench-${i}`,
      priority: PRIORITIES[i % 8] as string,
      rule: i % 10_000 === 7 ? 'Rare rule' : `Rule ${i % 50}`,
      time: new Date(start + i * (3_600_000 / ALERTS)).toISOString(),
      hostname: `node-${i % 10}`,
      output: `A shell was spawned in a container with an attached terminal (user=root pid=${i} ${'x'.repeat(400)})`,
      output_fields: { 'k8s.ns.name': `ns-${i % 5}`, 'proc.pid': i, 'container.id': `c${i % 97}`, 'proc.cmdline': 'bash -il' },
    }),
  );
}

/** The output's state for alert i, as the console will filter them. */
function stateOf(output: string, i: number): 'delivered' | 'retrying' | 'dead_lettered' | 'suppressed' {
  if (output === 'kafka' && i % 1000 === 3) return 'retrying';
  if (output === 'splunk' && i % 50 === 1) return 'dead_lettered';
  if (output === 'slack' && i % 3 === 0) return 'suppressed';
  return 'delivered';
}

async function fillTrail(): Promise<SqliteTrailStore> {
  const store = new SqliteTrailStore(join(dir, 'peregrine-trail.db'), { maxbytes: 1 << 30, maxagems: 86_400_000, outputs: OUTPUTS, explain: () => 'not routed', log, now: () => end });
  for (let from = 0; from < ALERTS; from += 100) {
    const batch: string[] = [];
    for (let i = from; i < Math.min(from + 100, ALERTS); i++) {
      const alert = alertAt(i);
      store.received(alert, start + i * (3_600_000 / ALERTS), '10.0.0.1', OUTPUTS, 1200);
      batch.push(alert.uuid);
    }
    for (const output of OUTPUTS) {
      const by = new Map<string, string[]>();
      batch.forEach((uuid, k) => {
        const state = stateOf(output, from + k);
        by.set(state, [...(by.get(state) ?? []), uuid]);
      });
      for (const [state, uuids] of by) {
        const attempt = { at: end, latencyMs: 2, outcome: state === 'delivered' ? 'ok' : 'retry', detail: state, batch: uuids.length } as const;
        if (state === 'suppressed') for (const uuid of uuids) store.state(uuid, output, 'suppressed', end, 'duplicate');
        else store.attempt(uuids, output, attempt, state as 'delivered' | 'retrying' | 'dead_lettered', state === 'delivered' ? undefined : 'down');
      }
    }
    // Wait for the writer now and then: a writer far behind leaves new alerts out of the trail.
    if (from % 5000 === 0) await store.ready();
  }
  await store.ready();
  return store;
}

function fillDeadLetters(): Spool {
  const spool = Spool.open({ dir: join(dir, 'spool'), maxbytes: 4 * 1024 ** 3, fsync: 'normal' }, log, { writer: 'thread' });
  for (let i = 0; i < DEAD_LETTERS; i++) {
    const alert = alertAt(i);
    spool.deadLetter(i % 10 === 0 ? 'slack' : 'webhook', undefined, alert, serializeAlert(alert), 'rejected', 'HTTP 400', 3, end - DEAD_LETTERS + i);
  }
  return spool;
}

/** ms of the first call, and the median of five more. */
function time(run: () => unknown): { first: number; median: number; rows: number } {
  let t = performance.now();
  const result = run();
  const first = performance.now() - t;
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    t = performance.now();
    run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const rows = Array.isArray(result) ? result.length : ((result as { alerts?: unknown[]; buckets?: unknown[] }).alerts ?? (result as { buckets: unknown[] }).buckets).length;
  return { first, median: times[2] as number, rows };
}

const machine = machineCpu();
const filled = performance.now();
const store = await fillTrail();
const spool = fillDeadLetters();
console.log(`\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim()}: a trail of ${store.size().alerts} alerts, ${DEAD_LETTERS} dead letters (filled in ${((performance.now() - filled) / 1000).toFixed(0)} s)`);
console.log('\n| console read | first call ms | median of five ms | rows |');
console.log('|---|---|---|---|');
const list = (q: Omit<TrailQuery, 'limit'>) => () => store.list({ limit: 50, ...q });
const reads: [string, () => unknown][] = [
  ['alerts, newest page', list({})],
  ['alerts, a common rule', list({ rule: 'Rule 7' })],
  ['alerts, a rare rule', list({ rule: 'Rare rule' })],
  ['alerts, a hostname', list({ hostname: 'node-3' })],
  ['alerts, priority critical', list({ priorities: ['critical'] })],
  ['alerts, priority warning and above', list({ priorities: ['warning', 'error', 'critical', 'alert', 'emergency'] })],
  ['alerts, text in every output', list({ text: 'attached terminal' })],
  ['alerts, text in no output', list({ text: 'no such text' })],
  ['alerts, state retrying', list({ state: 'retrying' })],
  ['alerts, kafka retrying', list({ output: 'kafka', state: 'retrying' })],
  ['alerts, splunk dead_lettered', list({ output: 'splunk', state: 'dead_lettered' })],
  ['alerts, state suppressed', list({ state: 'suppressed' })],
  ['alerts, state shed (none)', list({ state: 'shed' })],
  ['alerts, retrying + a rare rule', list({ state: 'retrying', rule: 'Rare rule' })],
  ['alerts, webhook (any state)', list({ output: 'webhook' })],
  ['chart, by priority, last hour', () => store.stats('priority', end - 3_600_000, 60_000)],
  ['chart, by rule, last hour', () => store.stats('rule', end - 3_600_000, 60_000)],
  ['alert, by uuid', () => [store.get('bench-12345')]],
  ['dead letters, newest page', () => spool.deadLetters({ limit: 200 })],
  ['dead letters, webhook', () => spool.deadLetters({ output: 'webhook', limit: 200 })],
  ['dead letters, slack', () => spool.deadLetters({ output: 'slack', limit: 200 })],
  ['dead letters, a rule', () => spool.deadLetters({ rule: 'Rule 7', limit: 200 })],
];
for (const [name, run] of reads) {
  const { first, median, rows } = time(run);
  console.log(`| ${name} | ${first.toFixed(1)} | ${median.toFixed(1)} | ${rows} |`);
}
console.log(`\nsteal ${(100 * stealShare(machine, machineCpu())).toFixed(1)} % over the run`);
store.close();
spool.close();
rmSync(dir, { recursive: true, force: true });
