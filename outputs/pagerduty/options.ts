// The pagerduty output's options: falcosidekick's keys (routingkey, region) plus apiurl and the
// fields of the dedup key.
import { commaList, lowerEnum, optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';

/** Events API v2 enqueue endpoints by region (falcosidekick's outputs/pagerduty.go). */
const ENQUEUE_URLS = {
  us: 'https://events.pagerduty.com/v2/enqueue',
  eu: 'https://events.eu.pagerduty.com/v2/enqueue',
} as const;

/** Alerts with the same values in these fields are one PagerDuty alert (the same dedup_key). */
const DEFAULT_DEDUP_FIELDS = ['rule', 'hostname', 'k8s.ns.name', 'k8s.pod.name'];

export const pagerdutySchema = z.object({
  routingkey: secret(z.string().default('').describe('Integration key (routing key) of an Events API v2 integration, 32 characters. Setting it turns the output on.')),
  region: lowerEnum(['us', 'eu'], 'us')
    .describe('PagerDuty service region: us (events.pagerduty.com) or eu (events.eu.pagerduty.com).'),
  apiurl: optionalHttpUrl('https://events.pagerduty.com/v2/enqueue').describe(
    'Full Events API enqueue URL, overriding region (a proxy, a test receiver). "" uses the region\'s URL.',
  ),
  dedupfields: commaList(z.string().min(1))
    .default(DEFAULT_DEDUP_FIELDS)
    .describe(
      'Fields whose values make the dedup_key (sha256, hex): alerts alike in them update one open PagerDuty alert instead of opening new ones. "rule", "priority", "source", "hostname", "uuid" are the alert\'s own, anything else an output field. [uuid]: one alert per Falco alert (retries still idempotent). []: no dedup_key, every event a new alert (falcosidekick\'s behaviour).',
    ),
  ...tlsShape,
});

export type PagerDutyOptions = z.output<typeof pagerdutySchema>;

export function enqueueUrl(options: Pick<PagerDutyOptions, 'apiurl' | 'region'>): string {
  return options.apiurl || ENQUEUE_URLS[options.region];
}
