// Logstash's tcp input with the json_lines codec, in process, on 127.0.0.1: bytes split on LF, each
// line one JSON object (the CR before the LF is JSON whitespace), as the codec reads it. What the
// codec would turn into a `_jsonparsefailure` event is kept apart so that a test can require none:
// a line that is not a JSON object, and a field name with a bracket (Logstash reads `a[2]` as a field
// reference and refuses it). Bytes after the last LF when a connection ends (a cut line) are kept
// apart too. The input answers nothing, as Logstash's does not. TLS when given a key and certificate.
import { once } from 'node:events';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

export interface LogstashEvent {
  /** Which accepted connection carried it (0 = the first). */
  connection: number;
  event: Record<string, unknown>;
}

export class LogstashReceiver {
  readonly events: LogstashEvent[] = [];
  /** Lines the json_lines codec would tag `_jsonparsefailure`, with why. */
  readonly parseFailures: string[] = [];
  /** Unterminated bytes left when a connection ended. */
  readonly cutLines: string[] = [];
  /** Every byte each connection carried, in order. */
  readonly streams: string[] = [];
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #port = 0;
  readonly #tls: TlsOptions | undefined;

  constructor(tls?: TlsOptions) {
    this.#tls = tls;
  }

  get port(): number {
    return this.#port;
  }

  /** Listens on `port` (0: a free one; the previous port when restarted). */
  async start(port = this.#port): Promise<this> {
    const server = this.#tls ? createTlsServer(this.#tls, (s) => this.#accept(s)) : createTcpServer((s) => this.#accept(s));
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stops as a Logstash shutting down does: connections closed, the port freed. */
  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.end();
    this.#sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  #accept(socket: Socket): void {
    const connection = this.streams.push('') - 1;
    this.#sockets.add(socket);
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.streams[connection] += chunk;
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        this.#line(pending.slice(0, nl), connection);
        pending = pending.slice(nl + 1);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#sockets.delete(socket);
      if (pending !== '') this.cutLines.push(pending);
    });
  }

  #line(line: string, connection: number): void {
    if (line.trim() === '') return; // the codec skips empty lines
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch (err) {
      this.parseFailures.push(`not JSON (${(err as Error).message}): ${line.slice(0, 200)}`);
      return;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      this.parseFailures.push(`not a JSON object: ${line.slice(0, 200)}`);
      return;
    }
    const bracket = bracketKey(event as Record<string, unknown>);
    if (bracket !== undefined) {
      this.parseFailures.push(`field name ${bracket} is an invalid field reference`);
      return;
    }
    this.events.push({ connection, event: event as Record<string, unknown> });
  }
}

function bracketKey(object: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(object)) {
    if (key.includes('[') || key.includes(']')) return key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const inner = bracketKey(value as Record<string, unknown>);
      if (inner !== undefined) return inner;
    }
  }
  return undefined;
}
