// A quantile of a Prometheus histogram in the text format, interpolated linearly within its bucket
// as Prometheus' histogram_quantile() does: what a dashboard shows. Used by the bench to report the
// daemon's own reply time (peregrine_ingest_duration_seconds) beside what wrk measures.

/** The q-quantile (0..1) of histogram `name` (unlabelled) in `metricsText`; NaN when it has no observations. */
export function histogramQuantile(metricsText: string, name: string, q: number): number {
  const buckets: { le: number; n: number }[] = [];
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}_bucket{le="`)) continue;
    const m = /le="([^"]+)"\} (\d+)/.exec(line);
    if (m) buckets.push({ le: m[1] === '+Inf' ? Infinity : Number(m[1]), n: Number(m[2]) });
  }
  const total = buckets.at(-1)?.n ?? 0;
  if (total === 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, n } of buckets) {
    if (n >= rank) return le === Infinity ? lower : lower + ((le - lower) * (rank - below)) / (n - below || 1);
    lower = le;
    below = n;
  }
  return NaN;
}
