// Two thin transports behind one interface, so the body builder and the response classifier are
// shared: Elasticsearch 8/9 through the official client (product check, compatibility headers),
// and plain HTTP over undici for OpenSearch and Elasticsearch 7 (the official client refuses them).
// Neither retries: the worker's retry is the only one.
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { Client } from '@elastic/elasticsearch';
import type * as EsClientNamespace from '@elastic/elasticsearch';
import type { Dispatcher } from 'undici';
import { createHttpPool, loadTls, sendHttp, type ConnectContext } from '../../src/plugin/index.ts';
import type { EsResponse } from './bulk-response.ts';
import { bodyText } from './bulk-response.ts';
import type { ElasticsearchOptions } from './options.ts';
import { skipUnusedArrow } from './unused-arrow.ts';

const gzip = promisify(gzipCallback);

type TransportParams = Parameters<Client['transport']['request']>[0];

export type Flavor = 'elasticsearch' | 'opensearch';

export interface EsRequest {
  method: 'GET' | 'PUT' | 'POST';
  /** Path below hostport, with its query string ("/_bulk?filter_path=…"). */
  path: string;
  /** JSON text, or NDJSON text when `ndjson`. */
  body?: string;
  ndjson?: boolean;
  signal: AbortSignal;
}

export interface EsTransport {
  readonly flavor: Flavor;
  /** Resolves with any HTTP status; throws only on network errors, timeouts and aborts. */
  request(req: EsRequest): Promise<EsResponse>;
  close(): Promise<void>;
}

/** Authorization and custom headers (lower-cased); a custom Authorization replaces the configured auth. */
function requestHeaders(options: ElasticsearchOptions, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': userAgent };
  if (options.apikey) headers.authorization = `ApiKey ${options.apikey}`;
  else if (options.username || options.password) {
    headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  }
  Object.assign(headers, options.customheaders); // names already lower-cased by customHeaders()
  return headers;
}

function basePath(hostport: string): string {
  return new URL(hostport).pathname.replace(/\/+$/, '');
}

/** Plain _bulk over undici (OpenSearch, Elasticsearch 7, or anything that speaks the REST API). */
export class HttpTransport implements EsTransport {
  readonly flavor: Flavor = 'opensearch';
  private readonly pool: Dispatcher;
  private readonly prefix: string;
  private readonly headers: Record<string, string>;
  private readonly compress: boolean;

