// Shape of $PEREGRINE_IT_STATE/victoriametrics.json (written by test/infra/victoriametrics/start.sh)
// and helpers to read back the points written through its InfluxDB line-protocol API.
//
// VictoriaMetrics v1.151.0 single-node (Apache-2.0) accepts InfluxDB line protocol at /write (1.x,
// `db` becomes the label `db`) and /api/v2/write (2.x). It is not InfluxDB. How a point comes back
// from /api/v1/export:
//   metric     __name__ = `<measurement>_<field>` (events_value), each tag a label (unescaped as
//              the line protocol says: `\,` `\=` `\ ` `\\`), plus db
//   values     numbers only: a string field value is stored as the number it parses to, else 0 —
//              the text of a string field cannot be read back (assert it in unit tests)
//   timestamps milliseconds (a ns/us timestamp is truncated to ms)
// It refuses malformed lines with 400. It does not check credentials (any Authorization passes)
// and has no databases or buckets to be missing (no 404), so those answers are unit-tested.
export interface VictoriaMetricsInfra {
  /** Base URL, e.g. "http://127.0.0.1:40123". */
  url: string;
  /** VictoriaMetrics' own log. */
  log: string;
}

export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** Every series matching the selector (e.g. `{__name__="events_value",run="x"}`), after making recent writes searchable. */
export async function exportSeries(infra: VictoriaMetricsInfra, selector: string): Promise<ExportedSeries[]> {
  await fetch(`${infra.url}/internal/force_flush`);
  const res = await fetch(`${infra.url}/api/v1/export?${new URLSearchParams({ 'match[]': selector, start: '0' }).toString()}`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`VictoriaMetrics export answered ${res.status}: ${text}`);
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExportedSeries);
}

/** Polls until the selector matches at least `count` points (over all its series). */
export async function waitForPoints(infra: VictoriaMetricsInfra, selector: string, count: number, timeoutMs = 20_000): Promise<ExportedSeries[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await exportSeries(infra, selector);
    const points = found.reduce((n, s) => n + s.values.length, 0);
    if (points >= count) return found;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${count} points matching ${selector}, found ${points}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
