// The opsgenie output's options: falcosidekick's keys (apikey, region) plus apiurl, the alias fields
// and the entity.
import { commaList, lowerEnum, optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';

/** Alert API endpoints by region (falcosidekick's main.go). */
const ALERTS_URLS = {
  us: 'https://api.opsgenie.com/v2/alerts',
  eu: 'https://api.eu.opsgenie.com/v2/alerts',
} as const;

/** The same default as pagerduty.dedupfields: one open Opsgenie alert per rule, host, namespace and pod. */
const DEFAULT_ALIAS_FIELDS = ['rule', 'hostname', 'k8s.ns.name', 'k8s.pod.name'];

export const opsgenieSchema = z.object({
  apikey: secret(z.string().default('').describe('API key of an Opsgenie API integration, sent as "Authorization: GenieKey <apikey>". Setting it turns the output on.')),
  region: lowerEnum(['us', 'eu'], 'us')
    .describe('Opsgenie instance: us (api.opsgenie.com) or eu (api.eu.opsgenie.com).'),
  apiurl: optionalHttpUrl('https://api.opsgenie.com/v2/alerts').describe(
    'Full Alert API URL (…/v2/alerts), overriding region: a proxy, a test receiver, or Jira Service Management\'s Opsgenie-compatible alerts endpoint. "" uses the region\'s URL.',
  ),
  dedupfields: commaList(z.string().min(1))
    .default(DEFAULT_ALIAS_FIELDS)
    .describe(
      'Fields whose values make the alert alias (sha256, hex): while an alert with that alias is open, Opsgenie counts repeats on it instead of opening new alerts. "rule", "priority", "source", "hostname", "uuid" are the alert\'s own, anything else an output field. []: no alias (falcosidekick\'s behaviour).',
    ),
  entity: z.string().max(512).default('Falcosidekick').describe('Alert entity. Defaults to falcosidekick\'s constant so existing Opsgenie routing and filters keep matching.'),
  ...tlsShape,
});

export type OpsgenieOptions = z.output<typeof opsgenieSchema>;

export function alertsUrl(options: Pick<OpsgenieOptions, 'apiurl' | 'region'>): string {
  return options.apiurl || ALERTS_URLS[options.region];
}
