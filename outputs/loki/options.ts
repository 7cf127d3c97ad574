// The loki output's options: falcosidekick's keys (loki.*, same defaults) plus droplabels.
import { customHeaders, optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';

/** falcosidekick's "a, b,c" string (spaces removed, empties dropped), or a YAML list. */
const nameList = (describe: string) =>
  z
    .preprocess((v) => (typeof v === 'string' ? v.replace(/\s+/g, '').split(',').filter(Boolean) : v), z.array(z.string().min(1)))
    .default([])
    .describe(describe);

export const lokiSchema = z.object({
  hostport: optionalHttpUrl('http://loki:3100').describe('Loki base URL, e.g. http://loki:3100; `endpoint` is appended. Setting it turns the output on.'),
  endpoint: z
    .string()
    .regex(/^\//, 'must be a path starting with "/"')
    .default('/loki/api/v1/push')
    .describe('Push API path appended to hostport (VictoriaLogs: /insert/loki/api/v1/push).'),
  user: z.string().default('').describe('Basic auth user (Grafana Cloud: the numeric instance id). Used only together with apikey, as in falcosidekick.'),
  apikey: secret(z.string().default('').describe('Basic auth password / API key, sent with user as "Authorization: Basic …".')),
  tenant: z.string().default('').describe('Tenant id, sent as the X-Scope-OrgID header (multi-tenant Loki).'),
  format: z
    .string()
    .default('text')
    .transform((f) => f.toLowerCase())
    .pipe(z.enum(['text', 'json'], { error: 'must be text or json' }))
    .describe('Log line: "text" = the Falco output line; "json" = the whole alert as JSON (big integers exact).'),
  extralabels: nameList(
    'output_fields keys whose (string) values become stream labels besides the built-in ones, e.g. "proc.name,container.image.repository" (names sanitised: "." -> "_", brackets dropped). Every distinct value is a new stream: avoid per-event fields.',
  ),
  droplabels: nameList(
    'Stream label names (after sanitising) NOT to send, to bound stream cardinality, e.g. "k8s_pod_name" (one stream per pod otherwise). Not in falcosidekick.',
  ),
  customheaders: customHeaders('Extra request headers; they win over the tenant and auth headers, as in falcosidekick. Env: LOKI_CUSTOMHEADERS="X-A:1,X-B:2".'),
  ...tlsShape,
});

