// falcosidekick's "call a function in the cluster" outputs (openfaas, fission, kubeless): one JSON
// POST per alert, either straight to the in-cluster Service URL (cluster DNS, plain http), or, when
// `kubeconfig` is set, through the Kubernetes API server's service proxy with the kubeconfig's
// credentials. Each output gives its keys, the two addresses and the headers it adds.
import type { Dispatcher } from 'undici';
import {
  classifyHttp,
  createHttpPool,
  defineOutput,
  legacyConcurrency,
  loadTls,
  sendEach,
  sendHttp,
  serializeAlert,
  type Alert,
  type OutputPlugin,
  type TlsOptions,
  type z,
} from '../../src/plugin/index.ts';
import { loadKubeconfig } from './kubeconfig.ts';
import { classifyServiceProxy } from './proxy-classify.ts';
import { serviceProxy, type ServicePath, type ServiceProxy } from './service-proxy.ts';

type FunctionSchema = z.ZodObject & z.ZodType<TlsOptions & { kubeconfig: string; maxconcurrentrequests?: number | undefined }>;

interface FunctionOutput<S extends FunctionSchema> {
  name: string;
  description: string;
  schema: S;
  example: Record<string, unknown>;
  enabled: (options: z.output<S>) => boolean;
  concurrency: number;
  /** Without a kubeconfig: the in-cluster URL falcosidekick posts to. */
  directUrl: (options: z.output<S>) => string;
  /** Without a kubeconfig: Content-Type as falcosidekick sends it there. */
  directContentType: string;
  /** With a kubeconfig: the service and the path behind the API server's proxy. */
  proxyPath: (options: z.output<S>) => ServicePath;
  /** Headers after Content-Type and User-Agent, names lower-case, for the alert (`direct`: without a kubeconfig). */
  headers: (alert: Alert, options: z.output<S>, direct: boolean) => Record<string, string>;
}

type FunctionClient =
  | { kind: 'direct'; pool: Dispatcher; path: string; headers: Record<string, string> }
  | { kind: 'proxy'; proxy: ServiceProxy; path: ServicePath; service: string; headers: Record<string, string> };

export function defineFunctionOutput<S extends FunctionSchema>(fn: FunctionOutput<S>): OutputPlugin<S, FunctionClient> {
  return defineOutput({
    name: fn.name,
    description: fn.description,
    schema: fn.schema,
    example: fn.example,
    enabled: fn.enabled,
    concurrency: fn.concurrency,
    legacySettings: (options) => legacyConcurrency(options),
    connect(options, ctx): FunctionClient {
      if (options.kubeconfig !== '') {
        const path = fn.proxyPath(options);
        const proxy = serviceProxy(loadKubeconfig(options.kubeconfig), ctx.concurrency, ctx.timeoutMs);
        // client-go's REST client: its Accept, JSON without a charset.
        const headers = { 'user-agent': ctx.userAgent, accept: 'application/json, */*', 'content-type': 'application/json' };
        return { kind: 'proxy', proxy, path, service: `${path.namespace}/${path.service}:${path.port}`, headers };
      }
      const url = new URL(fn.directUrl(options));
      const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
      return { kind: 'direct', pool, path: `${url.pathname}${url.search}`, headers: { 'content-type': fn.directContentType, 'user-agent': ctx.userAgent } };
    },
    sendBatch(alerts, { client, options, signal, clock }) {
      return sendEach(alerts, async (alert) => {
        const body = serializeAlert(alert);
        if (client.kind === 'proxy') {
          const headers = { ...client.headers, ...fn.headers(alert, options, false) };
          const res = await client.proxy.post(client.path, headers, body, signal, clock);
          const outcome = classifyServiceProxy(res, clock.now(), client.service);
          if (res.status === 401) client.proxy.refused();
          return outcome;
        }
        const headers = { ...client.headers, ...fn.headers(alert, options, true) };
        const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers, body, signal });
        return classifyHttp(res, clock.now());
      });
    },
    async close(client) {
      await (client.kind === 'proxy' ? client.proxy.pool : client.pool).close();
    },
  });
}
