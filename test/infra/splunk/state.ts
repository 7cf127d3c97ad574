// Shape of $PEREGRINE_IT_STATE/splunk.json (written by test/infra/splunk/start.sh) and helpers to
// read back what the HEC test receiver accepted.
//
// The receiver is an OpenTelemetry Collector (contrib v0.147.0): splunkhecreceiver ->
// fileexporter (OTLP/JSON, one line per accepted HTTP request), bearertokenauthextension with
// scheme "Splunk", ackextension (in memory) on the second listener.
//
// ── How one HEC event lands in eventsFile ───────────────────────────────────────────────────────
// Each accepted request appends one line: {"resourceLogs":[…]}. Within a request, events with the
// same (host, source, sourcetype, index) share one resourceLogs entry; each event is one logRecord:
//   event       -> logRecord.body as an OTLP AnyValue (object -> kvlistValue with keys SORTED,
//                  array -> arrayValue, string -> stringValue, bool -> boolValue, null -> {} (empty),
//                  EVERY JSON number -> doubleValue: the receiver decodes JSON into float64, so an
//                  integer above 2^53 (Falco's output_fields["evt.time"]) arrives ROUNDED here.
//                  Check lossless integers on the request bytes, not in this file.)
//   time        -> logRecord.timeUnixNano (string, nanoseconds). Seconds (fractional) x 1e9 via
//                  float64, so only ~µs precise; values >= 1e10 / 1e13 / 1e16 are taken as ms / µs /
//                  ns. Absent or 0 -> no timeUnixNano at all. A string "time" is parsed as a number.
//   host        -> resource attribute "host.name"
//   source      -> resource attribute "com.splunk.source"
//   sourcetype  -> resource attribute "com.splunk.sourcetype"
//   index       -> resource attribute "com.splunk.index"
//                  (each only when non-empty)
//   fields      -> logRecord.attributes (flat values only; a nested object/array in `fields` is
//                  rejected with 400 {"code":15,"invalid-event-number":N}, like Splunk)
// readSplunkEvents() below turns that back into {event, time, host, source, sourcetype, index,
// fields} per event.
//
// ── Where it differs from a real Splunk HEC ─────────────────────────────────────────────────────
// * Auth failures are 401 with a text/plain body from the collector ("missing or empty
//   authorization header: Authorization" / "scheme or token does not match: …"), not Splunk's JSON
//   codes 2/3/4 (Splunk: missing token 401 code 2, invalid token 403 code 4).
// * The health endpoint (GET /services/collector/health -> {"text": "HEC is healthy", "code": 17})
//   also needs the token here; real Splunk answers it without one.
// * Events are accepted on ANY path (catch-all), not only /services/collector[/event]; raw events
//   on /services/collector/raw. gzip (Content-Encoding: gzip) is accepted.
// * Ack listener (ackUrl): a request with an `X-Splunk-Request-Channel: <GUID>` header gets
//   {"text": "Success", "code": 0, "ackId": N} with N starting at 1 per channel (Splunk: 0), and
//   the ack is granted immediately; POST /services/collector/ack {"acks":[…]} (same channel header)
//   answers {"acks": {"1": true, …}} once, then forgets it. Without a channel header the ack
//   listener still accepts events (Splunk with ack enabled answers 400 code 10). A non-GUID
//   channel -> 400 code 11. The plain listener (url) has no /ack route.
// * No code 9 (server busy) and no index/sourcetype validation.
import { readFileSync } from 'node:fs';

export interface SplunkInfra {
  /** Plain HEC listener, e.g. "http://127.0.0.1:40123" (append /services/collector/event). */
  url: string;
  /** HEC token; send `Authorization: Splunk <token>`. A random GUID per start. */
  token: string;
  /** Second listener with indexer acknowledgement (ackextension), same token, same events file. */
  ackUrl: string;
  /** OTLP/JSON lines written by the collector's file exporter (see the mapping above). */
  eventsFile: string;
  /** The collector's own log. */
  log: string;
}

