// The influxdb output's options: falcosidekick's keys (influxdb.*, same defaults), and where they send.
import { maxConcurrentRequests, optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';
import type { Precision } from './line.ts';

export const influxdbSchema = z.object({
  hostport: optionalHttpUrl('http://influxdb:8086').describe('InfluxDB base URL, e.g. http://influxdb:8086; /write (v1) or /api/v2/write (v2) is appended. Setting it turns the output on.'),
  database: z.string().default('falco').describe('InfluxDB 1.x database (POST /write?db=…), used when organization is empty.'),
  organization: z.string().default('').describe('InfluxDB 2.x/3.x organization: when set, alerts go to /api/v2/write?org=…&bucket=… with the token.'),
  bucket: z.string().default('falco').describe('InfluxDB 2.x/3.x bucket, used with organization.'),
  precision: z
    .enum(['ns', 'us', 'u', 'ms', 's', 'm', 'h', ''])
    .default('ns')
    .describe('Unit of the point timestamps (the alert time, truncated) and of the precision URL argument: ns, us (v2), u, m, h (v1), ms, s. "" sends no argument (ns). Coarser than ns: alerts of one series in the same unit of time overwrite each other.'),
  user: z.string().default('').describe('InfluxDB 1.x user, sent with password as Basic auth when no token is set.'),
  password: secret(z.string().default('').describe('InfluxDB 1.x password, used with user.')),
  token: secret(z.string().default('').describe('API token, sent as "Authorization: Token <token>" (InfluxDB 2.x/3.x; 1.x with a v2 compatibility token).')),
  maxconcurrentrequests: maxConcurrentRequests(),
  ...tlsShape,
});

export type InfluxdbOptions = z.output<typeof influxdbSchema>;

const V2_PRECISIONS = new Set(['ns', 'us', 'ms', 's', '']);
const V1_PRECISIONS = new Set(['ns', 'u', 'ms', 's', 'm', 'h', '']);

export function influxdbProblems(options: InfluxdbOptions): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const v2 = options.organization !== '';
  if (v2 && options.bucket === '') problems.push({ path: 'bucket', message: 'is required with organization (InfluxDB 2.x /api/v2/write)' });
  if (!v2 && options.database === '') problems.push({ path: 'database', message: 'is required without organization (InfluxDB 1.x /write); falcosidekick then posts to a broken URL' });
  if (v2 && !V2_PRECISIONS.has(options.precision)) problems.push({ path: 'precision', message: `"${options.precision}" is not an /api/v2/write precision: use ns, us, ms or s` });
  if (!v2 && !V1_PRECISIONS.has(options.precision)) problems.push({ path: 'precision', message: `"${options.precision}" is not a /write precision: use ns, u, ms, s, m or h` });
  if (options.token === '' && (options.user === '') !== (options.password === '')) {
    problems.push({ path: options.user === '' ? 'user' : 'password', message: 'user and password go together (falcosidekick silently sends neither)' });
  }
  return problems;
}

/** The write path and query, as falcosidekick builds it (minus u/p, sent as Basic auth). */
export function writePath(options: InfluxdbOptions, basePath: string): string {
  const base = basePath.replace(/\/+$/, '');
  const query = options.organization !== '' ? new URLSearchParams({ org: options.organization, bucket: options.bucket }) : new URLSearchParams({ db: options.database });
  if (options.precision !== '') query.set('precision', options.precision);
  return `${base}${options.organization !== '' ? '/api/v2/write' : '/write'}?${query.toString()}`;
}

export function authorization(options: InfluxdbOptions): string | undefined {
  if (options.token !== '') return `Token ${options.token}`;
  if (options.user !== '' && options.password !== '') return `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  return undefined;
}

export function precisionOf(options: InfluxdbOptions): Precision | '' {
  return options.precision;
}
