// The otlptraces output's options: falcosidekick's `otlp.traces.*` keys (2.34.1:
// outputs/otlp_traces.go, otlp_traces_init.go, config.go). The endpoint, protocol and headers read
// as the otlp (logs) output reads its own.
import { tlsShape, z } from '../../src/plugin/index.ts';
import { otlpEndpoint, otlpHeaders, otlpProtocol } from '../otlp/options.ts';

export const tracesSchema = z.object({
  endpoint: otlpEndpoint('traces'),
  protocol: otlpProtocol,
  headers: otlpHeaders('traces'),
  duration: z
    .number()
    .int()
    .min(0)
    .default(1000)
    .describe('Span length in ms: each span starts at the alert\'s time and ends this much later (falcosidekick\'s default: 1000).'),
  servicename: z.string().min(1).default('falco').describe('Resource attribute service.name (falcosidekick: "falco").'),
  ...tlsShape,
});
