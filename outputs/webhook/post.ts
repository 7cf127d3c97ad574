// falcosidekick's webhook-like outputs (Talon, Node-RED, n8n, Grafana OnCall): one JSON POST per
// alert to one URL, classified by status. Each output gives only what differs: its keys, which key
// holds the URL, the headers it adds (auth), and its body when that is not the alert JSON itself.
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
  type HttpResponse,
  type Outcome,
  type OptionProblem,
  type OutputPlugin,
  type TlsOptions,
  type z,
} from '../../src/plugin/index.ts';

type PostSchema = z.ZodObject & z.ZodType<TlsOptions & { maxconcurrentrequests?: number | undefined }>;

export interface JsonPostOutput<S extends PostSchema> {
  name: string;
  description: string;
  schema: S;
  example: Record<string, unknown>;
  /** The URL to post to; "" leaves the output off (falcosidekick's rule). */
  url: (options: z.output<S>) => string;
  /** Content-Type as falcosidekick sends it for this output. */
  contentType: string;
  /** Headers after Content-Type and User-Agent (auth, customheaders), names lower-case; later ones win. */
  headers: (options: z.output<S>) => Record<string, string>;
  /** The body; the alert JSON (falcosidekick's webhook body) when absent. */
  body?: (alert: Alert, options: z.output<S>) => string;
  /** Send `Idempotency-Key: <uuid>` (only to receivers that ignore unknown headers or can use it). */
  idempotencyKey: boolean;
  /** Default maxconcurrency. */
  concurrency: number;
  /** The receiver's own answers; classifyHttp (src/plugin/http.ts) when absent. `options`: to keep a credential out of a reason. */
  classify?: (res: HttpResponse, now: number, options: z.output<S>) => Outcome;
  validate?: (options: z.output<S>) => OptionProblem[];
}

interface PostClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  body: (alert: Alert) => string;
}

export function defineJsonPostOutput<S extends PostSchema>(post: JsonPostOutput<S>): OutputPlugin<S, PostClient> {
  const body = post.body;
  const classify = post.classify ?? classifyHttp;
  return defineOutput({
    name: post.name,
    description: post.description,
    schema: post.schema,
    example: post.example,
    enabled: (options) => post.url(options) !== '',
    concurrency: post.concurrency,
    legacySettings: (options) => legacyConcurrency(options),
    ...(post.validate ? { validate: post.validate } : {}),
    connect(options, ctx): PostClient {
      const url = new URL(post.url(options));
      const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
      const headers = { 'content-type': post.contentType, 'user-agent': ctx.userAgent, ...post.headers(options) };
      return { pool, path: `${url.pathname}${url.search}`, headers, body: body ? (alert) => body(alert, options) : serializeAlert };
    },
    sendBatch(alerts, { client, options, signal, clock }) {
      return sendEach(alerts, async (alert) => {
        const headers = post.idempotencyKey ? { ...client.headers, 'idempotency-key': alert.uuid } : client.headers;
        const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers, body: client.body(alert), signal });
        return classify(res, clock.now(), options);
      });
    },
    async close(client) {
      await client.pool.close();
    },
  });
}

/** `Authorization: Basic …` when both are set, as falcosidekick sends it (SetBasicAuth); nothing otherwise. */
export function basicAuthHeader(user: string, password: string): Record<string, string> {
  return user !== '' && password !== '' ? { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : {};
}

/**
 * Keys that work only together (user and password): the one left empty, named, as a config error.
 * falcosidekick silently sends neither, so the receiver refuses every alert and nothing says why.
 */
export function pairProblems(what: string, pair: readonly [string, string], values: readonly [string, string]): OptionProblem[] {
  const [a, b] = pair;
  const [va, vb] = values;
  if ((va === '') === (vb === '')) return [];
  const [missing, set] = va === '' ? [a, b] : [b, a];
  return [{ path: missing, message: `is required when ${set} is set (${what} is sent only with both)` }];
}
