// The otlp output's options: falcosidekick's `otlp.logs.*` keys (2.34.1: outputs/otlp_logs.go,
// config.go), protocol http/protobuf (default, as there), http/json or grpc.
import { minimumPriority, secret, tlsShape, z } from '../../src/plugin/index.ts';

/** The OTLP signals Peregrine sends, each its own output: its URL path and env var prefix. */
export type Signal = 'logs' | 'traces' | 'metrics';

/** `endpoint`: an OTLP/HTTP URL for the signal, the gRPC server's http(s) URL, or "" (the output off). */
export const otlpEndpoint = (signal: Signal) =>
  z
    .union([z.literal(''), z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as http://otel-collector:4318/v1/${signal} (grpc: http://otel-collector:4317)` })])
    .default('')
    .describe(
      `OTLP ${signal} URL. http/*: e.g. http://otel-collector:4318/v1/${signal}, used as is (a URL without a path gets /v1/${signal}). grpc: e.g. http://otel-collector:4317, http:// plaintext, https:// TLS, host and port only (default port 443), as the OTel Go SDK reads it. Setting it turns the output on.`,
    );

export const otlpProtocol = z
  .enum(['http/protobuf', 'http/json', 'grpc'], { error: 'must be http/protobuf, http/json or grpc' })
  .default('http/protobuf')
  .describe('Transport and encoding: http/protobuf (default, as in falcosidekick), http/json, or grpc (OTLP/gRPC over HTTP/2, the collector\'s port 4317).');

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
