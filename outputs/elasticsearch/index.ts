// falcosidekick's elasticsearch output, for Elasticsearch 8/9 (official client) and OpenSearch 2 /
// Elasticsearch 7 (plain _bulk over undici): always _bulk with the `create` op and `_id` = alert
// uuid, so replays are 409s instead of duplicates; per-item outcomes; index dated by the alert time.
import { defineOutput, legacyConcurrency, proxyFor } from '../../src/plugin/index.ts';
import { BulkBodyBuilder } from './bulk-body.ts';
import { classifyBulk } from './bulk-response.ts';
import { checkHealth, redactUrl } from './healthcheck.ts';
import { elasticsearchSchema, flattens, installsTemplate } from './options.ts';
import { ensureIndexTemplate, templateName } from './template.ts';
import { ClientTransport, detectFlavor, HttpTransport, loadEsClient, type EsTransport } from './transport.ts';

interface ElasticsearchClient {
  transport: EsTransport;
  builder: BulkBodyBuilder;
  bulkPath: string;
}

// Only what the classifier reads: a 1000-item answer shrinks from ~250 KB to ~20 KB when all is well.
const FILTER = 'filter_path=errors,items.*.status,items.*.error';

export default defineOutput({
  name: 'elasticsearch',
  description: 'Index alerts into Elasticsearch 8/9 or OpenSearch 2 with _bulk (idempotent create by alert uuid).',
  schema: elasticsearchSchema,
  example: { hostport: 'https://elasticsearch.example.com:9200', index: 'falco-alerts', username: 'elastic', password: 'changeme' },
  enabled: (options) => options.hostport !== '',
  // ES guidance: bulk requests of a few MB; 1000 Falco alerts are ~1.5 MB. flushms 1000 matches the
  // default index refresh interval, so waiting longer to fill a batch costs no search latency.
  batch: { maxevents: 1000, maxbytes: 5 * 1024 * 1024, flushms: 1000 },
  concurrency: 2,
  legacySettings(options) {
    const batch: { maxbytes?: number; flushms?: number } = {};
    if (options.batching.batchsize !== undefined) batch.maxbytes = options.batching.batchsize;
    if (options.batching.flushinterval !== undefined) batch.flushms = options.batching.flushinterval;
    return { batch, ...legacyConcurrency(options) };
  },
  async connect(options, ctx): Promise<ElasticsearchClient> {
    const signal = AbortSignal.timeout(ctx.timeoutMs);
    let transport: EsTransport;
    // Through the environment's proxy (HTTPS_PROXY …): the official client's connection cannot use
    // one, so the cluster gets the plain _bulk transport, which goes through createHttpPool's.
    if (options.flavor === 'opensearch' || proxyFor(new URL(options.hostport))) {
      transport = new HttpTransport(options, ctx);
    } else if (options.flavor === 'elasticsearch') {
      await loadEsClient();
      transport = new ClientTransport(options, ctx);
    } else {
      const probe = new HttpTransport(options, ctx);
      let flavor;
      try {
        flavor = await detectFlavor(probe, redactUrl(options.hostport), signal);
      } catch (err) {
        await probe.close();
        throw err;
      }
      if (flavor === 'opensearch') transport = probe;
      else {
        await probe.close();
        await loadEsClient();
        transport = new ClientTransport(options, ctx);
      }
    }
    try {
      if (installsTemplate(options)) {
        const done = await ensureIndexTemplate(transport, options, signal);
        const said = { created: 'index template created', exists: 'index template exists; left as it is', falcosidekick: "falcosidekick's index template \"falco\" covers this index: left as it is, its mapping stays" };
        ctx.log.info({ template: templateName(options), done }, said[done]);
      }
    } catch (err) {
      await transport.close();
      throw err;
    }
    ctx.log.info({ flavor: transport.flavor, hostport: redactUrl(options.hostport) }, 'elasticsearch output connected');
    const builder = new BulkBodyBuilder({ index: options.index, suffix: options.suffix, datastream: options.datastream, flattenfields: flattens(options) });
    const pipeline = options.pipeline ? `&pipeline=${encodeURIComponent(options.pipeline)}` : '';
    return { transport, builder, bulkPath: `/_bulk?${FILTER}${pipeline}` };
  },
  healthcheck: ({ client, options, signal }) => checkHealth(client.transport, options.hostport, signal),
  async sendBatch(alerts, { client, signal, clock }) {
    const body = client.builder.build(alerts);
    const res = await client.transport.request({ method: 'POST', path: client.bulkPath, body, ndjson: true, signal });
    return classifyBulk(res, alerts.length, clock.now());
  },
  async close(client) {
    await client.transport.close();
  },
});
