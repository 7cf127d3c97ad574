// The otlpmetrics output's options: falcosidekick's `otlp.metrics.*` keys (2.34.1: otlp_metrics.go,
// outputs/otlp_metrics/otlp_metrics.go, config.go). The endpoint, protocol and headers read as the
// otlp (logs) output reads its own.
import { tlsShape, z } from '../../src/plugin/index.ts';
import { otlpEndpoint, otlpHeaders, otlpProtocol } from '../otlp/options.ts';

/** An OTLP metric attribute name as falcosidekick accepts it, after its dots became underscores. */
export const ATTRIBUTE_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** falcosidekick's attribute name for a field: dots → underscores. */
export const attributeName = (field: string) => field.replaceAll('.', '_');

// "proc.name, fd.name" as falcosidekick splits it (every space removed, then commas), or a YAML list.
const extraAttributes = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (typeof v === 'string' ? v.replaceAll(' ', '').split(',') : v.map((s) => s.trim())).filter(Boolean))
  .pipe(
    z.array(
      z.string().refine((field) => ATTRIBUTE_NAME.test(attributeName(field)), {
        error: 'must be a field name that is a metric attribute name once its dots are underscores (letters, digits, _ and :, not starting with a digit)',
      }),
    ),
  )
  .default([])
  .describe('Output fields added as attributes, comma-separated ("proc.name,fd.name"), named with their dots as underscores (proc_name); the field\'s text, or "" when it is absent or not text.');

export const metricsSchema = z.object({
  endpoint: otlpEndpoint('metrics'),
  protocol: otlpProtocol,
  headers: otlpHeaders('metrics'),
  extraattributes: extraAttributes,
  ...tlsShape,
});

export type MetricsOptions = z.output<typeof metricsSchema>;
