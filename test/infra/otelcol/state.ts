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

/**
 * The complete JSON lines the file exporter wrote to `file` so far (a last line still being
 * written is left out; no file yet is no line).
 */
function exportedLines(file: string): unknown[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return content
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as unknown);
}

/** Polls `read` every 100 ms until `match` selects at least `count` items; `what` names them in the timeout's error. */
async function waitForExported<T>(read: () => T[], match: (item: T) => boolean, { count = 1, timeoutMs = 15_000 }: { count?: number; timeoutMs?: number }, what: string): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = read().filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} matching ${what}, found ${found.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The log records the collector wrote to logsFile so far. */
export function readOtlpLogs(infra: Pick<OtelcolInfra, 'logsFile'>): ReceivedLogRecord[] {
  const out: ReceivedLogRecord[] = [];
  for (const batch of exportedLines(infra.logsFile) as OtlpLogs[]) {
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

/** Polls until `match` selects at least `count` records (filter on something unique to your test). */
export function waitForOtlpLogs(infra: Pick<OtelcolInfra, 'logsFile'>, match: (r: ReceivedLogRecord) => boolean, options: { count?: number; timeoutMs?: number } = {}): Promise<ReceivedLogRecord[]> {
  return waitForExported(() => readOtlpLogs(infra), match, options, `log record(s) in ${infra.logsFile}`);
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

/** The spans the collector wrote to tracesFile so far. */
export function readOtlpSpans(infra: Pick<OtelcolInfra, 'tracesFile'>): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const batch of exportedLines(infra.tracesFile) as OtlpTraces[]) {
    for (const rs of batch.resourceSpans ?? []) {
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
export function waitForOtlpSpans(infra: Pick<OtelcolInfra, 'tracesFile'>, match: (s: ReceivedSpan) => boolean, options: { count?: number; timeoutMs?: number } = {}): Promise<ReceivedSpan[]> {
  return waitForExported(() => readOtlpSpans(infra), match, options, `span(s) in ${infra.tracesFile}`);
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

/** The metrics the collector wrote to metricsFile so far. */
export function readOtlpMetrics(infra: Pick<OtelcolInfra, 'metricsFile'>): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const batch of exportedLines(infra.metricsFile) as OtlpMetrics[]) {
    for (const rm of batch.resourceMetrics ?? []) {
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
export function waitForOtlpMetrics(infra: Pick<OtelcolInfra, 'metricsFile'>, match: (m: ReceivedMetric) => boolean, options: { count?: number; timeoutMs?: number } = {}): Promise<ReceivedMetric[]> {
  return waitForExported(() => readOtlpMetrics(infra), match, options, `metric(s) in ${infra.metricsFile}`);
}
