// A webhook receiver for the delivery scenarios (bench/delivery.ts, bench/recovery.ts), run as its
// own process. It counts the alerts it took, can answer 503 until a given time (an outage), and
// keeps each alert's first successful arrival time (Date.now(), the same clock as the bench's) by
// its Idempotency-Key, i.e. its uuid, when started with RECORD=1.
//   POST <any path>      an alert: 503 while failing, else 200
//   GET  /count          {"alerts": taken, "refused": answered 503}
//   POST /fail?until=MS  answer 503 until that epoch time (ms)
//   GET  /arrivals       {"<uuid>": first 200 at (epoch ms), …}
// Prints `{"port":N}` on stdout when listening. Exits when its stdin closes: the bench that started it
// is gone, even when it failed before it could stop this (a daemon that did not start).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let alerts = 0;
let refused = 0;
let failUntil = 0;
const arrivals = new Map<string, number>();
const record = process.env.RECORD === '1';

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://sink');
  if (req.method === 'GET' && url.pathname === '/count') return void res.end(JSON.stringify({ alerts, refused }));
  if (req.method === 'GET' && url.pathname === '/arrivals') return void res.end(JSON.stringify(Object.fromEntries(arrivals)));
  if (req.method === 'POST' && url.pathname === '/fail') {
    failUntil = Number(url.searchParams.get('until'));
    return void res.end();
  }
  req.resume();
  req.on('end', () => {
    const now = Date.now();
    if (now < failUntil) {
      refused++;
      return void res.writeHead(503).end();
    }
    alerts++;
    const key = req.headers['idempotency-key'];
    if (record && typeof key === 'string' && !arrivals.has(key)) arrivals.set(key, now);
    res.writeHead(200).end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('close', () => process.exit(0)).resume();
