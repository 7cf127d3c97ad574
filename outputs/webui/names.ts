// The outputs list falcosidekick-ui shows ("Outputs" in its header): falcosidekick sends the names
// its main.go appends to EnabledOutputs ("Slack", "AWSSQS", "NodeRed"…). Peregrine sends the same
// spelling for the outputs falcosidekick has, the plugin's own name for the others (stdout), and a
// named instance (outputs.<name>) by its instance name, so two Slack instances are told apart.

const FALCOSIDEKICK_NAMES: Readonly<Record<string, string>> = {
  alertmanager: 'AlertManager',
  awscloudwatchlogs: 'AWSCloudWatchLogs',
  awskinesis: 'AWSKinesis',
  awslambda: 'AWSLambda',
  awss3: 'AWSS3',
  awssns: 'AWSSNS',
  awssqs: 'AWSSQS',
  cliq: 'Cliq',
  cloudevents: 'CloudEvents',
  datadog: 'Datadog',
  datadoglogs: 'DatadogLogs',
  discord: 'Discord',
  dogstatsd: 'DogStatsD',
  dynatrace: 'Dynatrace',
  elasticsearch: 'Elasticsearch',
  googlechat: 'GoogleChat',
  gotify: 'Gotify',
  grafana: 'Grafana',
  grafanaoncall: 'GrafanaOnCall',
  influxdb: 'Influxdb',
  kafka: 'Kafka',
  kafkarest: 'KafkaRest',
  loki: 'Loki',
  mattermost: 'Mattermost',
  mqtt: 'MQTT',
  n8n: 'n8n',
  nats: 'NATS',
  nodered: 'NodeRed',
  openobserve: 'OpenObserve',
  opsgenie: 'Opsgenie',
  otlp: 'OTLPLogs',
  pagerduty: 'Pagerduty',
  rabbitmq: 'RabbitMQ',
  redis: 'Redis',
  rocketchat: 'Rocketchat',
  slack: 'Slack',
  smtp: 'SMTP',
  splunk: 'Splunk',
  spyderbat: 'Spyderbat',
  statsd: 'StatsD',
  sumologic: 'SumoLogic',
  syslog: 'Syslog',
  talon: 'Talon',
  teams: 'Teams',
  telegram: 'Telegram',
  wavefront: 'Wavefront',
  webex: 'Webex',
  webhook: 'Webhook',
  webui: 'WebUI',
};

/** The names to send, in the order the outputs run, each once. */
export function enabledOutputNames(outputs: readonly { name: string; type: string }[]): string[] {
  const names = outputs.map((o) => (o.name === o.type ? (FALCOSIDEKICK_NAMES[o.type] ?? o.type) : o.name));
  return [...new Set(names)];
}
