// Splunk HTTP Event Collector: batches of HEC envelopes (one per alert, alert time as `time`),
// classified by HEC's reason codes, with optional gzip and indexer acknowledgement.
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, legacyConcurrency, loadTls, ok, sendHttp, type HttpResponse } from '../../src/plugin/index.ts';
import { awaitAck } from './ack.ts';
import { classifyHecFailure, parseHecReply } from './classify.ts';
import { envelopeBuilder, hecBody, type EnvelopeBuilder } from './envelope.ts';
import { hecHealth } from './health.ts';
import { hecEndpoints, splunkSchema, type HecEndpoints } from './options.ts';

const gzip = promisify(gzipCb);

export interface SplunkClient {
  pool: Dispatcher;
  endpoints: HecEndpoints;
  /** Authorization, channel, user agent, custom headers. */
  headers: Record<string, string>;
  build: EnvelopeBuilder;
  /** Removes the token from text that may echo it (reasons must not carry credentials). */
  redact: (text: string) => string;
}

export default defineOutput({
  name: 'splunk',
  description: 'Send alerts to a Splunk HTTP Event Collector (HEC), batched, with the alert time, optional gzip and indexer acknowledgement.',
  schema: splunkSchema,
  example: { hostport: 'https://splunk-hec.example.com:8088', token: 'your-hec-token', index: 'falco', source: 'falco' },
  enabled: (options) => options.hostport !== '' || options.host !== '',
  // HEC's default max_content_length is 1 MB: alert bytes plus ~200 bytes of envelope per event stay below it.
  batch: { maxevents: 500, maxbytes: 800_000, flushms: 1000 },
  concurrency: 2,
  legacySettings: legacyConcurrency,
  connect(options, ctx) {
    const endpoints = hecEndpoints(options);
    const custom = options.customheaders; // names already lower-cased by customHeaders()
    if (!options.token && !custom.authorization) {
      throw new Error('splunk.token is empty: set the HEC token (env SPLUNK_TOKEN)');
    }
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': ctx.userAgent, ...custom };
    if (options.token) headers.authorization = `Splunk ${options.token}`;
    // One channel per output instance; HEC scopes ackIds to it.
    if (options.useack) headers['x-splunk-request-channel'] = randomUUID();
    const pool = createHttpPool(endpoints.origin, { tls: loadTls(options, ctx.tls), connections: ctx.concurrency + 1, timeoutMs: ctx.timeoutMs });
    const token = options.token;
    const redact = token.length >= 4 ? (text: string) => text.split(token).join('***') : (text: string) => text;
    return { pool, endpoints, headers, build: envelopeBuilder(options), redact } satisfies SplunkClient;
  },
  async healthcheck({ client, signal }) {
    const result = await hecHealth(client.pool, client.endpoints, client.headers, signal);
    return result.message ? { ...result, message: client.redact(result.message) } : result;
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const text = hecBody(alerts, client.build);
    const headers = options.gzip ? { ...client.headers, 'content-encoding': 'gzip' } : client.headers;
    const body = options.gzip ? await gzip(text) : text;
    const res = redacted(await sendHttp(client.pool, { path: client.endpoints.event, method: 'POST', headers, body, signal }), client.redact);
    if (res.status < 200 || res.status >= 300) return classifyHecFailure(res, alerts.length, clock.now());
    const ackId = parseHecReply(res.text)?.ackId;
    if (!options.useack || typeof ackId !== 'number') return ok();
    const poll = async (ackBody: string) =>
      redacted(await sendHttp(client.pool, { path: client.endpoints.ack, method: 'POST', headers: client.headers, body: ackBody, signal }), client.redact);
    return awaitAck(poll, ackId, options, signal, clock);
  },
  async close(client: SplunkClient) {
    await client.pool.close();
  },
});

function redacted(res: HttpResponse, redact: (text: string) => string): HttpResponse {
  return { ...res, text: redact(res.text) };
}

