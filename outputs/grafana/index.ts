// Grafana annotations (POST <hostport>/api/annotations, a service account token as Bearer): one
// annotation per alert at the alert's time, tagged falco, priority, rule, source and hostname, as
// falcosidekick writes it. Grafana answers 200 {"message":"Annotation added","id":N}; 401 for a bad
// token, 403 without annotations:write, 400 for a body or dashboard it refuses.
import { customHeaders, epochMillis, fieldTexts, maxConcurrentRequests, optionalHttpUrl, secret, tlsShape, z, type Alert } from '../../src/plugin/index.ts';
import { defineJsonPostOutput } from '../webhook/post.ts';

const id = (what: string) => z.number().int().min(0).default(0).describe(`${what} (0: none).`);

const schema = z.object({
  hostport: optionalHttpUrl('http://grafana:3000').describe(
    'Grafana URL, e.g. http://grafana:3000 (a sub-path such as https://example.com/grafana works); annotations go to <hostport>/api/annotations. Setting it (with apikey) turns the output on.',
  ),
  apikey: secret(z.string().default('').describe('Service account token (or legacy API key) with annotations:write, sent as "Authorization: Bearer <apikey>". Required with hostport.')),
  dashboardid: id('Numeric id of the dashboard the annotations belong to (falcosidekick\'s key; Grafana 11 deprecates it for dashboarduid)'),
  dashboarduid: z.string().default('').describe('UID of the dashboard the annotations belong to (Grafana\'s dashboardUID); wins over dashboardid. "": none.'),
  panelid: id('Id of the panel the annotations belong to, within the dashboard'),
  allfieldsastags: z.boolean().default(false).describe('Also tag each annotation with the value of every output field (sorted by field name) and the alert\'s tags.'),
  customheaders: customHeaders('Extra request headers. Env: GRAFANA_CUSTOMHEADERS="X-A:1,X-B:2".'),
  maxconcurrentrequests: maxConcurrentRequests(),
  ...tlsShape,
});

type GrafanaOptions = z.output<typeof schema>;

/** falcosidekick's annotation: its keys in its order; field values as text, sorted by name, nulls left out. */
export function annotationBody(alert: Alert, options: GrafanaOptions): string {
  const tags = ['falco', alert.priority, alert.rule, alert.source];
  if (alert.hostname) tags.push(alert.hostname);
  if (options.allfieldsastags) tags.push(...fieldTexts(alert.output_fields).map(([, text]) => text), ...(alert.tags ?? []));
  const at = epochMillis(alert.time);
  return JSON.stringify({
    ...(options.dashboarduid !== '' ? { dashboardUID: options.dashboarduid } : options.dashboardid !== 0 ? { dashboardId: options.dashboardid } : {}),
    ...(options.panelid !== 0 ? { panelId: options.panelid } : {}),
    time: at,
    timeEnd: at,
    tags,
    text: alert.output,
  });
}

/** <hostport>/api/annotations, without the double slash falcosidekick sends for a hostport ending in "/". */
export function annotationsUrl(hostport: string): string {
  return `${hostport.replace(/\/+$/, '')}/api/annotations`;
}

export default defineJsonPostOutput({
  name: 'grafana',
  description: 'Write each alert as a Grafana annotation (tags: falco, priority, rule, source, hostname), optionally on one dashboard and panel.',
  schema,
  example: { hostport: 'http://grafana:3000', apikey: 'glsa_your-service-account-token' },
  // falcosidekick starts it only with both keys and quietly stays off with hostport alone: here that
  // is a startup error (validate runs for an output that is on).
  url: (options) => (options.hostport === '' ? '' : annotationsUrl(options.hostport)),
  contentType: 'application/json',
  headers: (options) => ({ authorization: `Bearer ${options.apikey}`, ...options.customheaders }),
  body: (alert, options) => annotationBody(alert, options),
  // Grafana ignores unknown headers and has no idempotent create: nothing would read it.
  idempotencyKey: false,
  // falcosidekick's default (maxconcurrentrequests 1); each annotation is a database insert.
  concurrency: 1,
  validate: (options) =>
    options.hostport !== '' && options.apikey === '' ? [{ path: 'apikey', message: 'is required when hostport is set (a service account token with annotations:write)' }] : [],
});
