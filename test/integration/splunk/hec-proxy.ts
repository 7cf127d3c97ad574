// A counting, fault-injecting HTTP proxy in front of the HEC test receiver: it records every
// request's raw bytes (the receiver rounds big integers, so exactness is checked here) and lets a
// test answer a request itself or rewrite its headers before forwarding it.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type ProxyDecision =
  | { kind: 'forward'; headers?: Record<string, string> }
  | { kind: 'answer'; status: number; body: string };

export class HecProxy {
  readonly requests: ProxiedRequest[] = [];
  decide: (req: ProxiedRequest) => ProxyDecision = () => ({ kind: 'forward' });
  private server: Server | undefined;
  port = 0;
  private readonly target: string;

  constructor(target: string) {
    this.target = target;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const proxied: ProxiedRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
        this.requests.push(proxied);
        const decision = this.decide(proxied);
        if (decision.kind === 'answer') {
          res.writeHead(decision.status, { 'content-type': 'application/json' }).end(decision.body);
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
        Object.assign(headers, decision.headers);
        request(`${this.target}${proxied.url}`, { method: proxied.method as 'POST', headers, body: proxied.body.length ? proxied.body : null })
          .then(async (up) => {
            const text = await up.body.text();
            res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') }).end(text);
          })
          .catch((err: Error) => res.writeHead(502).end(err.message));
      });
    });
    await new Promise<void>((resolve) => (this.server as Server).listen(0, '127.0.0.1', resolve));
    this.port = ((this.server as Server).address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Event POSTs that carried alerts (not the healthcheck's empty token probe). */
  eventPosts(): ProxiedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.url === '/services/collector/event' && r.body.length > 0);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
