// The otlp output's options: falcosidekick's `otlp.logs.*` keys (2.34.1: outputs/otlp_logs.go,
// config.go), protocol http/protobuf (default, as there) or http/json.
import { minimumPriority, secret, tlsShape, z } from '../../src/plugin/index.ts';

/** The OTLP signals Peregrine sends, each its own output: its URL path and env var prefix. */
export type Signal = 'logs' | 'traces';

/** `endpoint`: an OTLP/HTTP URL for the signal, or "" (the output off). */
export const otlpEndpoint = (signal: Signal) =>
  z
    .union([z.literal(''), z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as http://otel-collector:4318/v1/${signal}` })])
    .default('')
    .describe(`OTLP/HTTP ${signal} URL, e.g. http://otel-collector:4318/v1/${signal}, used as is (a URL without a path gets /v1/${signal}). Setting it turns the output on.`);

export const otlpProtocol = z
  .enum(['http/protobuf', 'http/json', 'grpc'], { error: 'must be http/protobuf or http/json' })
  .default('http/protobuf')
  .describe('Encoding: http/protobuf (default, as in falcosidekick) or http/json. grpc is not supported yet (refused at startup).');

/**
 * OTEL_EXPORTER_OTLP_HEADERS syntax ("k1=v1,k2=v2", values percent-decoded, as falcosidekick hands
 * the key to the OTel SDK) or a YAML map. Names lower-cased; every value is a secret.
 */
export const otlpHeaders = (signal: Signal) =>
  secret(
    z
      .preprocess((v) => (typeof v === 'string' ? parseHeaders(v) : v), z.record(z.string(), z.string()))
      .transform((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])))
      .default({})
      .describe(`Request headers, as OTEL_EXPORTER_OTLP_HEADERS ("api-key=secret,x-team=sec", values percent-decoded) or a map. Env: OTLP_${signal.toUpperCase()}_HEADERS.`),
  );

/** grpc is in the enum (falcosidekick's value) and refused by validate(): the path of the key. */
export const grpcRefused = (protocol: string, path: string) =>
  protocol === 'grpc' ? [{ path, message: 'grpc is not supported yet: use http/protobuf (the collector\'s OTLP/HTTP port, 4318)' }] : [];

const logsSchema = z
  .object({
    endpoint: otlpEndpoint('logs'),
    protocol: otlpProtocol,
    headers: otlpHeaders('logs'),
    servicename: z.string().min(1).default('falco').describe('Resource attribute service.name (falcosidekick: "falco").'),
    minimumpriority: minimumPriority.describe('falcosidekick\'s spelling of otlp.minimumpriority; used when otlp.minimumpriority is "".'),
    ...tlsShape,
  })
  .prefault({})
  .describe('OTLP logs: one log record per alert.');

export const otlpSchema = z.object({ logs: logsSchema });


function parseHeaders(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    out[decode(pair.slice(0, at).trim())] = decode(pair.slice(at + 1).trim());
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // not percent-encoded after all: keep it as written
  }
}

/** Where to POST: the URL as given, or /v1/<signal> on a URL without a path. */
export function signalUrl(endpoint: string, signal: Signal): URL {
  const url = new URL(endpoint);
  if (url.pathname === '/' || url.pathname === '') url.pathname = `/v1/${signal}`;
  return url;
}
