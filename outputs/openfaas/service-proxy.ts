// Requests through the Kubernetes API server's service proxy
// (/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/<path>), as falcosidekick's client-go REST
// client sends them when an output has a kubeconfig: the kubeconfig's TLS and bearer token or
// client certificate, credentials over https only (client-go sends none to an http server).
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
import { createHttpPool, sendHttp, type Clock, type HttpResponse } from '../../src/plugin/index.ts';
import type { KubeTarget } from './kubeconfig.ts';

/** client-go's cached token file is read again after a minute (transport/token_source.go). */
export const TOKEN_REREAD_MS = 60_000;

export interface ServicePath {
  namespace: string;
  service: string;
  port: number;
  /** The path behind the proxy, from its leading "/" ("/" for the service's root). */
  path: string;
}

/** The API server's path for `target`, after the server URL's own path prefix. */
export function servicePath(prefix: string, target: ServicePath): string {
  const base = prefix.replace(/\/+$/, '');
  return `${base}/api/v1/namespaces/${encodeURIComponent(target.namespace)}/services/${encodeURIComponent(target.service)}:${target.port}/proxy${target.path}`;
}

export class ServiceProxy {
  private token: string | undefined;
  private tokenReadAt = Number.NEGATIVE_INFINITY;

  readonly target: KubeTarget;
  readonly pool: Dispatcher;
  private readonly readToken: (file: string) => string;

  constructor(target: KubeTarget, pool: Dispatcher, readToken: (file: string) => string = (file) => readFileSync(file, 'utf8').trim()) {
    this.target = target;
    this.pool = pool;
    this.readToken = readToken;
    this.token = target.token;
  }

  /** Authorization for the next request: the fixed token, or the token file's (read again after a minute). */
  authorization(now: number): Record<string, string> {
    if (this.target.server.protocol !== 'https:') return {};
    const file = this.target.tokenFile;
    if (file !== undefined && now - this.tokenReadAt >= TOKEN_REREAD_MS) {
      try {
        this.token = this.readToken(file);
        this.tokenReadAt = now;
      } catch (err) {
        // A rotation in progress (the kubelet swaps the file): keep the token read last, if any.
        if (this.token === undefined) throw new Error(`cannot read the kubeconfig's tokenFile ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
      }
    }
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** The API server refused the token: read the file again on the next request, not a minute later (it may have just rotated). */
  refused(): void {
    this.tokenReadAt = Number.NEGATIVE_INFINITY;
  }

  post(path: ServicePath, headers: Record<string, string>, body: string, signal: AbortSignal, clock: Clock): Promise<HttpResponse> {
    const all = { ...headers, ...this.authorization(clock.now()) };
    return sendHttp(this.pool, { path: servicePath(this.target.server.pathname, path), method: 'POST', headers: all, body, signal });
  }
}

/** A pool to the API server with the kubeconfig's TLS: its CA alone when it names one (as client-go), else the system CAs. */
export function serviceProxy(target: KubeTarget, connections: number, timeoutMs: number): ServiceProxy {
  const tls: Parameters<typeof createHttpPool>[1]['tls'] & { servername?: string } = { rejectUnauthorized: !target.insecure };
  if (target.ca !== undefined) tls.ca = [target.ca];
  if (target.servername !== undefined) tls.servername = target.servername;
  if (target.server.protocol === 'https:' && target.cert !== undefined && target.key !== undefined) Object.assign(tls, { cert: target.cert, key: target.key });
  return new ServiceProxy(target, createHttpPool(target.server, { tls, connections, timeoutMs }));
}
