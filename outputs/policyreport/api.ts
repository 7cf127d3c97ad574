// The report objects through the API server: GET, then PUT (with the resourceVersion read: a stale
// one is a 409 Conflict) or POST when there is none yet. What falcosidekick's client-go calls send.
import type { Clock, HttpResponse } from '../../src/plugin/index.ts';
import { sendHttp } from '../../src/plugin/index.ts';
import type { ServiceProxy } from '../openfaas/service-proxy.ts';

const GROUP = '/apis/wgpolicyk8s.io/v1alpha2';

export interface ReportRef {
  /** "" = the ClusterPolicyReport. */
  namespace: string;
  name: string;
}

export function reportPath(ref: ReportRef, named: boolean): string {
  const base = ref.namespace === '' ? `${GROUP}/clusterpolicyreports` : `${GROUP}/namespaces/${encodeURIComponent(ref.namespace)}/policyreports`;
  return named ? `${base}/${encodeURIComponent(ref.name)}` : base;
}

export class KubeApi {
  readonly proxy: ServiceProxy;
  private readonly userAgent: string;
  private readonly clock: Clock;

  constructor(proxy: ServiceProxy, userAgent: string, clock: Clock) {
    this.proxy = proxy;
    this.userAgent = userAgent;
    this.clock = clock;
  }

  request(method: 'GET' | 'POST' | 'PUT', path: string, body: string | undefined, signal: AbortSignal): Promise<HttpResponse> {
    const prefix = this.proxy.target.server.pathname.replace(/\/+$/, '');
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'application/json', ...this.proxy.authorization(this.clock.now()) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return sendHttp(this.proxy.pool, { path: `${prefix}${path}`, method, headers, ...(body === undefined ? {} : { body }), signal });
  }
}
