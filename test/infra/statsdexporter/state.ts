// Shape of $PEREGRINE_IT_STATE/statsdexporter.json (written by test/infra/statsdexporter/start.sh)
// and a reader of what it counted.
//
// statsd_exporter v0.31.0 (Apache-2.0) is a StatsD server: it parses each UDP datagram's lines
// (`name:value|type[|@rate][|#tag:value,…]`, DogStatsD tags only here) and shows the counters on
// /metrics, the name with `.` as `_` and each tag as a label: falcosidekick.falco.accepted:1|c|#priority:Notice
// → falcosidekick_falco_accepted{priority="Notice"} 1. A line it cannot parse is counted in
// statsd_exporter_sample_errors_total{reason} and a bad tag in statsd_exporter_tag_errors_total:
// tests assert both stay 0. Counters live until it restarts: tests use names of their own (namespace).
export interface StatsdExporterInfra {
  /** UDP port of the StatsD listener on 127.0.0.1. */
  udpPort: number;
  /** Base URL of its /metrics, e.g. "http://127.0.0.1:40123". */
  url: string;
  log: string;
}

/** The samples of /metrics: `name{a="x",b="y"}` (labels sorted) → value. */
export async function scrape(infra: StatsdExporterInfra): Promise<Map<string, number>> {
  const text = await (await fetch(`${infra.url}/metrics`)).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}="${l[2]}"`).sort();
    samples.set(`${m[1]}${labels.length ? `{${labels.join(',')}}` : ''}`, Number(m[3]));
  }
  return samples;
}

/** The samples whose name starts with `prefix`, plus the exporter's parse-error counters (sum). */
export async function counted(infra: StatsdExporterInfra, prefix: string): Promise<{ samples: Record<string, number>; errors: number }> {
  const all = await scrape(infra);
  const samples: Record<string, number> = {};
  let errors = 0;
  for (const [key, value] of all) {
    if (key.startsWith(prefix)) samples[key] = value;
    if (key.startsWith('statsd_exporter_sample_errors_total') || key.startsWith('statsd_exporter_tag_errors_total')) errors += value;
  }
  return { samples, errors };
}
