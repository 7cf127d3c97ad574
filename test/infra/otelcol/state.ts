// Shape of $PEREGRINE_IT_STATE/otelcol.json (written by test/infra/otelcol/start.sh) and helpers to
// read back what the OTLP test receiver accepted (log records, spans, metrics).
//
// The receiver is an OpenTelemetry Collector (v0.147.0): otlpreceiver (HTTP and gRPC) ->
// fileexporter (OTLP/JSON, one line per accepted request, flushed every 100 ms). The JSON keeps
// what the request carried: timeUnixNano and intValue as decimal strings (int64 exact),
// doubleValue as a number, boolValue, arrayValue, kvlistValue; the collector adds an empty
// "scope": {} where none was sent and drops fields left at their zero value.
// Real OTLP semantics: 200 with {"partialSuccess":{}} for JSON requests; 400 for a body it cannot
// decode; 415 for an unknown content type. Over gRPC (grpcEndpoint): OK with an empty
// Export*ServiceResponse; RESOURCE_EXHAUSTED "received message larger than max" past 4 MiB;
// UNIMPLEMENTED for an unknown service. It never answers partial success or 429/503 on its own:
// fault-injection tests cover those.
import { readFileSync } from 'node:fs';

export interface OtelcolInfra {
  /** OTLP/HTTP base, e.g. "http://127.0.0.1:40123" (POST /v1/logs). */
  httpUrl: string;
  /** OTLP/gRPC, plaintext (h2c), e.g. "http://127.0.0.1:40124" (the otlp outputs' grpc endpoint). */
  grpcEndpoint: string;
  /** OTLP/JSON lines written by the file exporter. */
  logsFile: string;
  /** The same for spans (POST /v1/traces). */
  tracesFile: string;
  /** The same for metrics (POST /v1/metrics). */
  metricsFile: string;
  /** The collector's own log. */
  log: string;
}

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

/** One exported log record with its resource and scope, in arrival order. */
export interface ReceivedLogRecord {
  resource: OtlpKeyValue[];
  scope: { name?: string; version?: string };
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes: OtlpKeyValue[];
}

interface OtlpLogs {
  resourceLogs?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: Array<{ scope?: { name?: string; version?: string }; logRecords?: Array<Omit<ReceivedLogRecord, 'resource' | 'scope' | 'attributes'> & { attributes?: OtlpKeyValue[] }> }>;
  }>;
}

/** Parses the file-exporter content; a last line still being written is skipped. */
export function parseOtlpLogs(content: string): ReceivedLogRecord[] {
  const out: ReceivedLogRecord[] = [];
  for (const line of content.split('\n').slice(0, -1)) {
    if (!line.trim()) continue;
    const batch = JSON.parse(line) as OtlpLogs;
    for (const rl of batch.resourceLogs ?? []) {
      for (const sl of rl.scopeLogs ?? []) {
        for (const rec of sl.logRecords ?? []) {
          out.push({ ...rec, resource: rl.resource?.attributes ?? [], scope: sl.scope ?? {}, attributes: rec.attributes ?? [] });
        }
      }
    }
  }
  return out;
}

