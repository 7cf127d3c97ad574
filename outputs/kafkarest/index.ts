// Confluent REST Proxy (v2 API, binary embedded format), as falcosidekick uses it: POST to
// `address` (http(s)://<proxy>/topics/<topic>) a JSON of records whose values are the alert JSON in
// base64. Batched: one record per alert, the alerts of a batch in one request.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, legacyConcurrency, loadTls, maxConcurrentRequests, optionalHttpUrl, sendHttp, tlsShape, z } from '../../src/plugin/index.ts';
import { classifyProduce } from './classify.ts';
import { contentType, recordsBody } from './records.ts';

interface KafkaRestClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
}

export default defineOutput({
  name: 'kafkarest',
  description: 'Produce alerts to a Kafka topic through the Confluent REST Proxy (v2 API, base64 binary records), batched.',
  schema: z.object({
    address: optionalHttpUrl('http://kafka-rest:8082/topics/falco').describe("The topic's produce URL on the REST Proxy, http(s)://<proxy>/topics/<topic>. Setting it turns the output on."),
    version: z
      .number()
      .int()
      .default(2)
      .describe('REST Proxy API version of the Content-Type (application/vnd.kafka.binary.v<version>+json): 1 or 2; any other value is 2, as in falcosidekick.'),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { address: 'http://kafka-rest:8082/topics/falco' },
  enabled: (options) => options.address !== '',
  // The proxy produces each record as one Kafka message (message.max.bytes, 1 MB by default, is
  // per record); 1 MB of alerts is 1.33 MB of base64 per request.
  batch: { maxevents: 500, maxbytes: 1_000_000, flushms: 1000 },
  concurrency: 2,
  legacySettings: (options) => legacyConcurrency(options),
  connect(options, ctx): KafkaRestClient {
    const url = new URL(options.address);
    const pool = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const headers = { 'content-type': contentType(options.version), 'user-agent': ctx.userAgent };
    return { pool, path: `${url.pathname}${url.search}`, headers };
  },
  async sendBatch(alerts, { client, signal, clock }) {
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body: recordsBody(alerts), signal });
    return classifyProduce(res, clock.now(), alerts.length);
  },
  async close(client: KafkaRestClient) {
    await client.pool.close();
  },
});
