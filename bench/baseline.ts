// What this machine can do at all: a bare node:http server that reads the body and answers 200,
// driven by the same load generator shape as bench/run.ts (50 connections, single-alert POSTs).
// `node bench/baseline.ts` — the ceiling every per-request figure in the README is bounded by.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { falcoAlertJson } from '../test/support/alerts.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const { fork } = await import('node:child_process');
if (process.argv[2] === 'server') {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send?.((server.address() as AddressInfo).port));
} else {
  const child = fork(new URL(import.meta.url).pathname, ['server']);
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(p as number)));
  for (const connections of [1, 50]) {
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections });
    let n = 0;
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < end) {
          const res = await pool.request({ path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: falcoAlertJson(n++) });
          await res.body.dump();
        }
      }),
    );
    console.log(`bare node:http, ${connections} connection(s): ${Math.round(n / SECONDS).toLocaleString('en-US')} requests/s`);
    await pool.close();
  }
  child.kill();
}
