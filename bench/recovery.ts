// Issue #18's recovery scenario (docs/performance.md#delivery): the default config plus a webhook
// whose receiver answers 503 for `outage` seconds, then 200; alerts are posted at 100/s throughout
// (one keep-alive connection, as Falco) and for `tail` seconds after. Per alert delivered, the delay
// is its first 200 at the receiver minus max(posted at, recovery): for an alert queued during the
// outage, how long after recovery it arrived; for one posted after, its end-to-end time.
// Both clocks are Date.now() on the same machine.
import { falcoAlertJson } from '../test/support/alerts.ts';
import { BUILDS, droppedOf, startDefaultDaemon, startWebhookSink, stopDaemon } from './delivery.ts';
import { loadavg } from 'node:os';
import { machineCpu, stealShare } from './proc.ts';
import { f } from './format.ts';

const RATE = 100;

interface RecoveryResult {
  spool: string;
  posted: number;
  /** Posted before recovery: queued (and refused 503 by the receiver) when it came back. */
  queuedAtRecovery: number;
  delivered: number;
  /** Recovery to the first alert the receiver took, s. */
  firstAfter: number;
  /** Recovery to the last queued alert delivered, s. */
  backlogDone: number;
  p50: number;
  p99: number;
  max: number;
  shed: number;
  steal: number;
  load: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

async function recoveryRun(spool: string, main: string, outageSeconds: number, tailSeconds: number): Promise<RecoveryResult> {
  const sink = await startWebhookSink({ record: true });
  const daemon = await startDefaultDaemon(sink.port, { main, ...(spool.startsWith('off') ? { env: { SPOOL_ENABLED: 'false' } } : {}) });
  try {
    const machineBefore = machineCpu();
    const start = Date.now();
    const recovery = start + outageSeconds * 1000;
    await sink.failUntil(recovery);
    const postedAt = new Map<string, number>();
    const url = `http://127.0.0.1:${daemon.port}/`;
    const total = (outageSeconds + tailSeconds) * RATE;
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const uuid = `recovery-${start}-${i}`;
      const body = falcoAlertJson(i).replace(/^\{"uuid":"[^"]*",/, `{"uuid":"${uuid}",`);
      postedAt.set(uuid, Date.now());
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`POST / answered ${res.status}`);
    }
    const deadline = Date.now() + 30_000;
    while ((await sink.count()).alerts < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const steal = stealShare(machineBefore, machineCpu());
    const load = loadavg()[0] as number;
    const arrivals = await sink.arrivals();
    const delays: number[] = [];
    let firstAfter = Infinity;
    let backlogDone = 0;
    let queuedAtRecovery = 0;
    for (const [uuid, posted] of postedAt) {
      if (posted < recovery) queuedAtRecovery++;
      const at = arrivals[uuid];
      if (at === undefined) continue;
      delays.push(at - Math.max(posted, recovery));
      firstAfter = Math.min(firstAfter, at - recovery);
      if (posted < recovery) backlogDone = Math.max(backlogDone, at - recovery);
    }
    delays.sort((a, b) => a - b);
    const shed = Object.values(droppedOf(await (await fetch(`${url}metrics`)).text())).reduce((a, b) => a + b, 0);
    return {
      spool,
      posted: total,
      queuedAtRecovery,
      delivered: delays.length,
      firstAfter: firstAfter / 1000,
      backlogDone: backlogDone / 1000,
      p50: quantile(delays, 0.5) / 1000,
      p99: quantile(delays, 0.99) / 1000,
      max: (delays.at(-1) ?? NaN) / 1000,
      shed,
      steal,
      load,
    };
  } finally {
    await stopDaemon(daemon.child);
    sink.child.kill('SIGTERM');
  }
}

/** `recovery`: for each spool setting, `runs` runs, interleaved. */
export async function recoveryScenario(spools: ('on' | 'off')[], runs: number, outageSeconds = 20, tailSeconds = 5): Promise<void> {
  const results: RecoveryResult[] = [];
  for (let i = 1; i <= runs; i++) {
    for (const spool of spools) {
      for (const [build, main] of BUILDS) {
        const label = BUILDS.length > 1 ? `${spool}, ${build}` : spool;
        process.stderr.write(`bench: recovery, spool ${label}, run ${i}/${runs}, ${outageSeconds + tailSeconds} s …\n`);
        results.push(await recoveryRun(label, main, outageSeconds, tailSeconds));
      }
    }
  }
  console.log(`\nrecovery: default config + webhook; the receiver answers 503 for ${outageSeconds} s, then 200; ${RATE} alerts/s posted for ${outageSeconds + tailSeconds} s (one connection)\n`);
  console.log('| spool | posted | queued at recovery | delivered | first delivery after recovery s | backlog delivered by s | delay p50 s | delay p99 s | delay max s | shed | steal % | load avg |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.spool} | ${f(r.posted)} | ${f(r.queuedAtRecovery)} | ${f(r.delivered)} | ${f(r.firstAfter, 2)} | ${f(r.backlogDone, 2)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${f(r.max, 2)} | ${f(r.shed)} | ${f(100 * r.steal, 1)} | ${f(r.load, 1)} |`);
  }
}
