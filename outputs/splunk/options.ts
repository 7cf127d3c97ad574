// The splunk output's options (falcosidekick spellings plus Peregrine's own) and the HEC endpoints
// they resolve to.
import { customHeaders, maxConcurrentRequests, secret, tlsShape, z } from '../../src/plugin/index.ts';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://splunk-hec.example.com:8088' });

export const splunkSchema = z.object({
  hostport: z
    .union([z.literal(''), httpUrl])
    .default('')
    .describe(
      'HEC base URL, e.g. https://splunk-hec.example.com:8088; /services/collector/event is appended (a URL that already contains /services/collector is used as is). Setting it (or host) turns the output on.',
    ),
  host: z
    .union([z.literal(''), httpUrl])
    .default('')
    .describe('falcosidekick\'s full HEC URL including the path (e.g. https://splunk:8088/services/collector/event), used as is. Wins over hostport.'),
  token: secret(z.string().default('').describe('HEC token, sent as "Authorization: Splunk <token>".')),
  index: z.string().default('').describe('Splunk index; "" lets the token\'s default index decide.'),
  source: z.string().default('').describe('Splunk source; "" lets the token\'s default source decide.'),
  sourcetype: z
    .string()
    .default('falcosidekick')
    .describe('Splunk sourcetype. Default "falcosidekick", the value falcosidekick always sends, so saved searches and dashboards keep matching; _json makes Splunk extract the JSON fields at index time.'),
  eventhost: z
    .string()
    .default('')
    .describe('HEC "host" field for every event; "" (default) uses each alert\'s hostname (the Falco node). Named eventhost because "host" is falcosidekick\'s URL key.'),
  indexedfields: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Keys sent as HEC indexed fields ("fields"): "rule", "priority", "source", "hostname", "uuid" are the alert\'s own; anything else is an output_fields key (customfields included), e.g. [rule, priority, k8s.ns.name]. Absent or null values are skipped. Env: SPLUNK_INDEXEDFIELDS="rule,priority".',
    ),
  gzip: z.boolean().default(false).describe('Compress request bodies (Content-Encoding: gzip).'),
  useack: z
    .boolean()
    .default(false)
    .describe('Indexer acknowledgement: an alert counts as delivered only once Splunk acknowledges it (the token must have acknowledgement on). A batch not acknowledged within acktimeoutms is re-sent (at-least-once: Splunk may then hold it twice; dedup on uuid).'),
  acktimeoutms: z
    .number()
    .int()
    .min(10)
    .max(600_000)
    .default(5000)
    .describe('With useack: how long to wait for the acknowledgement of one request before re-sending it. Also bounded by timeoutms.'),
  ackpollms: z.number().int().min(5).max(60_000).default(250).describe('With useack: interval between polls of /services/collector/ack.'),
  customheaders: customHeaders(
    'Extra request headers (a map, or "Name:value,Name:value" as in the falcosidekick chart). Secret: the whole map. Env: SPLUNK_CUSTOMHEADERS="X-A:1,X-B:2". The token\'s Authorization header wins over one given here.',
  ),
  maxconcurrentrequests: maxConcurrentRequests(),
  ...tlsShape,
});

export type SplunkOptions = z.output<typeof splunkSchema>;

export interface HecEndpoints {
  origin: string;
  /** Path (and query) of the event endpoint. */
  event: string;
  health: string;
  ack: string;
}

const COLLECTOR = '/services/collector';

/** Where events, health probes and ack polls go. Pure: hostport/host passed schema validation. */
export function hecEndpoints(options: Pick<SplunkOptions, 'host' | 'hostport'>): HecEndpoints {
  const url = new URL(options.host || options.hostport);
  const path = url.pathname.replace(/\/+$/, '');
  const at = path.indexOf(COLLECTOR);
  let event: string;
  let prefix: string;
  if (options.host) {
    event = `${url.pathname}${url.search}`;
    prefix = at >= 0 ? path.slice(0, at) : '';
  } else if (at >= 0) {
    event = `${path}${url.search}`;
    prefix = path.slice(0, at);
  } else {
    event = `${path}${COLLECTOR}/event${url.search}`;
    prefix = path;
  }
  return { origin: url.origin, event, health: `${prefix}${COLLECTOR}/health`, ack: `${prefix}${COLLECTOR}/ack` };
}
