// Sumo Logic HTTP Logs source: the alert JSON (falcosidekick's webhook body), one POST per alert to
// the source's URL, with X-Sumo-Category / X-Sumo-Host / X-Sumo-Name when set. Sumo answers 200;
// 401 for a missing or invalid URL token; 408, 429 (throttled), 503, 504 to retry.
import { HEADER_VALUE_PROBLEM, isHeaderValue, maxConcurrentRequests, optionalHttpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';
import { defineJsonPostOutput } from '../webhook/post.ts';
import { classifySumo } from './classify.ts';

const HEADERS = [
  ['sourcecategory', 'x-sumo-category'],
  ['sourcehost', 'x-sumo-host'],
  ['name', 'x-sumo-name'],
] as const;

export default defineJsonPostOutput({
  name: 'sumologic',
  description: 'POST each alert as JSON to a Sumo Logic HTTP Logs source, with its source category, host and name headers.',
  schema: z.object({
    receiverurl: secret(
      optionalHttpUrl('https://endpoint4.collection.sumologic.com/receiver/v1/http/TOKEN').describe(
        "The HTTP source's URL, e.g. https://endpoint4.collection.us2.sumologic.com/receiver/v1/http/<token>. It carries the source's token (a credential): redacted everywhere. Setting it turns the output on.",
      ),
    ),
    sourcecategory: z.string().default('').describe('Sent as X-Sumo-Category: overrides the source category of the HTTP source ("" = the source\'s own).'),
    sourcehost: z.string().default('').describe('Sent as X-Sumo-Host: overrides the source host ("" = the source\'s own).'),
    name: z.string().default('').describe('Sent as X-Sumo-Name: overrides the source name ("" = the source\'s own).'),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { receiverurl: 'https://endpoint4.collection.sumologic.com/receiver/v1/http/your-source-token' },
  url: (options) => options.receiverurl,
  contentType: 'application/json; charset=utf-8',
  headers(options) {
    const headers: Record<string, string> = {};
    for (const [key, header] of HEADERS) if (options[key] !== '') headers[header] = options[key];
    return headers;
  },
  // A source stores what it is sent: nothing there reads an idempotency header.
  idempotencyKey: false,
  concurrency: 2,
  classify: (res, now) => classifySumo(res, now),
  validate(options): OptionProblem[] {
    return HEADERS.filter(([key]) => !isHeaderValue(options[key])).map(([key]) => ({ path: key, message: HEADER_VALUE_PROBLEM }));
  },
});
