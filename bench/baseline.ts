// What this machine can do at all. First its stalls (bench/stalls.ts): how often it takes a CPU
// away from a thread that never sleeps, and the wait that implies at p99 for any request. Then
// servers driven exactly like bench/run.ts (wrk, the same alert bodies):
//   node:http  a bare server that reads the body and answers 200
//   fastify    fastify with one POST route that reads the body and answers 200 (Peregrine's framework)
//   nginx      when installed (apt-get install nginx-light): one worker answering 200, a C server on
//              the same sockets, i.e. what this machine allows any server
//   ping-pong  two processes bouncing 100 bytes over loopback TCP: the cost of waking the other side,
//              unpinned and (with taskset) with both on one CPU
// `npm run bench:baseline` — the floor under every per-request figure in docs/performance.md.
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { falcoAlertJson } from '../test/support/alerts.ts';
import { freePort } from '../test/support/daemon.ts';
import { machineCpu, procStats, stealShare } from './proc.ts';
import { measureStalls, stalledShare, waitQuantile } from './stalls.ts';
import { assertWrk, wrk } from './wrk.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
type Kind = 'node:http' | 'fastify';

async function serve(kind: Kind): Promise<number> {
  if (kind === 'node:http') {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }
  const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/', (_request, reply) => reply.code(200).send());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as AddressInfo).port;
}

/** Round trips over loopback between this process and a forked echo; µs per round trip and per write(). */
async function pingPong(rounds = 5_000): Promise<{ rttUs: number; writeUs: number }> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const child = fork(new URL(import.meta.url).pathname, ['echo', String((server.address() as AddressInfo).port)]);
  const socket = await new Promise<Socket>((resolve) => server.once('connection', resolve));
  socket.setNoDelay(true);
  const message = Buffer.alloc(100, 120);
  let writeMs = 0;
  const started = performance.now();
  // Each round waits for all 100 bytes back, however many chunks they arrive in.
  let received = 0;
  let wake: (() => void) | undefined;
  socket.on('data', (d: Buffer) => {
    received += d.length;
    if (received >= message.length) {
      received -= message.length;
      wake?.();
    }
  });
  for (let i = 0; i < rounds; i++) {
    const answered = new Promise<void>((resolve) => (wake = resolve));
    const t0 = performance.now();
    socket.write(message);
    writeMs += performance.now() - t0;
    await answered;
  }
  const rttUs = ((performance.now() - started) * 1000) / rounds;
  child.kill();
  socket.destroy();
  server.close();
  return { rttUs, writeUs: (writeMs * 1000) / rounds };
}

/** Starts nginx (one worker, daemonised, 127.0.0.1 only) on a free port; undefined when it is not installed. */
function startNginx(port: number): { stop(): void } | undefined {
  if (spawnSync('nginx', ['-v']).error) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-nginx-'));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`).join(' ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1; daemon on; pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http { access_log off; ${temp} keepalive_requests 100000000; keepalive_timeout 600s;
  server { listen 127.0.0.1:${port}; location / { return 200 ""; } } }
`,
  );
  // -e: the error log, from startup on (before the config is read).
  const conf = ['-p', dir, '-e', join(dir, 'error.log'), '-c', join(dir, 'nginx.conf')];
  if (spawnSync('nginx', conf).status !== 0) return undefined;
  return { stop: () => void spawnSync('nginx', [...conf, '-s', 'stop']) };
}

if (process.argv[2] === 'serve') {
  process.send?.(await serve(process.argv[3] as Kind));
} else if (process.argv[2] === 'echo') {
  const socket = connect(Number(process.argv[3]), '127.0.0.1');
  socket.setNoDelay(true);
  socket.on('data', (d) => socket.write(d));
} else if (process.argv[2] === 'ping-pong') {
  console.log(JSON.stringify(await pingPong()));
} else {
  assertWrk();
  const machineBefore = machineCpu();
  const stalls = await measureStalls(SECONDS);
  const steal = stealShare(machineBefore, machineCpu());
  const pct = (share: number) => `${(100 * share).toFixed(2)} %`;
  console.log(`| one thread spinning per vCPU, ${SECONDS} s | time stalled ≥ 0.5 ms | time stalled ≥ 1 ms | longest stall ms |`);
  console.log('|---|---|---|---|');
  stalls.forEach((t, i) => console.log(`| thread ${i + 1} | ${pct(stalledShare(t, 0.5))} | ${pct(stalledShare(t, 1))} | ${Math.max(0, ...t.gaps).toFixed(2)} |`));
  console.log(`\nSteal (CPU time the hypervisor took) while they spun: ${Number.isNaN(steal) ? 'unknown (no /proc/stat)' : pct(steal)}.`);
  console.log(`A request crossing both vCPUs waits on stalls alone ≥ ${waitQuantile(stalls, 0.99).toFixed(2)} ms at p99, ≥ ${waitQuantile(stalls, 0.999).toFixed(2)} ms at p99.9.\n`);
  const bodies = Array.from({ length: 1000 }, (_, i) => falcoAlertJson(i).replace(/^\{"uuid":"[^"]*",/, '{'));
  console.log(`| server | connections | requests/s | p50 ms | p99 ms | p99.9 ms | CPU µs / request |`);
  console.log('|---|---|---|---|---|---|---|');
  for (const kind of ['node:http', 'fastify'] as const) {
    const child = fork(new URL(import.meta.url).pathname, ['serve', kind], { execArgv: ['--max-semi-space-size=8'] });
    const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(p as number)));
    for (const connections of [1, 50]) {
      const before = procStats(child.pid as number).cpuTicks;
      const r = await wrk(`http://127.0.0.1:${port}/`, { connections, seconds: SECONDS, bodies });
      const cpuUs = ((procStats(child.pid as number).cpuTicks - before) * 10_000) / r.requests;
      console.log(`| ${kind} | ${connections} | ${Math.round(r.requests / r.seconds).toLocaleString('en-US')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.p999.toFixed(2)} | ${cpuUs.toFixed(0)} |`);
    }
    child.kill();
  }
  const nginxPort = await freePort();
  const nginx = startNginx(nginxPort);
  if (!nginx) console.log('| nginx | not measured: not installed (apt-get install nginx-light) | | | | | |');
  for (const connections of nginx ? [1, 50] : []) {
    // nginx's CPU is in a worker process we do not track: only latency and rate here.
    const r = await wrk(`http://127.0.0.1:${nginxPort}/`, { connections, seconds: SECONDS, bodies });
    console.log(`| nginx (1 worker) | ${connections} | ${Math.round(r.requests / r.seconds).toLocaleString('en-US')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.p999.toFixed(2)} | |`);
  }
  nginx?.stop();
  console.log('\n| ping-pong over loopback TCP, 100 bytes | round trip µs | socket.write() µs |');
  console.log('|---|---|---|');
  for (const [label, command, args] of [
    ['two processes, scheduled freely', process.execPath, [new URL(import.meta.url).pathname, 'ping-pong']],
    ['both pinned to CPU 0 (taskset)', 'taskset', ['-c', '0', process.execPath, new URL(import.meta.url).pathname, 'ping-pong']],
  ] as const) {
    const run = spawnSync(command, args, { encoding: 'utf8' });
    if (run.status !== 0) {
      console.log(`| ${label} | not measured: ${(run.error?.message ?? run.stderr).trim().split('\n')[0]} | |`);
      continue;
    }
    const r = JSON.parse(run.stdout) as { rttUs: number; writeUs: number };
    console.log(`| ${label} | ${r.rttUs.toFixed(0)} | ${r.writeUs.toFixed(0)} |`);
  }
}
