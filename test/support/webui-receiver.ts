// falcosidekick-ui's ingest, in process (the real one needs Redis with RediSearch, not open source):
// its routes POST /, /api/v1/ and /api/v1/events/add (internal/api AddEvent, main.go); echo's Bind
// (415 without a JSON content type, 400 {"message":…} for a body it cannot decode), its validator
// (models.Payload and models.Event tags: a refused event is echo's 500 {"message":"Internal Server
// Error"}), then the outputs list kept and the event stored, answered 200 with the JSON string "{}".
// `redisDown` answers as its Add does when Redis fails: 500 {"message":"<the error>"}.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UiEvent {
  uuid: string;
  output: string;
  priority: string;
  rule: string;
  time: string;
  source?: string;
  output_fields?: Record<string, unknown>;
  hostname?: string;
  tags?: string[];
}

export interface UiRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

const ROUTES = new Set(['/', '/api/v1/', '/api/v1/events/add']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Every character at most U+007F (a control character is ASCII too).
const isAscii = (text: string) => [...text].every((c) => c.charCodeAt(0) <= 0x7f);
const PRINTASCII = /^[\x20-\x7E]*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** The validator's verdict on a decoded payload: undefined when falcosidekick-ui stores it. */
function invalid(payload: Record<string, unknown>): string | undefined {
  const event = payload.event as Record<string, unknown> | undefined;
  if (!Array.isArray(payload.outputs)) return 'outputs required';
  if (!event || typeof event !== 'object') return 'event required';
  const str = (k: string) => (typeof event[k] === 'string' ? (event[k] as string) : '');
  if (!UUID.test(str('uuid'))) return 'uuid';
  if (str('output') === '' || !isAscii(str('output'))) return 'output';
  for (const k of ['priority', 'rule']) if (str(k) === '' || !PRINTASCII.test(str(k))) return k;
  for (const k of ['source', 'hostname']) if (!PRINTASCII.test(str(k))) return k;
  if (str('time') === '' || str('time').startsWith('0001-01-01T00:00:00')) return 'time';
  return undefined;
}

/** Bind: what echo's JSON decoding into models.Payload refuses (types that do not fit, a bad time). */
function undecodable(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return true;
  const { event, outputs } = payload as Record<string, unknown>;
  if (outputs !== undefined && outputs !== null && !(Array.isArray(outputs) && outputs.every((o) => typeof o === 'string'))) return true;
  if (event === undefined || event === null) return false;
  if (typeof event !== 'object' || Array.isArray(event)) return true;
  const e = event as Record<string, unknown>;
  for (const k of ['uuid', 'output', 'priority', 'rule', 'source', 'hostname']) if (e[k] !== undefined && e[k] !== null && typeof e[k] !== 'string') return true;
  if (e.time !== undefined && e.time !== null && !(typeof e.time === 'string' && RFC3339.test(e.time))) return true;
  if (e.tags !== undefined && e.tags !== null && !(Array.isArray(e.tags) && e.tags.every((t) => typeof t === 'string'))) return true;
  return e.output_fields !== undefined && e.output_fields !== null && (typeof e.output_fields !== 'object' || Array.isArray(e.output_fields));
}

export class WebUiReceiver {
  readonly requests: UiRequest[] = [];
  /** The stored events, in arrival order. */
  readonly events: UiEvent[] = [];
  /** The outputs list of the last accepted payload (models.GetOutputs()). */
  outputs: string[] = [];
  redisDown = false;
  port = 0;
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => (this.server as Server).listen(0, '127.0.0.1', resolve));
    this.port = ((this.server as Server).address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  url(path = '/api/v1/'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '';
    const answer = (status: number, json: unknown) => {
      this.requests.push({ path, headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(json)}\n`);
    };
    if (req.method !== 'POST' || !ROUTES.has(path)) return answer(req.method === 'POST' ? 404 : 405, { message: 'Not Found' });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return answer(415, { message: 'Unsupported Media Type' });
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return answer(400, { message: 'Syntax error: offset=1, error=invalid character' });
    }
    if (undecodable(payload)) return answer(400, { message: 'Unmarshal type error' });
    if (invalid(payload as Record<string, unknown>) !== undefined) return answer(500, { message: 'Internal Server Error' });
    const p = payload as { event: UiEvent; outputs: string[] };
    this.outputs = p.outputs;
    if (this.redisDown) return answer(500, { message: 'dial tcp 127.0.0.1:6379: connect: connection refused' });
    this.events.push(p.event);
    return answer(200, '{}');
  }
}