/** One HEC event as received, rebuilt from the exported OTLP log record. */
export interface ReceivedHecEvent {
  /** The `event` payload, decoded back to plain JSON (numbers are float64; see above). */
  event: unknown;
  /** `time` in epoch seconds (fractional), undefined when the sender sent none. */
  time?: number;
  /** Exact OTLP timestamp (nanoseconds since epoch, as a decimal string). */
  timeUnixNano?: string;
  host?: string;
  source?: string;
  sourcetype?: string;
  index?: string;
  /** The `fields` (indexed fields) object; {} when none were sent. */
  fields: Record<string, unknown>;
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
interface KeyValue { key: string; value?: AnyValue }
interface OtlpLogs {
  resourceLogs?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: Array<{ logRecords?: Array<{ timeUnixNano?: string; body?: AnyValue; attributes?: KeyValue[] }> }>;
  }>;
}

/** Converts an OTLP/JSON AnyValue back into plain JSON. */
export function fromAnyValue(v: AnyValue | undefined): unknown {
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return Number(v.doubleValue);
  if (v.bytesValue !== undefined) return v.bytesValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(fromAnyValue);
  if (v.kvlistValue) return fromKeyValues(v.kvlistValue.values);
  return null; // {} = null (or an empty value)
}

function fromKeyValues(kvs: KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of kvs ?? []) out[kv.key] = fromAnyValue(kv.value);
  return out;
}

/** Parses the file-exporter content (OTLP/JSON lines) into HEC events, in arrival order. */
export function parseSplunkEvents(content: string): ReceivedHecEvent[] {
  const events: ReceivedHecEvent[] = [];
  const lines = content.split('\n');
  // The last element is '' for a complete file, or a line still being written: skip it.
  for (const line of lines.slice(0, -1)) {
    if (!line.trim()) continue;
    const batch = JSON.parse(line) as OtlpLogs;
    for (const rl of batch.resourceLogs ?? []) {
      const res = fromKeyValues(rl.resource?.attributes);
      for (const sl of rl.scopeLogs ?? []) {
        for (const rec of sl.logRecords ?? []) {
          const e: ReceivedHecEvent = { event: fromAnyValue(rec.body), fields: fromKeyValues(rec.attributes) };
          if (rec.timeUnixNano && rec.timeUnixNano !== '0') {
            e.timeUnixNano = String(rec.timeUnixNano);
            e.time = Number(BigInt(e.timeUnixNano) / 1000n) / 1e6;
          }
          if (typeof res['host.name'] === 'string') e.host = res['host.name'];
          if (typeof res['com.splunk.source'] === 'string') e.source = res['com.splunk.source'];
          if (typeof res['com.splunk.sourcetype'] === 'string') e.sourcetype = res['com.splunk.sourcetype'];
          if (typeof res['com.splunk.index'] === 'string') e.index = res['com.splunk.index'];
          events.push(e);
        }
      }
    }
  }
  return events;
}

/** Every event the receiver has written so far (both listeners, all tests of this run). */
export function readSplunkEvents(infra: Pick<SplunkInfra, 'eventsFile'>): ReceivedHecEvent[] {
  let content: string;
  try {
    content = readFileSync(infra.eventsFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // nothing exported yet
    throw err;
  }
  return parseSplunkEvents(content);
}

/**
 * Polls the events file until `match` selects at least `count` events (the exporter flushes every
 * 100 ms). Filter on something unique to your test (a rule name, a uuid): the file is shared by
 * every test file in the run.
 */
export async function waitForSplunkEvents(
  infra: Pick<SplunkInfra, 'eventsFile'>,
  match: (e: ReceivedHecEvent) => boolean,
  { count = 1, timeoutMs = 10_000 }: { count?: number; timeoutMs?: number } = {},
): Promise<ReceivedHecEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readSplunkEvents(infra).filter(match);
    if (found.length >= count) return found;
    if (Date.now() > deadline) {
      throw new Error(`waited ${timeoutMs} ms for ${count} matching HEC event(s) in ${infra.eventsFile}, found ${found.length}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
