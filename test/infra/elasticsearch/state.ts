// State of the Elasticsearch node started by test/infra/elasticsearch/start.sh, as read by
// `await useInfra<ElasticsearchInfra>('elasticsearch')`.
//
// The node is Elasticsearch 8.19 (official integ-test zip from Maven Central) with security ON:
// the real x-pack-security module, basic auth as `elastic` (native realm, bootstrap password) and a
// real API key; plain HTTP on 127.0.0.1. The zip has a minimal module set: no ingest pipelines
// (ingest-common), no data streams, no painless, no ILM/ML; `GET /` and the `.security` index's
// analyzers come from a small shim module (test/infra/elasticsearch/shim).
// One node is shared by every test file of a run: use unique index names (no reset between files).

/** What every search node started by test/infra (elasticsearch, opensearch) records. */
export interface SearchNodeInfra {
  /** "http://127.0.0.1:PORT" */
  url: string;
  /** Node log (stdout/stderr of the node and of its supervisor). */
  log: string;
  /** HTTP port (same as in url) and transport port. */
  port: number;
  transportPort: number;
  /** Unpacked distribution, data directory, and the directory control.ts uses to stop/start the node. */
  home: string;
  dataDir: string;
  controlDir: string;
}

export interface ElasticsearchInfra extends SearchNodeInfra {
  /** Elasticsearch version, e.g. "8.19.21". */
  version: string;
  /** Superuser for basic auth ("elastic"). */
  username: string;
  /** Its password (random per start). */
  password: string;
  /** API key, base64 of "id:key": send as `Authorization: ApiKey <apiKey>` or `auth: { apiKey }`. null only if security is off. */
  apiKey: string | null;
  /** Whether security (authentication) is enabled: true. */
  security: boolean;
}

/** Options for the official @elastic/elasticsearch (v8) client, with basic auth or the API key. */
export function elasticsearchClientOptions(es: ElasticsearchInfra, auth: 'basic' | 'apiKey' = 'basic') {
  if (auth === 'apiKey') {
    if (!es.apiKey) throw new Error('Elasticsearch test node has no API key (security off)');
    return { node: es.url, auth: { apiKey: es.apiKey } };
  }
  return { node: es.url, auth: { username: es.username, password: es.password } };
}

/** `Authorization` header value for plain HTTP clients (undici). */
export function elasticsearchAuthHeader(es: ElasticsearchInfra, auth: 'basic' | 'apiKey' = 'basic'): string {
  if (auth === 'apiKey') return `ApiKey ${es.apiKey}`;
  return `Basic ${Buffer.from(`${es.username}:${es.password}`).toString('base64')}`;
}
