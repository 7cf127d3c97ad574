// Datadog Events API (v1): one event per alert, as falcosidekick posts it, to
// <host>/api/v1/events with the API key in the query (?api_key=), as falcosidekick sends it.
import { maxConcurrentRequests, secret, tlsShape, z } from '../../src/plugin/index.ts';
import { defineJsonPostOutput } from '../webhook/post.ts';
import { classifyDatadog, withoutKey } from './classify.ts';
import { datadogEvent } from './event.ts';
import { apiUrl, siteHost } from './url.ts';

export default defineJsonPostOutput({
  name: 'datadog',
  description: 'POST each alert as a Datadog event (Events API v1): title, text, alert_type, tags.',
  schema: z.object({
    apikey: secret(z.string().default('').describe('Datadog API key, sent as ?api_key=<apikey> (as falcosidekick sends it). Setting it turns the output on.')),
    host: siteHost('https://api.datadoghq.com', "The Datadog site's API host, e.g. https://api.datadoghq.eu, https://api.us5.datadoghq.com; /api/v1/events is appended (\"\" = the default)."),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { apikey: 'your-datadog-api-key' },
  url: (options) => (options.apikey === '' ? '' : apiUrl(options.host, `/api/v1/events?api_key=${encodeURIComponent(options.apikey)}`)),
  contentType: 'application/json; charset=utf-8',
  headers: () => ({}),
  body: datadogEvent,
  // The Events API would take it as an unknown header; nothing there reads it.
  idempotencyKey: false,
  concurrency: 2,
  classify: (res, now, options) => withoutKey(classifyDatadog(res, now, 'datadog'), options.apikey),
});
