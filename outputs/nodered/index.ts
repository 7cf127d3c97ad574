// Node-RED: an `http in` node (POST) takes the alert JSON (falcosidekick's webhook body) as
// msg.payload and answers 200 through its `http response` node; with httpNodeAuth set, basic auth.
import { customHeaders, maxConcurrentRequests, optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';
import { basicAuthHeader, defineJsonPostOutput, pairProblems } from '../webhook/post.ts';

export default defineJsonPostOutput({
  name: 'nodered',
  description: 'POST each alert as JSON to a Node-RED `http in` node, with basic auth and custom headers.',
  schema: z.object({
    address: optionalHttpUrl('http://node-red:1880/falco').describe('URL of the `http in` node (method POST), e.g. http://node-red:1880/falco. Setting it turns the output on.'),
    user: z.string().default('').describe('Basic auth user (Node-RED\'s httpNodeAuth). Sent only together with password, as in falcosidekick.'),
    password: secret(z.string().default('').describe('Basic auth password (Node-RED\'s httpNodeAuth), sent with user as "Authorization: Basic …".')),
    customheaders: customHeaders('Extra request headers; they win over the basic auth header, as in falcosidekick. Env: NODERED_CUSTOMHEADERS="X-A:1,X-B:2".'),
    maxconcurrentrequests: maxConcurrentRequests(),
    ...tlsShape,
  }),
  example: { address: 'http://node-red:1880/falco' },
  url: (options) => options.address,
  contentType: 'application/json; charset=utf-8',
  headers: (options) => ({ ...basicAuthHeader(options.user, options.password), ...options.customheaders }),
  // A flow sees it in msg.req.headers and may use it to drop a replayed alert; Node-RED ignores it.
  idempotencyKey: true,
  concurrency: 32,
  validate: (options) => pairProblems('basic auth', ['user', 'password'], [options.user, options.password]),
});
