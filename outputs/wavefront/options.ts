// The wavefront output's options: falcosidekick's keys (wavefront.*, same defaults), and where they send.
//   direct: https://<endpointhost>/report?f=wavefront with "Authorization: Bearer <endpointtoken>"
//   proxy:  http://<endpointhost>:<endpointmetricport>/report?f=wavefront (a Wavefront proxy's metrics port)
import { secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';
import { sanitizeName } from './line.ts';

export const wavefrontSchema = z.object({
  endpointtype: z
    .enum(['', 'direct', 'proxy'], { error: 'must be direct or proxy' })
    .default('')
    .describe('"direct" (Wavefront direct ingestion, with endpointtoken) or "proxy" (a Wavefront proxy). Setting it with endpointhost turns the output on.'),
  endpointhost: z
    .string()
    .default('')
    .describe(
      'direct: the Wavefront instance host, e.g. myinstance.wavefront.com (https, port 443 unless host:port). proxy: the proxy URL, e.g. http://wavefront-proxy (a host alone means http://host); a port in it wins over endpointmetricport. Setting it with endpointtype turns the output on.',
    ),
  endpointtoken: secret(z.string().default('').describe('direct: the API token (Direct Data Ingestion permission), sent as "Authorization: Bearer <endpointtoken>". Not used with a proxy.')),
  endpointmetricport: z.number().int().min(1).max(65535).default(2878).describe("proxy: the proxy's metrics port (its pushListenerPorts), used when endpointhost names no port."),
  metricname: z.string().default('falco.alert').describe('Name of the metric each alert is sent as (value 1, the alert time, source "falco-exporter"); characters Wavefront does not allow become "-".'),
  flushintervalseconds: z.number().int().default(1).describe('Longest wait, in seconds, to fill a batch before it is sent (below 1: 1). Sets batch.flushms unless that is set.'),
  batchsize: z.number().int().default(10000).describe('Most points per request (below 1: 10000). Sets batch.maxevents unless that is set.'),
  ...tlsShape,
});

export type WavefrontOptions = z.output<typeof wavefrontSchema>;

/** Wavefront's longest metric name. */
const METRIC_NAME_LIMIT = 256;

export function wavefrontProblems(options: WavefrontOptions): OptionProblem[] {
  const problems: OptionProblem[] = [];
  if (options.endpointtype === 'direct' && options.endpointtoken === '') problems.push({ path: 'endpointtoken', message: 'is required with endpointtype direct (falcosidekick then sends without a token, to port 2878)' });
  if (options.metricname === '') problems.push({ path: 'metricname', message: 'is empty: the Wavefront SDK refuses every point' });
  else if (sanitizeName(options.metricname).length > METRIC_NAME_LIMIT) problems.push({ path: 'metricname', message: `is longer than Wavefront's ${METRIC_NAME_LIMIT} characters` });
  const target = reportUrl(options);
  if (typeof target === 'string') problems.push({ path: 'endpointhost', message: target });
  return problems;
}

/** Where the points go, or why endpointhost cannot say. */
export function reportUrl(options: WavefrontOptions): URL | string {
  const host = options.endpointhost.trim();
  const direct = options.endpointtype === 'direct';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host);
  let url: URL;
  try {
    url = new URL(scheme ? host : `${direct ? 'https' : 'http'}://${host}`);
  } catch {
    return `"${options.endpointhost}" is not a host or URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol} is not http or https`;
  if (url.username || url.password || url.search || url.hash) return 'takes a host[:port][/path] or a URL without credentials, query or fragment';
  // A port written in endpointhost wins (even the scheme's own, which URL leaves out).
  const written = /^[a-z][a-z0-9+.-]*:\/\/[^/]*:\d+(?=\/|$)/i.test(url.protocol + '//' + (scheme ? host.replace(/^[^:]+:\/\//, '') : host));
  if (!written && !direct) url.port = String(options.endpointmetricport);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/report`;
  url.search = '?f=wavefront';
  return url;
}

/** Batch settings from falcosidekick's keys: below 1 means the SDK's default, as in falcosidekick. */
export function legacyBatch(options: WavefrontOptions): { batch: { maxevents: number; flushms: number } } {
  return { batch: { maxevents: options.batchsize < 1 ? 10000 : options.batchsize, flushms: (options.flushintervalseconds < 1 ? 1 : options.flushintervalseconds) * 1000 } };
}
