// The Loki push API body (JSON): {"streams":[{"stream":{labels},"values":[["<ns>","<line>"],…]}]},
// one stream per distinct label set in the batch. The entry time is the alert's own time in
// nanoseconds, exact (epochNanos: Falco's RFC 3339 time has ns precision; a JS number would round
// it). The "json" line is serializeAlert(), so output_fields integers above 2^53 stay exact.
import { epochNanos, serializeAlert, type Alert } from '../../src/plugin/index.ts';
import { streamLabels, type LabelPlan } from './labels.ts';

interface PushEntry {
  ns: bigint;
  line: string;
}

interface Stream {
  labels: string;
  entries: PushEntry[];
}

export function pushBody(alerts: readonly Alert[], plan: LabelPlan, format: 'text' | 'json'): string {
  const streams = new Map<string, Stream>();
  for (const alert of alerts) {
    const labels = JSON.stringify(sorted(streamLabels(alert, plan)));
    let stream = streams.get(labels);
    if (!stream) streams.set(labels, (stream = { labels, entries: [] }));
    stream.entries.push({ ns: epochNanos(alert.time), line: format === 'json' ? serializeAlert(alert) : alert.output });
  }
  const parts: string[] = [];
  for (const { labels, entries } of streams.values()) {
    // Oldest first within a stream: Loki before 2.4 (or with unordered_writes off) refuses an entry
    // older than the one before it. The sort is stable: equal times keep the batch order.
    entries.sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
    const values = entries.map((e) => `["${e.ns}",${JSON.stringify(e.line)}]`).join(',');
    parts.push(`{"stream":${labels},"values":[${values}]}`);
  }
  return `{"streams":[${parts.join(',')}]}`;
}

/** Label names in a fixed order, so the same set is the same stream key. */
function sorted(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(labels).sort()) out[name] = labels[name] as string;
  return out;
}
