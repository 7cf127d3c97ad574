// n8n: a Webhook trigger node (POST) takes the alert JSON (falcosidekick's webhook body) and answers
// 200 {"message":"Workflow was started"}; 403 when its basic or header auth refuses the credentials,
// 404 while the workflow is inactive.
import { classifyHttp, excerpt, HEADER_VALUE_PROBLEM, isHeaderValue, optionalHttpUrl, retry, secret, tlsShape, z, type HttpResponse, type Outcome } from '../../src/plugin/index.ts';
import { basicAuthHeader, defineJsonPostOutput, pairProblems } from '../webhook/post.ts';

/** RFC 9110's token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]*$/;

/**
 * n8n answers 404 "The requested webhook … is not registered." while the workflow is inactive, and
 * for a moment while it is saved or activated again: held (the output shows failing) until it is
 * active, dead-lettered when retry.maxagems runs out. Any other answer: the shared HTTP rules.
 */
function classifyN8n(res: HttpResponse, now: number): Outcome {
  if (res.status === 404 && /is not registered/.test(res.text)) {
    return retry(`HTTP 404: ${excerpt(res.text)} (the workflow is not active: activate it in n8n)`, { auth: true });
  }
  return classifyHttp(res, now);
}

export default defineJsonPostOutput({
  name: 'n8n',
  description: 'POST each alert as JSON to an n8n Webhook node, with its basic or header auth.',
  schema: z.object({
    address: optionalHttpUrl('https://n8n.example.com/webhook/falco').describe('Production URL of the Webhook node (method POST), e.g. https://n8n.example.com/webhook/falco. Setting it turns the output on.'),
    user: z.string().default('').describe('Basic auth user (the Webhook node\'s Basic Auth credential). Sent only together with password, as in falcosidekick.'),
    password: secret(z.string().default('').describe('Basic auth password, sent with user as "Authorization: Basic …".')),
    headerauthname: z
      .string()
      .regex(HEADER_NAME, 'must be an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~)')
      .default('')
      .describe('Header name of the Webhook node\'s Header Auth credential, e.g. X-N8N-Auth. Sent only together with headerauthvalue, as in falcosidekick.'),
    headerauthvalue: secret(
      z.string().refine(isHeaderValue, HEADER_VALUE_PROBLEM).default('').describe('Header value of the Header Auth credential, sent as "<headerauthname>: <headerauthvalue>".'),
    ),
    ...tlsShape,
  }),
  example: { address: 'https://n8n.example.com/webhook/falco' },
  url: (options) => options.address,
  contentType: 'application/json; charset=utf-8',
  headers: (options) => ({
    ...basicAuthHeader(options.user, options.password),
    // After basic auth, as falcosidekick sets it: a header auth named Authorization wins.
    ...(options.headerauthname !== '' && options.headerauthvalue !== '' ? { [options.headerauthname.toLowerCase()]: options.headerauthvalue } : {}),
  }),
  // A workflow sees it in $json.headers and may use it to drop a replayed alert; n8n ignores it.
  idempotencyKey: true,
  // Each request starts a workflow execution: 32 at once keep up with a burst without flooding n8n.
  concurrency: 32,
  classify: classifyN8n,
  validate: (options) => [
    ...pairProblems('basic auth', ['user', 'password'], [options.user, options.password]),
    ...pairProblems('header auth', ['headerauthname', 'headerauthvalue'], [options.headerauthname, options.headerauthvalue]),
  ],
});
