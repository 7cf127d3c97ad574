// falcosidekick's gcp.chronicle: alerts as unstructured logs of a Google SecOps (Chronicle) instance,
// through the Chronicle API's logs:import (POST https://chronicle.<region>.rep.googleapis.com/v1beta/
// projects/<projectid>/locations/<region>/instances/<instanceid>/logTypes/<logtype>/logs:import),
// each alert's JSON base64-encoded as one Log (body.ts); several alerts per import, where
// falcosidekick makes one import per alert. The bearer token is the GCP outputs' (gcp.credentials or
// Application Default Credentials, outputs/gcpcloudfunctions/token.ts).
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, gcpKeyFile, gcpShared, httpUrl, loadTls, sendHttp, z } from '../../src/plugin/index.ts';
import { adcTokenSource, keyTokenSource, type TokenSource } from '../gcpcloudfunctions/token.ts';
import { importBody } from './body.ts';
import { classifyImport } from './classify.ts';

/** falcosidekick's rule for the names it puts in the URL (config.go chronicleFieldRegex). */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]*$/;
const NAME_PROBLEM = 'must match ^[a-zA-Z0-9][a-zA-Z0-9_-]*$ (letters, digits, _ and -, not first): it goes into the API URL';
const name = (describe: string) => z.union([z.literal(''), z.string().regex(NAME, NAME_PROBLEM)]).default('').describe(describe);
const TURNING_ON = ['region', 'projectid', 'instanceid'] as const;

interface Client {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  tokens: TokenSource;
}

export default defineOutput({
  name: 'gcpchronicle',
  section: ['gcp', 'chronicle'],
  shared: gcpShared,
  description: 'Import alerts as unstructured logs into Google SecOps (Chronicle API logs:import).',
  schema: z.object({
    region: name('Region of the Chronicle instance (us, europe, europe-west12, …): the API host is chronicle.<region>.rep.googleapis.com. With projectid and instanceid, turns the output on.'),
    projectid: name('Google Cloud project the Chronicle instance is linked to. With region and instanceid, turns the output on.'),
    instanceid: name('Chronicle instance id (the customer id, a UUID). With region and projectid, turns the output on.'),
    logtype: z.string().regex(NAME, NAME_PROBLEM).default('FALCO_IDS').describe('Log type the logs are imported as (selects the parser).'),
    endpoint: z
      .union([z.literal(''), httpUrl('https://chronicle.us.rep.googleapis.com')])
      .default('')
      .describe('Base URL of the Chronicle API; "" = https://chronicle.<region>.rep.googleapis.com (a private endpoint or a proxy otherwise).'),
  }),
  example: { region: 'us', projectid: 'my-project', instanceid: '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d' },
  enabled: (options) => TURNING_ON.every((key) => options[key] !== ''),
  // logs:import takes a list of logs, all accepted or all refused. Google documents no size limit for
  // it; the legacy Ingestion API it replaces took batches of about 1 MB: 700 kB of alert JSON is ~950 kB base64-encoded.
  batch: { maxevents: 100, maxbytes: 700_000, flushms: 1000 },
  concurrency: 2,
  async connect(options, ctx): Promise<Client> {
    const key = gcpKeyFile(ctx.shared);
    if (key && (typeof key.client_email !== 'string' || typeof key.private_key !== 'string')) {
      throw new Error(`gcp.credentials must be a service_account key (with client_email and private_key) for gcp.chronicle; this one is of type ${key.type}`);
    }
    const tokens = key ? keyTokenSource(key, ctx.clock) : await adcTokenSource();
    const base = new URL(options.endpoint || `https://chronicle.${options.region}.rep.googleapis.com`);
    const pool = createHttpPool(base, { tls: loadTls({ checkcert: true, mutualtls: false, cacertfile: '' }, ctx.tls), connections: ctx.concurrency, timeoutMs: ctx.timeoutMs });
    const parent = `projects/${options.projectid}/locations/${options.region}/instances/${options.instanceid}`;
    const path = `${base.pathname.replace(/\/+$/, '')}/v1beta/${parent}/logTypes/${options.logtype}/logs:import`;
    return { pool, path, headers: { 'content-type': 'application/json', 'user-agent': ctx.userAgent }, tokens };
  },
  async sendBatch(alerts, { client, options, signal, clock }) {
    const token = await client.tokens.token();
    const body = importBody(alerts, clock.now());
    const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: { ...client.headers, authorization: `Bearer ${token}` }, body, signal });
    return classifyImport(res, clock.now(), options);
  },
  async close(client) {
    await client.pool.close();
  },
});
