// An in-process stand-in for a SaaS API whose requests are gzip'd (Wavefront /report, Spyderbat's
// data API): a real socket on 127.0.0.1 that keeps each request's bytes, decodes a gzip body
// (Content-Encoding: gzip), validates it against the vendor's documented shape (a GzipVendorSpec),
// answers valid ones as the vendor documents and invalid ones with the vendor's own rejection, and can
// be told to answer faults for the next requests or for all of them. (receiver.ts keeps bodies as
// UTF-8 text, which a gzip body is not.)
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface RawRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as it came over the wire. */
  raw: Buffer;
  /** The body decoded (gunzip'd when Content-Encoding is gzip) as UTF-8; undefined when it did not decode. */
  body: string | undefined;
  /** The test clock's time when it arrived. */
  clockAt: number;
}

export interface VendorAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export type VendorFault =
  | { kind: 'throttle'; retryAfter?: string }
  | { kind: 'unavailable'; status?: 500 | 502 | 503 | 504 }
  | { kind: 'status'; status: number };

export interface GzipVendorSpec {
  /** The vendor's answer when the request's credentials are refused; undefined when they are good. */
  authorize?(req: RawRequest): VendorAnswer | undefined;
  /** A request the vendor answers on its own (a lookup, a path it does not serve); undefined to go on. */
  route?(req: RawRequest): VendorAnswer | undefined;
  /** Everything wrong with the request by the vendor's documented schema; [] when it is valid. */
  validate(req: RawRequest): string[];
  accept(req: RawRequest): VendorAnswer;
  reject(problems: string[]): VendorAnswer;
  fault(fault: VendorFault): VendorAnswer;
}

export class GzipSaasReceiver {
  readonly accepted: RawRequest[] = [];
  readonly invalid: { req: RawRequest; problems: string[] }[] = [];
  readonly requests: RawRequest[] = [];
  private readonly queued: VendorFault[] = [];
  private standing: VendorFault | undefined;
  private server: Server | undefined;
  private readonly spec: GzipVendorSpec;
  private readonly now: () => number;

  constructor(spec: GzipVendorSpec, now: () => number = Date.now) {
    this.spec = spec;
    this.now = now;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const request: RawRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw, body: decode(raw, req.headers['content-encoding']), clockAt: this.now() };
        const answer = this.answer(request);
        res.writeHead(answer.status, answer.headers ?? {}).end(answer.body);
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The next requests get these faults, in order; then it accepts again. */
  failNext(...faults: VendorFault[]): this {
    this.queued.push(...faults);
    return this;
  }

  /** Every request gets this fault until `failAlways(undefined)`. */
  failAlways(fault: VendorFault | undefined): this {
    this.standing = fault;
    return this;
  }

  private answer(req: RawRequest): VendorAnswer {
    this.requests.push(req);
    const refused = this.spec.authorize?.(req);
    if (refused) return refused;
    const routed = this.spec.route?.(req);
    if (routed) return routed;
    const problems = this.spec.validate(req);
    if (problems.length > 0) {
      this.invalid.push({ req, problems });
      return this.spec.reject(problems);
    }
    const fault = this.queued.shift() ?? this.standing;
    if (fault) return this.spec.fault(fault);
    this.accepted.push(req);
    return this.spec.accept(req);
  }
}

function decode(raw: Buffer, encoding: string | undefined): string | undefined {
  try {
    const bytes = encoding === 'gzip' ? gunzipSync(raw) : raw;
    const text = bytes.toString('utf8');
    return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
  } catch {
    return undefined;
  }
}
