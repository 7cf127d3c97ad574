// Idle RSS of the daemon as the image runs it (node --max-semi-space-size=8 dist/src/main.js, no
// config file: the embedded default, spool in ./data, trail on), and what each part costs: the same
// with one part turned off, or one output on, by env. Each variant starts fresh, answers /ping, gets
// one alert through (so the paths a first alert loads are loaded), then idles; RSS is read after
// `--idle` seconds.
// Then, per build, the packages of node_modules the default config and "+ webhook output" load.
//   node bench/idle-rss.ts [--idle 5] [--runs 3] [--only Elasticsearch]   (after npm run build; BENCH_BASELINE_MAIN as in delivery.ts)
// --only: the variants whose name contains it (and no package lists).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { BUILDS, startDefaultDaemon, startWebhookSink, stopDaemon } from './delivery.ts';

const { values } = parseArgs({ options: { idle: { type: 'string', default: '5' }, runs: { type: 'string', default: '3' }, only: { type: 'string' } } });

const VARIANTS: [string, NodeJS.ProcessEnv][] = [
  ['default config', {}],
  ['+ webhook output', { WITH_WEBHOOK: '1' }],
  // Connected, its healthcheck failing against a closed port, the one alert below its minimum priority.
  [
    '+ Security Hub output',
    { AWSSECURITYHUB_REGION: 'us-east-1', AWSSECURITYHUB_ACCOUNTID: '123456789012', AWSSECURITYHUB_ENDPOINT: 'http://127.0.0.1:9', AWSSECURITYHUB_MINIMUMPRIORITY: 'emergency', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' },
  ],
  // Connected to a closed port, the official client loaded (flavor set), the one alert below its minimum priority.
  ['+ Elasticsearch output', { ELASTICSEARCH_HOSTPORT: 'http://127.0.0.1:9', ELASTICSEARCH_FLAVOR: 'elasticsearch', ELASTICSEARCH_MINIMUMPRIORITY: 'emergency' }],
  // Both undici users at once: the outputs' own HTTP client and the Elasticsearch client's transport.
  ['+ webhook and Elasticsearch outputs', { WITH_WEBHOOK: '1', ELASTICSEARCH_HOSTPORT: 'http://127.0.0.1:9', ELASTICSEARCH_FLAVOR: 'elasticsearch', ELASTICSEARCH_MINIMUMPRIORITY: 'emergency' }],
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
  for (const [variant, env] of VARIANTS.filter(([name]) => values.only === undefined || name.includes(values.only))) {
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

// Which packages still load: once per build, default config and with the webhook, through a loader hook.
const hook = new URL('./loaded-packages.ts', import.meta.url).pathname;
const flags = process.env.BENCH_NODE_FLAGS ?? '';
for (const [variant, env] of values.only === undefined ? VARIANTS.slice(0, 2) : []) {
  for (const [build, main] of BUILDS) {
    const out = join(mkdtempSync(join(tmpdir(), 'peregrine-packages-')), 'packages.json');
    process.env.BENCH_NODE_FLAGS = `${flags} --import ${hook}`;
    await idleRss(main, { ...env, LOADED_PACKAGES_OUT: out }).finally(() => (process.env.BENCH_NODE_FLAGS = flags));
    const packages = JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>;
    console.log(`\n${variant}, ${build}: ${Object.keys(packages).length} packages loaded (modules each):`);
    console.log(Object.entries(packages).map(([name, n]) => `${name} ${n}`).join(', '));
  }
}
