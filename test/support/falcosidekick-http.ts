// What falcosidekick 2.34.1 sent to its HTTP log/event outputs (Datadog, Datadog Logs, Sumo Logic,
// CloudEvents, Kafka REST, OpenObserve) for test/fixtures/alerts/priorities.json, recorded from its
// build (test/fixtures/falcosidekick-http/recorded.json), and the differences every output has
// (docs/falcosidekick-differences.md "The alert's JSON, byte for byte") undone, so that a test
// compares the rest byte for byte.
import type { AnyOutputPlugin } from '../../src/plugin/types.ts';
import { priorityAlerts } from './alerts.ts';
import { fixtureJson } from './fixtures.ts';
import { connectPlugin } from './plugin-harness.ts';
import { Receiver, type Received } from './receiver.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** As sent, but for falcosidekick's random uuid ("<uuid>"). Kafka REST: the record's value decoded. */
  body: string | { records: { value_decoded: string }[]; raw_shape: string };
}

const recorded = fixtureJson<Record<string, Record<string, RecordedRequest>>>('falcosidekick-http/recorded.json');

export function falcosidekickRequest(output: string, priority: string): RecordedRequest {
  const request = recorded[output]?.[priority];
  if (!request) throw new Error(`no recorded ${output} request for ${priority}`);
  return request;
}

/** Go's JSON text as JavaScript writes it: `<`, `>`, `&` unescaped, no newline at the end. */
export function goJsonText(text: string): string {
  return text.replace(/\n$/, '').replaceAll('\\u003c', '<').replaceAll('\\u003e', '>').replaceAll('\\u0026', '&');
}

/**
 * An alert's JSON as falcosidekick writes it, from Peregrine's: `output_fields` keys sorted (Go
 * sorts map keys), the uuid as recorded ("<uuid>"), times in Go's RFC3339Nano (trailing zeros of
 * the fraction dropped, "+00:00"/offsets as UTC are not in the fixture: only the fraction differs).
 */
export function asGoAlertJson(json: string): string {
  const alert = JSON.parse(json, (_k, v: unknown, ctx?: { source?: string }) => (typeof v === 'number' && ctx?.source && !Number.isSafeInteger(v) && /^-?\d+$/.test(ctx.source) ? JSON.rawJSON(ctx.source) : v)) as Record<string, unknown>;
  const fields = alert.output_fields as Record<string, unknown>;
  const sorted = Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]]));
  return JSON.stringify({ ...alert, uuid: '<uuid>', time: goTime(alert.time as string), output_fields: sorted });
}

/** RFC3339Nano as Go prints it: the fraction's trailing zeros dropped (and ".000000000" entirely); an offset kept. */
function goTime(time: string): string {
  return time.replace(/\.(\d*?)0+(?=Z|[+-])/, (_m, digits: string) => (digits === '' ? '' : `.${digits}`));
}

/**
 * Sends each alert of test/fixtures/alerts/priorities.json alone through `plugin` (connect →
 * sendBatch → close, as the worker does) to a receiver answering 200, and returns what arrived, in
 * order. `section(url)`: the output's options, given the receiver's base URL (no trailing slash).
 */
export async function sentPerPriority(plugin: AnyOutputPlugin, section: (base: string) => Record<string, unknown>): Promise<{ priority: string; req: Received }[]> {
  const receiver = await new Receiver().start();
  try {
    const harness = await connectPlugin(plugin, section(receiver.url('').replace(/\/$/, '')));
    const out: { priority: string; req: Received }[] = [];
    for (const alert of priorityAlerts()) {
      const result = await harness.send([alert]);
      const delivered = result.kind === 'ok' || (result.kind === 'partial' && result.items.every((o) => o.kind === 'ok'));
      if (!delivered) throw new Error(`${alert.priority}: ${JSON.stringify(result)}`);
      out.push({ priority: alert.priority, req: receiver.received.at(-1) as Received });
    }
    await harness.close();
    return out;
  } finally {
    await receiver.stop();
  }
}

/** The request headers falcosidekick sent too, but for those that differ for every output (User-Agent; Content-Length). */
export function comparableHeaders(headers: Received['headers'], names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => headers[n] !== undefined).map((n) => [n, String(headers[n])]));
}
