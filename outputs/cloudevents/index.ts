// CloudEvents over HTTP, binary mode: one POST per alert to `address`, the event's attributes as
// ce-* headers and the alert JSON as its data (falcosidekick's CloudEvents output).
import type { Dispatcher } from 'undici';
import {
  createHttpPool,
  defineOutput,
  keyValueMap,
  legacyConcurrency,
  loadTls,
  maxConcurrentRequests,
  optionalHttpUrl,
  sendEach,
  sendHttp,
  serializeAlert,
  tlsShape,
  z,
} from '../../src/plugin/index.ts';
import { classifyCloudEvents } from './classify.ts';
import { ceHeaders, extensionProblems, normalizeExtensions } from './event.ts';

interface CloudEventsClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  extensions: Record<string, string>;
}

export default defineOutput({
  name: 'cloudevents',
  description: 'POST each alert as a CloudEvent (HTTP binary mode: ce-* headers, the alert JSON as data), e.g. to a Knative broker.',
  schema: z.object({
    address: optionalHttpUrl('http://broker-ingress.knative-eventing.svc.cluster.local/falco/default').describe(
      'Where to POST the events, e.g. a Knative broker URL. Setting it turns the output on.',
    ),
    extensions: keyValueMap()
      .default({})
      .describe('Extension attributes added to every event, sent as ce-<name> headers (names: letters and digits; lower-cased). Env: CLOUDEVENTS_EXTENSIONS="name:value,name:value".'),
    extension: keyValueMap()
      .default({})
      .describe("falcosidekick's chart spelling (cloudevents.extension: \"\"; falcosidekick itself does not read it): added to extensions, which win."),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { address: 'http://broker-ingress.knative-eventing.svc.cluster.local/falco/default' },
  enabled: (options) => options.address !== '',
  concurrency: 4,
  legacySettings: (options) => legacyConcurrency(options),
  validate: (options) => extensionProblems({ ...options.extension, ...options.extensions }),
  connect(options, ctx): CloudEventsClient {
    const url = new URL(options.address);
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    return { pool, path: `${url.pathname}${url.search}`, headers: { 'content-type': 'application/json', 'user-agent': ctx.userAgent }, extensions: normalizeExtensions({ ...options.extension, ...options.extensions }) };
  },
  sendBatch(alerts, { client, signal, clock }) {
    return sendEach(alerts, async (alert) => {
      const headers = { ...client.headers, ...ceHeaders(alert, client.extensions) };
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers, body: serializeAlert(alert), signal });
      return classifyCloudEvents(res, clock.now());
    });
  },
  async close(client: CloudEventsClient) {
    await client.pool.close();
  },
});
