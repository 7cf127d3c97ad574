// The quickwit section: falcosidekick's keys (hostport, apiendpoint, index, version,
// autocreateindex, customheaders, checkcert, mutualtls, maxconcurrentrequests) and its defaults.
import { customHeaders, maxConcurrentRequests, optionalHttpUrl, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';

export const quickwitSchema = z.object({
  hostport: optionalHttpUrl('http://quickwit:7280').describe('Quickwit URL, e.g. http://quickwit:7280; /<apiendpoint>/<index>/ingest is appended. Setting it turns the output on.'),
  apiendpoint: z.string().default('api/v1').describe('API path under hostport (falcosidekick\'s chart writes "/api/v1"; a leading or trailing "/" is ignored).'),
  index: z.string().default('falco').describe('The index the alerts are ingested into.'),
  version: z.string().default('0.7').describe('Index config version sent when autocreateindex creates the index.'),
  autocreateindex: z.boolean().default(false).describe("Create the index with falcosidekick's doc mapping when it does not exist (checked when the output connects)."),
  customheaders: customHeaders('Extra request headers, on every request (ingest and index creation). Env: QUICKWIT_CUSTOMHEADERS="X-A:1,X-B:2".'),
  maxconcurrentrequests: maxConcurrentRequests(),
  ...tlsShape,
});

export type QuickwitOptions = z.output<typeof quickwitSchema>;

/** Quickwit's index id rule (its docs: "index_id … ^[a-zA-Z][a-zA-Z0-9-_\.]{2,254}$"). */
const INDEX_ID = /^[a-zA-Z][a-zA-Z0-9._-]{2,254}$/;

export function validateQuickwit(options: QuickwitOptions): OptionProblem[] {
  return INDEX_ID.test(options.index)
    ? []
    : [{ path: 'index', message: 'must be a Quickwit index id: a letter, then 2-254 letters, digits, "-", "_" or "." (Quickwit refuses others)' }];
}

/** `<hostport>/<apiendpoint>` without doubled slashes. */
export function apiBase(options: QuickwitOptions): string {
  const api = options.apiendpoint.replace(/^\/+|\/+$/g, '');
  return `${options.hostport.replace(/\/+$/, '')}${api === '' ? '' : `/${api}`}`;
}
