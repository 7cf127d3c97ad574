// `node bench/siblings.ts`: whether this machine's vCPUs run as independent cores. A process pinned
// to vCPU 0 parses and serialises Falco alerts (the daemon's kind of work) for a few seconds, alone,
// then while another process keeps vCPU 1 busy: with the same work, or spinning on the clock. If the
// vCPUs were independent cores the rate would not move; if the hypervisor runs them on the two
// hyperthreads of one physical core (the guest cannot see that: lscpu says one thread per core), or
// the host is short of CPU, it falls. Work moved to a second thread of the daemon can only gain what
// the second vCPU really adds. Needs taskset (util-linux) and 2 vCPUs or more.
//   node bench/siblings.ts [--seconds 3] [--rounds 3]
import { spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { machineCpu, stealShare } from './proc.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' }, rounds: { type: 'string', default: '3' }, child: { type: 'string' } } });
const SECONDS = Number(values.seconds);

// The load: the Falco-shaped alert the other benches send.
const ALERT = falcoAlertJson(0);

function work(seconds: number): number {
  const until = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) JSON.stringify(JSON.parse(ALERT));
    n += 100;
  }
  return n / seconds;
}

function spin(seconds: number): void {
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until);
}

if (values.child === 'work') {
  console.log(String(work(SECONDS)));
} else if (values.child === 'spin') {
  spin(SECONDS + 1);
} else if (values.child === 'burn') {
  work(SECONDS + 1);
} else {
  if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0) throw new Error('needs taskset (apt-get install util-linux) and two vCPUs');
  const self = new URL(import.meta.url).pathname;
  const child = (cpu: number, kind: string) => spawn('taskset', ['-c', String(cpu), process.execPath, self, '--child', kind, '--seconds', String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const measure = async (other: 'none' | 'spin' | 'burn'): Promise<{ rate: number; steal: number }> => {
    const neighbour = other === 'none' ? undefined : child(1, other);
    if (neighbour) await new Promise((resolve) => setTimeout(resolve, 300)); // let it start
    const before = machineCpu();
    const worker = child(0, 'work');
    let out = '';
    worker.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => worker.on('exit', resolve));
    const steal = stealShare(before, machineCpu());
    neighbour?.kill();
    return { rate: Number(out.trim()), steal };
  };
  console.log(`alerts parsed and serialised per second on vCPU 0, ${SECONDS} s each, interleaved`);
  console.log('');
  console.log('| round | vCPU 1 idle | vCPU 1 spinning | vCPU 1 doing the same work | spinning / idle | same work / idle | steal % |');
  console.log('|---|---|---|---|---|---|---|');
  for (let round = 1; round <= Number(values.rounds); round++) {
    const idle = await measure('none');
    const spinning = await measure('spin');
    const same = await measure('burn');
    const steal = [idle, spinning, same].map((r) => (r.steal * 100).toFixed(1)).join(' / ');
    const f = (n: number) => Math.round(n).toLocaleString('en');
    console.log(`| ${round} | ${f(idle.rate)} | ${f(spinning.rate)} | ${f(same.rate)} | ${(spinning.rate / idle.rate).toFixed(2)} | ${(same.rate / idle.rate).toFixed(2)} | ${steal} |`);
  }
}
