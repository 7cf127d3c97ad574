// Cost of routing one alert through 20 outputs with 5 match conditions each (priority range, rule
// list with a regex, tags, hostname glob, namespace globs): `node bench/routing.ts`.
// Two sets of alerts: varied (most outputs stop at an early condition, as in production) and
// all-match (every condition of every output runs: the worst case).
import { freezeAlert, toAlert, type Alert } from '../src/alert/alert.ts';
import { PRIORITIES } from '../src/alert/priority.ts';
import { Router } from '../src/dispatch/router.ts';
import type { OutputWorker } from '../src/dispatch/worker.ts';
import { compileMatch } from '../src/routing/compile.ts';
import { compileRoute } from '../src/routing/route.ts';
import { machineCpu, stealShare } from './proc.ts';

const INSTANCES = 20;
const routes = Array.from({ length: INSTANCES }, (_, i) => ({
  worker: { name: `out-${i}` } as unknown as OutputWorker,
  filter: compileRoute(
    '',
    compileMatch({
      priority: i % 2 ? '>=warning' : 'notice..critical',
      rule: ['Terminal shell in container', `Rule number ${i}`, '/^Drop and execute/'],
      tags: { any: ['mitre_execution', `T10${i}`] },
      hostname: [`node-${i % 4}*`, 'worker-*'],
      fields: { 'k8s.ns.name': [`team-${i}-*`, 'prod-*', 'payments'] },
    }),
  ),
}));
const router = new Router(routes);

function alert(i: number, allMatch: boolean): Alert {
  return freezeAlert(
    toAlert(
      {
        uuid: `bench-${i}`,
        priority: allMatch ? 'Warning' : (PRIORITIES[i % 8] as string),
        rule: allMatch || i % 3 === 0 ? 'Terminal shell in container' : `Rule number ${i % 25}`,
        time: '2026-11-20T10:21:36.167531875Z',
        source: 'syscall',
        hostname: allMatch ? 'worker-7' : `node-${i % 9}`,
        tags: allMatch || i % 2 ? ['T1059', 'container', 'mitre_execution', 'shell'] : ['T1098', 'container'],
        output: 'A shell was spawned in a container',
        output_fields: {
          'k8s.ns.name': allMatch ? 'prod-eu' : ['default', 'prod-eu', `team-${i % 20}-web`, 'payments', 'kube-system'][i % 5],
          'container.id': '1f0a2e5c8d3b',
          'proc.cmdline': 'sh -c id',
          'evt.time': JSON.rawJSON(String(1700000000167531875n + BigInt(i))),
        },
      },
      () => `id-${i}`,
    ),
  );
}

// The machine is shared: wall time per round swings with other processes. The best round and the
// process's own CPU time per alert are the figures that describe the code; the median shows the load.
function measure(name: string, alerts: Alert[]): void {
  const ROUNDS = 15;
  const REPEAT = 20;
  let taken = 0;
  for (let k = 0; k < 5; k++) for (const a of alerts) taken += router.targets(a).length; // warm up
  taken = 0;
  const cpu = machineCpu();
  const cpu0 = process.cpuUsage();
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    for (let k = 0; k < REPEAT; k++) for (const a of alerts) taken += router.targets(a).length;
    rounds.push(((performance.now() - t0) * 1000) / (REPEAT * alerts.length));
  }
  const used = process.cpuUsage(cpu0);
  const n = ROUNDS * REPEAT * alerts.length;
  const steal = stealShare(cpu, machineCpu());
  rounds.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(10)} best ${(rounds[0] as number).toFixed(2)} µs/alert, median ${(rounds[ROUNDS >> 1] as number).toFixed(2)}, cpu ${((used.user + used.system) / n).toFixed(2)} µs/alert` +
      `  (${INSTANCES} outputs × 5 conditions; ${(taken / n).toFixed(1)} outputs take an alert)  steal ${Number.isNaN(steal) ? 'n/a' : `${(steal * 100).toFixed(1)}%`}`,
  );
}

measure('varied', Array.from({ length: 2000 }, (_, i) => alert(i, false)));
measure('all-match', Array.from({ length: 2000 }, (_, i) => alert(i, true)));