export function readOtlpLogs(infra: Pick<OtelcolInfra, 'logsFile'>): ReceivedLogRecord[] {
  try {
    return parseOtlpLogs(readFileSync(infra.logsFile, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Polls until `match` selects at least `count` records (filter on something unique to your test). */
export async function waitForOtlpLogs(
  infra: Pick<OtelcolInfra, 'logsFile'>,
  match: (r: ReceivedLogRecord) => boolean,
  { count = 1, timeoutMs = 15_000 }: { count?: number; timeoutMs?: number } = {},
): Promise<ReceivedLogRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readOtlpLogs(infra).filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} matching log record(s) in ${infra.logsFile}, found ${found.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An attribute's AnyValue by key (undefined when absent). */
export function attr(kvs: readonly OtlpKeyValue[], key: string): OtlpAnyValue | undefined {
  return kvs.find((kv) => kv.key === key)?.value;
}

/** One exported span with its resource, the resource's schema URL and its scope, in arrival order. */
export interface ReceivedSpan {
  resource: OtlpKeyValue[];
  schemaUrl?: string;
  scope: { name?: string; version?: string };
  traceId?: string;
  spanId?: string;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes: OtlpKeyValue[];
  events?: { timeUnixNano?: string; name?: string }[];
  status?: Record<string, unknown>;
}

interface OtlpTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    schemaUrl?: string;
    scopeSpans?: Array<{ scope?: { name?: string; version?: string }; spans?: Array<Omit<ReceivedSpan, 'resource' | 'schemaUrl' | 'scope' | 'attributes'> & { attributes?: OtlpKeyValue[] }> }>;
  }>;
}

/** The spans the collector wrote to tracesFile so far (a last line still being written is skipped). */
export function readOtlpSpans(infra: Pick<OtelcolInfra, 'tracesFile'>): ReceivedSpan[] {
  let content: string;
  try {
    content = readFileSync(infra.tracesFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: ReceivedSpan[] = [];
  for (const line of content.split('\n').slice(0, -1)) {
    if (!line.trim()) continue;
    for (const rs of (JSON.parse(line) as OtlpTraces).resourceSpans ?? []) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const span of ss.spans ?? []) {
          out.push({ ...span, resource: rs.resource?.attributes ?? [], ...(rs.schemaUrl ? { schemaUrl: rs.schemaUrl } : {}), scope: ss.scope ?? {}, attributes: span.attributes ?? [] });
        }
      }
    }
  }
  return out;
}

/** Polls until `match` selects at least `count` spans. */
export async function waitForOtlpSpans(
  infra: Pick<OtelcolInfra, 'tracesFile'>,
  match: (s: ReceivedSpan) => boolean,
  { count = 1, timeoutMs = 15_000 }: { count?: number; timeoutMs?: number } = {},
): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readOtlpSpans(infra).filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} matching span(s) in ${infra.tracesFile}, found ${found.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One exported metric (with its resource, schema URL and scope), one per accepted request and metric, in arrival order. */
export interface ReceivedMetric {
  resource: OtlpKeyValue[];
  schemaUrl?: string;
  scope: { name?: string; version?: string };
  name?: string;
  description?: string;
  unit?: string;
  sum?: {
    dataPoints?: { attributes?: OtlpKeyValue[]; startTimeUnixNano?: string; timeUnixNano?: string; asInt?: string; asDouble?: number }[];
    aggregationTemporality?: number;
    isMonotonic?: boolean;
  };
}

interface OtlpMetrics {
  resourceMetrics?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    schemaUrl?: string;
    scopeMetrics?: Array<{ scope?: { name?: string; version?: string }; metrics?: Array<Omit<ReceivedMetric, 'resource' | 'schemaUrl' | 'scope'>> }>;
  }>;
}

/** The metrics the collector wrote to metricsFile so far (a last line still being written is skipped). */
export function readOtlpMetrics(infra: Pick<OtelcolInfra, 'metricsFile'>): ReceivedMetric[] {
  let content: string;
  try {
    content = readFileSync(infra.metricsFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: ReceivedMetric[] = [];
  for (const line of content.split('\n').slice(0, -1)) {
    if (!line.trim()) continue;
    for (const rm of (JSON.parse(line) as OtlpMetrics).resourceMetrics ?? []) {
      for (const sm of rm.scopeMetrics ?? []) {
        for (const metric of sm.metrics ?? []) {
          out.push({ resource: rm.resource?.attributes ?? [], ...(rm.schemaUrl ? { schemaUrl: rm.schemaUrl } : {}), scope: sm.scope ?? {}, ...metric });
        }
      }
    }
  }
  return out;
}

/** Polls until `match` selects at least `count` metrics. */
export async function waitForOtlpMetrics(
  infra: Pick<OtelcolInfra, 'metricsFile'>,
  match: (m: ReceivedMetric) => boolean,
  { count = 1, timeoutMs = 15_000 }: { count?: number; timeoutMs?: number } = {},
): Promise<ReceivedMetric[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readOtlpMetrics(infra).filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} matching metric(s) in ${infra.metricsFile}, found ${found.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
