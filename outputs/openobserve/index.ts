// OpenObserve logs ingestion: the alert JSON (falcosidekick's webhook body), one POST per alert to
// <hostport>/api/<organizationname>/<streamname>/_multi, with basic auth and the custom headers.
import { customHeaders, maxConcurrentRequests, optionalHttpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';
import { basicAuthHeader, defineJsonPostOutput, pairProblems } from '../webhook/post.ts';
import { classifyIngest } from './classify.ts';

export default defineJsonPostOutput({
  name: 'openobserve',
  description: 'POST each alert as JSON to an OpenObserve stream (its _multi logs ingestion), with basic auth.',
  schema: z.object({
    hostport: optionalHttpUrl('http://openobserve:5080').describe('OpenObserve URL, e.g. http://openobserve:5080; /api/<organizationname>/<streamname>/_multi is appended. Setting it turns the output on.'),
    organizationname: z.string().default('default').describe('The organization of the stream.'),
    streamname: z.string().default('falco').describe('The stream the alerts go to.'),
    username: z.string().default('').describe('Basic auth user (with password).'),
    password: secret(z.string().default('').describe('Basic auth password (with username), or an ingestion token.')),
    customheaders: customHeaders('Extra request headers, set after the others (they win). Env: OPENOBSERVE_CUSTOMHEADERS="X-A:1,X-B:2".'),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { hostport: 'http://openobserve:5080', username: 'root@example.com', password: 'your-password' },
  url: (options) =>
    options.hostport === '' ? '' : `${options.hostport.replace(/\/+$/, '')}/api/${encodeURIComponent(options.organizationname)}/${encodeURIComponent(options.streamname)}/_multi`,
  contentType: 'application/json; charset=utf-8',
  headers: (options) => ({ ...basicAuthHeader(options.username, options.password), ...options.customheaders }),
  // OpenObserve stores what it is sent: nothing there reads an idempotency header.
  idempotencyKey: false,
  concurrency: 2,
  classify: (res, now) => classifyIngest(res, now),
  validate(options): OptionProblem[] {
    const problems = pairProblems('basic auth', ['username', 'password'], [options.username, options.password]);
    for (const key of ['organizationname', 'streamname'] as const) if (options[key] === '') problems.push({ path: key, message: 'must not be empty (it is part of the ingestion URL)' });
    return problems;
  },
});
