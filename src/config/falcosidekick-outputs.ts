// falcosidekick 2.34.1's outputs and the keys that turn each one on (its main.go: an output starts
// when these are non-empty; alternatives are separate groups). Used to warn about a configured
// falcosidekick output that Peregrine does not have — only when falcosidekick itself would have
// enabled it, so a pasted config_example.yaml (every section present, every key empty) stays quiet.
// Which of them Peregrine has is not written here: a section the config schema knows (a registered
// output) is never looked up in this table.
import { convert } from './env.ts';

export interface FalcosidekickOutput {
  /** Dotted section path in falcosidekick's config (lower-case, as its config reader sees it). */
  name: string;
  /** Enabled when every key of any one group is set (non-empty string, true, non-empty list). */
  when: string[][];
}

// One entry per output: the first key's full path (section.key), then `+key` for every other key
// that must be set with it.
const ENABLING_KEYS = `
statsd.forwarder dogstatsd.forwarder slack.webhookurl cliq.webhookurl rocketchat.webhookurl
mattermost.webhookurl teams.webhookurl webex.webhookurl datadog.apikey datadoglogs.apikey
discord.webhookurl alertmanager.hostport elasticsearch.hostport quickwit.hostport loki.hostport
sumologic.receiverurl nats.hostport stan.hostport+clusterid+clientid influxdb.hostport
aws.lambda.functionname aws.sqs.url aws.sns.topicarn aws.cloudwatchlogs.loggroup aws.s3.bucket
aws.kinesis.streamname aws.securitylake.bucket+region+accountid+prefix smtp.hostport+from+to
opsgenie.apikey webhook.address nodered.address cloudevents.address azure.eventhub.name
gcp.pubsub.projectid+topic gcp.storage.bucket gcp.cloudfunctions.name
gcp.chronicle.projectid+instanceid+region gcp.cloudrun.endpoint+jwt googlechat.webhookurl
kafka.hostport+topic kafkarest.address pagerduty.routingkey kubeless.namespace+function webui.url
policyreport.enabled openfaas.functionname tekton.eventlistener rabbitmq.url+queue
wavefront.endpointtype+endpointhost fission.function grafana.hostport+apikey
grafanaoncall.webhookurl yandex.s3.bucket yandex.datastreams.streamname syslog.host mqtt.broker
zincsearch.hostport gotify.hostport spyderbat.orguid timescaledb.host redis.address logstash.address
telegram.chatid+token n8n.address openobserve.hostport dynatrace.apitoken+apiurl
otlp.traces.endpoint otlp.logs.endpoint otlp.metrics.endpoint talon.address splunk.host
`;

export const FALCOSIDEKICK_OUTPUTS: readonly FalcosidekickOutput[] = ENABLING_KEYS.split(/\s+/)
  .filter(Boolean)
  .map((entry) => {
    const [first = '', ...rest] = entry.split('+');
    const name = first.slice(0, first.lastIndexOf('.'));
    return { name, when: [[first, ...rest.map((key) => `${name}.${key}`)]] };
  });

/** falcosidekick's top-level sections that are not outputs of their own (shared settings). */
const SHARED_SECTIONS = ['aws', 'gcp', 'azure', 'yandex', 'otlp', 'prometheus'];

/** Every falcosidekick output's section, dotted (`slack`, `aws.lambda`). */
export const FALCOSIDEKICK_OUTPUT_PATHS: ReadonlySet<string> = new Set(FALCOSIDEKICK_OUTPUTS.map((o) => o.name));

/**
 * Keys of falcosidekick's outputs that Peregrine has but does not read, with what to set instead: the
 * "unknown key" warning names it (keys.ts).
 */
export const FALCOSIDEKICK_UNREAD: ReadonlyMap<string, string> = new Map([
  [
    'otlp.logs.extraenvvars',
    'falcosidekick hands these to the OpenTelemetry SDK; Peregrine reads no OTEL_* variable: set otlp.logs.headers (the OTEL_EXPORTER_OTLP_HEADERS form), otlp.logs.cacertfile, and otlp.logs.mutualtls with mutualtlsclient.*',
  ],
  ['otlp.logs.timeout', 'set otlp.timeoutms (ms) instead'],
  ['otlp.logs.synced', 'Peregrine always answers Falco before delivery and retries from its queue'],
  ['otlp.logs.tls', 'the endpoint\'s scheme decides: https:// for TLS'],
  [
    'otlp.traces.extraenvvars',
    'falcosidekick hands these to the OpenTelemetry SDK; Peregrine reads no OTEL_* variable: set otlp.traces.headers (the OTEL_EXPORTER_OTLP_HEADERS form), otlp.traces.cacertfile, and otlp.traces.mutualtls with mutualtlsclient.*',
  ],
  ['otlp.traces.synced', 'Peregrine always answers Falco before delivery and retries from its queue'],
  ['otlp.traces.tls', 'the endpoint\'s scheme decides: https:// for TLS'],
  [
    'otlp.metrics.extraenvvars',
    'falcosidekick hands these to the OpenTelemetry SDK; Peregrine reads no OTEL_* variable: set otlp.metrics.headers (the OTEL_EXPORTER_OTLP_HEADERS form), otlp.metrics.cacertfile, and otlp.metrics.mutualtls with mutualtlsclient.*',
  ],
]);

/** Every top-level section falcosidekick's config has: accepted without an "unknown key" warning. */
export const FALCOSIDEKICK_SECTIONS: ReadonlySet<string> = new Set([...FALCOSIDEKICK_OUTPUTS.map((o) => o.name.split('.')[0] as string), ...SHARED_SECTIONS]);

// An env var is text: POLICYREPORT_ENABLED=false (falcosidekick's chart sets it so) is not set.
const isSet = (v: unknown): boolean =>
  typeof v === 'string' ? v.trim() !== '' && convert(v, 'boolean') !== false : typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : Array.isArray(v) ? v.length > 0 : false;

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
 * those whose section (dotted: `slack`, `aws.lambda`) `known` does not claim. Each comes with the
 * keys or env vars that enabled it, for the warning.
 */
export function unsupportedEnabled(input: Record<string, unknown>, env: NodeJS.ProcessEnv, known: (section: string) => boolean): { name: string; by: string[] }[] {
  const found: { name: string; by: string[] }[] = [];
  for (const output of FALCOSIDEKICK_OUTPUTS) {
    if (known(output.name)) continue;
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
