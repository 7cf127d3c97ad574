// Reads a metric from an app's prom-client registry: the sum over the series matching `labels`.
// `series` picks a sub-series of a histogram, e.g. "_count" for the number of observations.
import type { Registry } from 'prom-client';

export async function metricSum(registry: Registry, name: string, labels: Record<string, string> = {}, series?: '_count' | '_sum'): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? [])
    .filter((v) => series === undefined || (v as { metricName?: string }).metricName === `${name}${series}`)
    .filter((v) => Object.entries(labels).every(([k, val]) => (v.labels as Record<string, string>)[k] === val))
    .reduce((sum, v) => sum + v.value, 0);
}
