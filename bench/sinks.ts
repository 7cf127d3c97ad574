// Blackhole destinations for the fan-out benchmark, run as their own process so they do not share
// the daemon's or the load generator's event loop. Each answers like the real thing, cheaply:
//   es           → Elasticsearch: `/_bulk` answers one `create: 201` item per action line
//   hec          → Splunk HEC: {"text":"Success","code":0}
//   webhook      → 200
//   securityhub  → BatchImportFindings: all findings succeeded
// One port per sink. STALL=es,hec,... makes those sinks accept requests and never answer.
// Prints `{"ports":{...}}` on stdout when listening, and per-sink request/alert counts on SIGTERM.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const stalled = new Set((process.env.STALL ?? '').split(',').filter(Boolean));
const counts: Record<string, { requests: number; alerts: number }> = {};
const count = (sink: string, alerts: number) => {
  const c = (counts[sink] ??= { requests: 0, alerts: 0 });
  c.requests++;
  c.alerts += alerts;
};

type Sink = 'es' | 'hec' | 'webhook' | 'securityhub';
const handler = (sink: Sink) => (req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '';
    if (stalled.has(sink)) return; // never answers: the output's deadline must fire
    const body = Buffer.concat(chunks).toString('utf8');
    if (sink === 'es' && url.includes('_bulk')) {
      const docs = Math.floor(body.split('\n').filter(Boolean).length / 2);
      count(sink, docs);
      const items = Array.from({ length: docs }, () => '{"create":{"status":201}}').join(',');
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }).end(`{"took":1,"errors":false,"items":[${items}]}`);
    } else if (sink === 'es') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }).end('{"version":{"number":"8.19.0","build_flavor":"default"},"tagline":"You Know, for Search"}');
    } else if (sink === 'hec') {
      count(sink, url.includes('/event') ? body.split('{"time"').length - 1 : 0);
      res.writeHead(200, { 'content-type': 'application/json' }).end(url.includes('health') ? '{"text":"HEC is healthy","code":17}' : '{"text":"Success","code":0}');
    } else if (sink === 'securityhub') {
      const n = url.includes('import') ? (JSON.parse(body || '{"Findings":[]}') as { Findings: unknown[] }).Findings.length : 0;
      count(sink, n);
      res.writeHead(200, { 'content-type': 'application/json' }).end(url.includes('import') ? `{"SuccessCount":${n},"FailedCount":0,"FailedFindings":[]}` : '{"HubArn":"arn:aws:securityhub:us-east-1:123456789012:hub/default"}');
    } else {
      count(sink, 1);
      res.writeHead(200).end();
    }
  });
};

const sinks: Sink[] = ['es', 'hec', 'webhook', 'securityhub'];
const ports: Record<string, number> = {};
await Promise.all(
  sinks.map(
    (sink) =>
      new Promise<void>((resolve) => {
        const server = createServer(handler(sink));
        server.keepAliveTimeout = 60_000;
        server.listen(0, '127.0.0.1', () => {
          ports[sink] = (server.address() as AddressInfo).port;
          resolve();
        });
      }),
  ),
);
console.log(JSON.stringify({ ports }));
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ counts }));
  process.exit(0);
});
