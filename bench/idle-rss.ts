// Idle RSS of the daemon as the image runs it (node --max-semi-space-size=8 dist/src/main.js, no
// config file: the embedded default, spool in ./data, trail on), and what each part costs: the same
// with one part turned off by env. Each variant starts fresh, answers /ping, gets one alert through
// (so the paths a first alert loads are loaded), then idles; RSS is read after `--idle` seconds.
//   node bench/idle-rss.ts [--idle 5] [--runs 3]      (after npm run build; BENCH_BASELINE_MAIN as in delivery.ts)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { BUILDS, startDefaultDaemon, startWebhookSink, stopDaemon } from './delivery.ts';

const { values } = parseArgs({ options: { idle: { type: 'string', default: '5' }, runs: { type: 'string', default: '3' } } });

const VARIANTS: [string, NodeJS.ProcessEnv][] = [
  ['default config', {}],
  ['+ webhook output', { WITH_WEBHOOK: '1' }],
  ['trail off', { TRAIL_ENABLED: 'false' }],
  ['spool off (memory-only)', { SPOOL_ENABLED: 'false' }],
  ['spool and trail off', { SPOOL_ENABLED: 'false', TRAIL_ENABLED: 'false' }],
  ['stdout output off too', { SPOOL_ENABLED: 'false', TRAIL_ENABLED: 'false', STDOUT_ENABLED: 'false' }],
];

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

async function idleRss(main: string, env: NodeJS.ProcessEnv): Promise<number> {
  const sink = await startWebhookSink();
  // Without WITH_WEBHOOK the webhook points nowhere it is enabled: WEBHOOK_ADDRESS="" leaves it off.
  const { WITH_WEBHOOK, ...rest } = env;
  const daemon = await startDefaultDaemon(sink.port, { main, env: { ...rest, ...(WITH_WEBHOOK ? {} : { WEBHOOK_ADDRESS: '' }) } });
  try {
    const url = `http://127.0.0.1:${daemon.port}/`;
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: falcoAlertJson(1) });
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, Number(values.idle) * 1000));
    return rssMiB(daemon.child.pid as number);
  } finally {
    await stopDaemon(daemon.child);
    sink.child.kill('SIGTERM');
  }
}

const rows = new Map<string, number[]>();
for (let i = 0; i < Number(values.runs); i++) {
  for (const [variant, env] of VARIANTS) {
    for (const [build, main] of BUILDS) {
      const key = `| ${variant} | ${build} |`;
      rows.set(key, [...(rows.get(key) ?? []), await idleRss(main, env)]);
    }
  }
}
console.log(`\nIdle RSS MiB after one alert and ${values.idle} s idle (${values.runs} runs each, interleaved)\n`);
console.log('| variant | build | RSS MiB (each run) |');
console.log('|---|---|---|');
for (const [key, mib] of rows) console.log(`${key} ${mib.map((m) => m.toFixed(1)).join(', ')} |`);
