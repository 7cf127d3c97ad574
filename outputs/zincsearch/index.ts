// ZincSearch: each alert's JSON (falcosidekick's webhook body) POSTed to <hostport>/api/<index>/_doc,
// ZincSearch's own document API, with basic auth. ZincSearch creates the index on the first document.
import { optionalHttpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';
import { basicAuthHeader, defineJsonPostOutput, pairProblems } from '../webhook/post.ts';
import { classifyZincsearch } from './classify.ts';

/** ZincSearch's rule for an index name (pkg/core/newindex.go CheckIndexName): a name it refuses is a 500 on every alert. */
const INDEX_NAME = /^[a-zA-Z0-9.-][a-zA-Z0-9_.-]*$/;

export default defineJsonPostOutput({
  name: 'zincsearch',
  description: 'POST each alert as JSON to a ZincSearch index (its /api/<index>/_doc document API), with basic auth.',
  schema: z.object({
    hostport: optionalHttpUrl('http://zincsearch:4080').describe('ZincSearch URL, e.g. http://zincsearch:4080; /api/<index>/_doc is appended. Setting it turns the output on.'),
    index: z.string().default('falco').describe('The index the alerts go to; ZincSearch creates it on the first alert.'),
    username: z.string().default('').describe('Basic auth user (with password); ZincSearch refuses requests without credentials.'),
    password: secret(z.string().default('').describe('Basic auth password (with username).')),
    ...tlsShape,
  }),
  example: { hostport: 'http://zincsearch:4080', username: 'admin', password: 'your-password' },
  url: (options) => (options.hostport === '' ? '' : `${options.hostport.replace(/\/+$/, '')}/api/${encodeURIComponent(options.index)}/_doc`),
  contentType: 'application/json; charset=utf-8',
  headers: (options) => basicAuthHeader(options.username, options.password),
  // ZincSearch stores each POST as a new document: an unknown header is ignored, none reads it.
  idempotencyKey: false,
  concurrency: 2,
  classify: (res, now) => classifyZincsearch(res, now),
  validate(options): OptionProblem[] {
    const problems = pairProblems('basic auth', ['username', 'password'], [options.username, options.password]);
    if (!INDEX_NAME.test(options.index)) problems.push({ path: 'index', message: 'must be letters, digits, ".", "-" or "_", not starting with "_" (ZincSearch refuses other index names)' });
    return problems;
  },
});
