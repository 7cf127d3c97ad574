// The elasticsearch block: falcosidekick's keys (docs/outputs/elasticsearch.md) plus Peregrine's `flavor` and `datastream`.
import { customHeaders, maxConcurrentRequests, secret, tlsShape, z } from '../../src/plugin/index.ts';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://elasticsearch.example.com:9200' });

const GO_DURATION = /^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration string ("1s", "500ms", "1m30s") in whole milliseconds; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '0') return 0;
  if (!GO_DURATION.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return Math.round(ms);
}

const goDuration = z.string().transform((text, ctx) => {
  const ms = parseGoDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration; write it like "1s", "500ms" or "1m30s"` });
    return z.NEVER;
  }
  return ms;
});

// Helm passes batchsize as a string ("5242880") to dodge float conversion; accept both.
const byteCount = z.union([z.number().int().min(1), z.string().regex(/^\s*\d+\s*$/, 'must be a whole number of bytes').transform((s) => Number(s))]);

export const elasticsearchSchema = z.object({
  hostport: z
    .union([z.literal(''), httpUrl])
    .default('')
    .describe('Cluster URL, e.g. https://elasticsearch.example.com:9200 (a path prefix is kept). Setting it turns the output on.'),
  index: z
    .string()
    .min(1)
    .regex(/^[^-_+A-Z\\/*?"<>| ,#:][^A-Z\\/*?"<>| ,#:]*$/, 'must be a valid index name: lower case, not starting with - _ +, none of \\ / * ? " < > | , # : or spaces')
    .default('falco')
    .describe('Index name (or data stream name with datastream: true); the date suffix is appended to it.'),
  type: z
    .string()
    .default('_doc')
    .describe('Accepted for falcosidekick compatibility and ignored: Elasticsearch 8+ and OpenSearch 2 have no mapping types (documents are _doc).'),
  suffix: z
    .enum(['daily', 'monthly', 'annually', 'none'], { error: 'must be daily, monthly, annually or none' })
    .default('daily')
    .describe('Index rotation by the alert time (UTC): daily <index>-YYYY.MM.DD, monthly <index>-YYYY.MM, annually <index>-YYYY, none <index>. Ignored with datastream: true.'),
  username: z.string().default('').describe('Basic auth user.'),
  password: secret(z.string().default('').describe('Basic auth password.')),
  apikey: secret(
    z.string().default('').describe('API key, the base64 "id:key" value (sent as Authorization: ApiKey <key>). Wins over username/password.'),
  ),
  customheaders: customHeaders(
    'Extra request headers (a map, or "Name:value,Name:value" as in the falcosidekick chart; an Authorization here replaces username/password/apikey). Secret: the whole map. Env: ELASTICSEARCH_CUSTOMHEADERS="X-A:1,X-B:2".',
  ),
  pipeline: z.string().default('').describe('Ingest pipeline applied to every document ("" = none).'),
  flavor: z
    .enum(['auto', 'elasticsearch', 'opensearch'], { error: 'must be auto, elasticsearch or opensearch' })
    .default('auto')
    .describe(
      'Server kind. elasticsearch: Elasticsearch 8/9 through the official client. opensearch: plain _bulk over HTTP, for OpenSearch and Elasticsearch 7. ' +
        'auto: decided at startup from GET / (OpenSearch distribution, Elasticsearch < 8 or no x-elastic-product header → opensearch).',
    ),
  datastream: z
    .boolean()
    .default(false)
    .describe('Write to the data stream named by index (create op, @timestamp); installs a data_stream index template if none exists. The server must support data streams.'),
  flattenfields: z
    .boolean()
    .default(false)
    .describe('Replace "." with "_" in output_fields keys, so k8s.pod.name and k8s.pod cannot collide as object paths. Forced on by createindextemplate (and datastream), as in falcosidekick.'),
  createindextemplate: z
    .boolean()
    .default(false)
    .describe('At startup, install an index template (keyword output_fields, text+keyword output, date @timestamp) unless one of that name exists; never overwrites.'),
  numberofshards: z.number().int().min(1).default(3).describe('number_of_shards in the index template (falcosidekick default 3).'),
  numberofreplicas: z.number().int().min(0).default(3).describe('number_of_replicas in the index template (falcosidekick default 3).'),
  enablecompression: z.boolean().default(false).describe('gzip request bodies (Content-Encoding: gzip). Costs CPU here, saves bandwidth.'),
  maxconcurrentrequests: maxConcurrentRequests(),
  batching: z
    .object({
      enabled: z.boolean().optional().describe('Accepted for falcosidekick compatibility: Peregrine always uses _bulk batches.'),
      batchsize: byteCount.optional().describe('falcosidekick spelling of batch.maxbytes (bytes per _bulk request).'),
      flushinterval: goDuration.optional().describe('falcosidekick spelling of batch.flushms, as a Go duration ("1s", "500ms").'),
    })
    .prefault({})
    .describe('falcosidekick batching keys, aliases of the core batch settings (batch.* wins when both are set).'),
  ...tlsShape,
});

export type ElasticsearchOptions = z.output<typeof elasticsearchSchema>;

/** Whether the output installs an index template at startup (createindextemplate, or the data stream's own). */
export function installsTemplate(options: ElasticsearchOptions): boolean {
  return options.createindextemplate || options.datastream;
}

/** falcosidekick's rule: the template maps flattened keys, so it forces flattenfields. */
export function flattens(options: ElasticsearchOptions): boolean {
  return options.flattenfields || installsTemplate(options);
}
