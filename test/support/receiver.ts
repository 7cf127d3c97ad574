// An in-process HTTP receiver for fault injection (429, 503, hangs, resets, downtime) beside the
// real destination servers of test/integration. Records every request it answers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  | { kind: 'ok'; status?: number; body?: string; delayMs?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export class Receiver {
  readonly received: Received[] = [];
  /** Every request, whatever the answer (to count attempts). */
  attempts = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private behave: (req: Received, attempt: number) => Behaviour = () => ({ kind: 'ok' });
  port = 0;

  /** Decides the answer per request; the default accepts everything. */
  setBehaviour(fn: (req: Received, attempt: number) => Behaviour): void {
    this.behave = fn;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => (this.server as Server).listen(port, '127.0.0.1', resolve));
    this.port = ((this.server as Server).address() as AddressInfo).port;
    return this;
  }

  /** Goes away completely (connections refused) until start(port) again. */
  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  url(path = '/events'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Received bodies that were answered 2xx, parsed as JSON. */
  acceptedJson<T = Record<string, unknown>>(): T[] {
    return this.received.map((r) => JSON.parse(r.body) as T);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
    const behaviour = this.behave(request, this.attempts++);
    switch (behaviour.kind) {
      case 'ok':
        if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
        this.received.push(request);
        res.writeHead(behaviour.status ?? 200, { 'content-type': 'application/json' }).end(behaviour.body ?? '{}');
        return;
      case 'status':
        res.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers }).end(behaviour.body ?? '{"error":"injected"}');
        return;
      case 'hang':
        return; // never answers; the client's deadline must fire
      case 'reset':
        req.socket.destroy();
        return;
    }
  }
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