  constructor(options: ElasticsearchOptions, ctx: Pick<ConnectContext, 'tls' | 'userAgent' | 'timeoutMs' | 'concurrency'>) {
    this.pool = createHttpPool(options.hostport, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    this.prefix = basePath(options.hostport);
    this.headers = { accept: 'application/json', ...requestHeaders(options, ctx.userAgent) };
    this.compress = options.enablecompression;
  }

  async request(req: EsRequest): Promise<EsResponse> {
    const headers = { ...this.headers };
    let body: string | Buffer | undefined = req.body;
    if (body !== undefined) {
      headers['content-type'] = req.ndjson ? 'application/x-ndjson' : 'application/json';
      if (this.compress) {
        body = await gzip(body);
        headers['content-encoding'] = 'gzip';
      }
    }
    const res = await sendHttp(this.pool, { path: this.prefix + req.path, method: req.method, headers, body, signal: req.signal });
    return { status: res.status, headers: res.headers, body: parseBody(res.text, res.headers['content-type']) };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  const type = String(contentType ?? '');
  if (text !== '' && (type.includes('json') || /^\s*[{[]/.test(text))) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

// The official client (~40 MiB resident) is loaded on first use, so a deployment without this
// output, or pointed at OpenSearch, never pays for it. Its transport (@elastic/transport 8) asks for
// undici 6; package.json's `overrides` gives it the outputs' undici 7 instead, the line its own
// v9 uses, for the same calls (a Pool, buildConnector, pool.request): one HTTP client and one
// llhttp in the process, not two (docs/performance-history.md, round 27). test/integration/elasticsearch
// runs it against the real server.
type EsClientModule = typeof EsClientNamespace;
let esModule: EsClientModule | undefined;

export async function loadEsClient(): Promise<EsClientModule> {
  skipUnusedArrow();
  esModule ??= await import('@elastic/elasticsearch');
  return esModule;
}

/** Elasticsearch 8/9 through the official @elastic/elasticsearch client (v8: works with ES 8 and 9). */
export class ClientTransport implements EsTransport {
  readonly flavor: Flavor = 'elasticsearch';
  readonly client: Client;

  private readonly errors: EsClientModule['errors'];

  /** Call `await loadEsClient()` first (connect() does). */
  constructor(options: ElasticsearchOptions, ctx: Pick<ConnectContext, 'tls' | 'userAgent' | 'timeoutMs' | 'concurrency'>) {
    if (!esModule) throw new Error('loadEsClient() must be awaited before creating a ClientTransport');
    const { Client, errors } = esModule;
    this.errors = errors;
    const headers = requestHeaders(options, ctx.userAgent);
    this.client = new Client({
      node: options.hostport,
      // Authorization travels as a plain header so a custom one can replace it.
      headers,
      maxRetries: 0,
      requestTimeout: ctx.timeoutMs,
      compression: options.enablecompression,
      tls: loadTls(options, ctx.tls),
      agent: { connections: ctx.concurrency, pipelining: 1 },
      sniffOnStart: false,
      sniffOnConnectionFault: false,
      // Error messages and logs must never carry credentials.
      redaction: { type: 'replace', additionalKeys: ['authorization'] },
    });
  }

  async request(req: EsRequest): Promise<EsResponse> {
    // JSON bodies go back to objects so the client sets its compatibility content-type (only the
    // template call has one); the hot-path NDJSON is sent as the text it is.
    const [path, querystring] = splitQuery(req.path);
    const params: TransportParams = { method: req.method, path, querystring };
    if (req.ndjson) params.bulkBody = req.body;
    else if (req.body !== undefined) params.body = JSON.parse(req.body) as Record<string, unknown>;
    try {
      const res = await this.client.transport.request<unknown>(params, { signal: req.signal, meta: true, maxRetries: 0 });
      return { status: res.statusCode ?? 200, headers: res.headers ?? {}, body: res.body };
    } catch (err) {
      if (err instanceof this.errors.ResponseError) {
        return { status: err.meta.statusCode ?? 500, headers: err.meta.headers ?? {}, body: err.meta.body };
      }
      if (err instanceof this.errors.ProductNotSupportedError) {
        throw new Error('the server is not Elasticsearch 8/9 (no x-elastic-product header): set elasticsearch.flavor to opensearch or auto', { cause: err });
      }
      throw err;
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

function splitQuery(path: string): [string, Record<string, string>] {
  const at = path.indexOf('?');
  if (at < 0) return [path, {}];
  return [path.slice(0, at), Object.fromEntries(new URLSearchParams(path.slice(at + 1)))];
}

/**
 * flavor: auto: GET / decides. OpenSearch (version.distribution), Elasticsearch < 8 (the v8 client's
 * compatible-with=8 headers are refused by 7.x) or a server without the x-elastic-product header
 * → plain HTTP; otherwise the official client.
 */
export async function detectFlavor(probe: HttpTransport, hostport: string, signal: AbortSignal): Promise<Flavor> {
  const res = await probe.request({ method: 'GET', path: '/', signal });
  const product = String(res.headers['x-elastic-product'] ?? '');
  if (res.status === 401 || res.status === 403) {
    if (product === 'Elasticsearch') return 'elasticsearch';
    throw new Error(
      `GET ${hostport}/ answered HTTP ${res.status}: the server refused the credentials, so its kind cannot be detected; ` +
        'check elasticsearch.username/password or elasticsearch.apikey (or set elasticsearch.flavor to skip detection)',
    );
  }
  if (res.status < 200 || res.status >= 300) {
    throw new Error(`GET ${hostport}/ answered HTTP ${res.status}: ${bodyText(res.body).slice(0, 200)}; check elasticsearch.hostport (or set elasticsearch.flavor)`);
  }
  const version = (res.body as { version?: { number?: string; distribution?: string } } | null)?.version;
  if (version?.distribution === 'opensearch') return 'opensearch';
  if (product !== 'Elasticsearch') return 'opensearch';
  const major = Number(version?.number?.split('.')[0]);
  return Number.isFinite(major) && major < 8 ? 'opensearch' : 'elasticsearch';
}
