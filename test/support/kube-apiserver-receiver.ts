// An in-process stand-in for the Kubernetes API server's service proxy
// (/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/<path>), over TLS with a test CA: it checks
// the path, the Bearer token or the client certificate, and answers as the API server does — 401
// and 403 Status objects, 404 for a service that does not exist, 503 when it has no endpoints —
// or, for a service with endpoints, with what the test's function answers.
import { createServer, type Server } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestCerts } from './certs.ts';

interface ProxiedRequest {
  method: string;
  /** The path behind the proxy, e.g. "/function/falco.openfaas-fn". */
  path: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface FunctionAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

interface Service {
  /** No ready pod: the API server answers 503 "no endpoints available". */
  endpoints: boolean;
  answer: (req: ProxiedRequest) => FunctionAnswer;
}

const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/:]+):(\d+)\/proxy(\/.*)?$/;

function status(code: number, reason: string, message: string, details?: Record<string, string>): FunctionAnswer {
  const body = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
  return { status: code, body: `${JSON.stringify(body)}\n`, headers: { 'content-type': 'application/json' } };
}

export class KubeApiServer {
  /** Requests the proxy passed to a service. */
  readonly proxied: ProxiedRequest[] = [];
  /** Every request, answered or refused. */
  attempts = 0;
  /** The status of every answer, in order. */
  readonly statuses: number[] = [];
  /** Tokens the server accepts, and the identity each has. */
  readonly tokens = new Map<string, string>();
  /** Identities (tokens' or client certificates' CN) that RBAC lets create services/proxy. */
  readonly allowed = new Set<string>();
  private readonly services = new Map<string, Service>();
  private server: Server | undefined;
  port = 0;

  private readonly certs: TestCerts;

  constructor(certs: TestCerts) {
    this.certs = certs;
  }

  /** A service "<namespace>/<name>:<port>". */
  service(key: string, service: Service): this {
    this.services.set(key, service);
    return this;
  }

  /** The service is deleted: 404 from now on. */
  removeService(key: string): void {
    this.services.delete(key);
  }

  async start(): Promise<this> {
    const c = this.certs;
    this.server = createServer(
      { cert: readFileSync(c.serverCert), key: readFileSync(c.serverKey), ca: readFileSync(c.ca), requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const answer = this.answer(req.method ?? '', req.url ?? '', req.headers, Buffer.concat(chunks).toString('utf8'), req.socket as TLSSocket);
          this.statuses.push(answer.status);
          res.writeHead(answer.status, answer.headers ?? {});
          res.end(answer.body);
        });
      },
    );
    await new Promise<void>((resolve) => (this.server as Server).listen(0, '127.0.0.1', resolve));
    this.port = ((this.server as Server).address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  private identity(headers: Record<string, string | string[] | undefined>, socket: TLSSocket): string | undefined {
    const auth = headers.authorization;
    if (typeof auth === 'string' && auth.startsWith('Bearer ')) return this.tokens.get(auth.slice(7));
    if (auth !== undefined) return undefined;
    const cert = socket.authorized ? socket.getPeerCertificate() : undefined;
    return cert?.subject?.CN ? `cert:${cert.subject.CN}` : 'system:anonymous';
  }

  private answer(method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string, socket: TLSSocket): FunctionAnswer {
    this.attempts++;
    const who = this.identity(headers, socket);
    if (who === undefined) return status(401, 'Unauthorized', 'Unauthorized');
    const m = PROXY_PATH.exec(url);
    if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
    const [, ns, name, port, path] = m as unknown as [string, string, string, string, string | undefined];
    if (!this.allowed.has(who)) {
      return status(403, 'Forbidden', `services "${name}:${port}" is forbidden: User "${who}" cannot create resource "services/proxy" in API group "" in the namespace "${ns}"`, { name: `${name}:${port}`, kind: 'services' });
    }
    const service = this.services.get(`${ns}/${name}:${port}`);
    if (!service) return status(404, 'NotFound', `services "${name}" not found`, { name, kind: 'services' });
    if (!service.endpoints) return status(503, 'ServiceUnavailable', `no endpoints available for service "${name}:${port}"`);
    const request = { method, path: path ?? '', url, headers, body };
    this.proxied.push(request);
    return service.answer(request);
  }
}
