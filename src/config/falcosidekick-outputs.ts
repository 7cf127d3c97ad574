// falcosidekick 2.34.1's outputs and the keys that turn each one on (its main.go: an output starts
// when these are non-empty; alternatives are separate groups). Used to warn about a configured
// falcosidekick output that Peregrine does not have — only when falcosidekick itself would have
// enabled it, so a pasted config_example.yaml (every section present, every key empty) stays quiet.
// Which of them Peregrine has is not written here: a section the config schema knows (a registered
// output) is never looked up in this table.

export interface FalcosidekickOutput {
  /** Dotted section path in falcosidekick's config (lower-case, as its config reader sees it). */
  name: string;
  /** Enabled when every key of any one group is set (non-empty string, true, non-empty list). */
  when: string[][];
}

const one = (name: string, ...keys: string[]): FalcosidekickOutput => ({ name, when: [keys.map((k) => `${name}.${k}`)] });

export const FALCOSIDEKICK_OUTPUTS: readonly FalcosidekickOutput[] = [
  one('statsd', 'forwarder'),
  one('dogstatsd', 'forwarder'),
  one('slack', 'webhookurl'),
  one('cliq', 'webhookurl'),
  one('rocketchat', 'webhookurl'),
  one('mattermost', 'webhookurl'),
  one('teams', 'webhookurl'),
  one('webex', 'webhookurl'),
  one('datadog', 'apikey'),
  one('datadoglogs', 'apikey'),
  one('discord', 'webhookurl'),
  one('alertmanager', 'hostport'),
  one('elasticsearch', 'hostport'),
  one('quickwit', 'hostport'),
  one('loki', 'hostport'),
  one('sumologic', 'receiverurl'),
  one('nats', 'hostport'),
  one('stan', 'hostport', 'clusterid', 'clientid'),
  one('influxdb', 'hostport'),
  one('aws.lambda', 'functionname'),
  one('aws.sqs', 'url'),
  one('aws.sns', 'topicarn'),
  one('aws.cloudwatchlogs', 'loggroup'),
  one('aws.s3', 'bucket'),
  one('aws.kinesis', 'streamname'),
  one('aws.securitylake', 'bucket', 'region', 'accountid', 'prefix'),
  one('smtp', 'hostport', 'from', 'to'),
  one('opsgenie', 'apikey'),
  one('webhook', 'address'),
  one('nodered', 'address'),
  one('cloudevents', 'address'),
  one('azure.eventhub', 'name'),
  one('gcp.pubsub', 'projectid', 'topic'),
  one('gcp.storage', 'bucket'),
  one('gcp.cloudfunctions', 'name'),
  one('gcp.chronicle', 'projectid', 'instanceid', 'region'),
  one('gcp.cloudrun', 'endpoint', 'jwt'),
  one('googlechat', 'webhookurl'),
  one('kafka', 'hostport', 'topic'),
  one('kafkarest', 'address'),
  one('pagerduty', 'routingkey'),
  one('kubeless', 'namespace', 'function'),
  one('webui', 'url'),
  one('policyreport', 'enabled'),
  one('openfaas', 'functionname'),
  one('tekton', 'eventlistener'),
  one('rabbitmq', 'url', 'queue'),
  one('wavefront', 'endpointtype', 'endpointhost'),
  one('fission', 'function'),
  one('grafana', 'hostport', 'apikey'),
  one('grafanaoncall', 'webhookurl'),
  one('yandex.s3', 'bucket'),
  one('yandex.datastreams', 'streamname'),
  one('syslog', 'host'),
  one('mqtt', 'broker'),
  one('zincsearch', 'hostport'),
  one('gotify', 'hostport'),
  one('spyderbat', 'orguid'),
  one('timescaledb', 'host'),
  one('redis', 'address'),
  one('logstash', 'address'),
  one('telegram', 'chatid', 'token'),
  one('n8n', 'address'),
  one('openobserve', 'hostport'),
  one('dynatrace', 'apitoken', 'apiurl'),
  one('otlp.traces', 'endpoint'),
  one('otlp.logs', 'endpoint'),
  one('otlp.metrics', 'endpoint'),
  one('talon', 'address'),
  one('splunk', 'host'),
];

/** falcosidekick's top-level sections that are not outputs of their own (shared settings). */
const SHARED_SECTIONS = ['aws', 'gcp', 'azure', 'yandex', 'otlp', 'prometheus'];

/** Every top-level section falcosidekick's config has: accepted without an "unknown key" warning. */
export const FALCOSIDEKICK_SECTIONS: ReadonlySet<string> = new Set([...FALCOSIDEKICK_OUTPUTS.map((o) => o.name.split('.')[0] as string), ...SHARED_SECTIONS]);

const isSet = (v: unknown): boolean =>
  typeof v === 'string' ? v.trim() !== '' : typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : Array.isArray(v) ? v.length > 0 : false;

/** `a.b.c` in a YAML value whose keys may be in any case. */
function lookup(input: unknown, path: string): unknown {
  let node = input;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    const key = Object.keys(node).find((k) => k.toLowerCase() === part);
    node = key === undefined ? undefined : (node as Record<string, unknown>)[key];
  }
  return node;
}

const envName = (path: string) => path.replaceAll('.', '_').toUpperCase();

/**
 * The falcosidekick outputs that falcosidekick would start with this file and environment, among
 * those whose top-level section `known` does not claim. Each comes with the keys or env vars that
 * enabled it, for the warning.
 */
export function unsupportedEnabled(input: Record<string, unknown>, env: NodeJS.ProcessEnv, known: (section: string) => boolean): { name: string; by: string[] }[] {
  const found: { name: string; by: string[] }[] = [];
  for (const output of FALCOSIDEKICK_OUTPUTS) {
    if (known(output.name.split('.')[0] as string)) continue;
    for (const group of output.when) {
      const by = group.map((key) => (isSet(env[envName(key)]) ? envName(key) : isSet(lookup(input, key)) ? key : undefined));
      if (by.every((b) => b !== undefined)) {
        found.push({ name: output.name, by: by as string[] });
        break;
      }
    }
  }
  return found;
}
