// falcosidekick's own chart values (chart 0.14.0's default values.yaml, vendored in fixtures/) render
// with Peregrine's chart, and the daemon loads the result with falcosidekick's effective defaults:
// falcosidekick's chart passes every value as an env var and an empty one means "the default", so a
// "" in those values must never reach the daemon as "" (S3 objects at the bucket root, TLS
// verification off, opsgenie.region refused). Typical user values on top of them: keys mapped to
// Peregrine's, IRSA, keys ignored with a NOTE, outputs Peregrine lacks warned about.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { outputs } from '../../test/support/outputs.ts';
import { loadConfig } from '../../src/config/load.ts';
import { ensureHelm, findHelm } from './helm.ts';

const repo = join(import.meta.dirname, '../..');
const chart = process.env.PEREGRINE_CHART ?? join(repo, 'helm/peregrine');
const FALCOSIDEKICK_VALUES = join(import.meta.dirname, 'fixtures/falcosidekick-0.14.0-values.yaml');
const CI = process.env.CI === 'true';
let helm = findHelm();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function valuesFile(values: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'peregrine-fsk-')), 'values.yaml');
  writeFileSync(file, YAML.stringify(values));
  return file;
}

/** `helm template` of the values files: the documents, the env Secret decoded, the ConfigMap's config. */
function render(...values: string[]) {
  const res = spawnSync(helm as string, ['template', 'peregrine', chart, '--namespace', 'falco', '--kube-version', '1.30.0', ...values.flatMap((v) => ['--values', v])], { encoding: 'utf8' });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  const docs = YAML.parseAllDocuments(res.stdout).map((d) => d.toJS() as Any).filter(Boolean);
  const secret = docs.find((d) => d.kind === 'Secret' && d.metadata.name === 'peregrine');
  const env: Record<string, string> = Object.fromEntries(Object.entries((secret?.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  const text = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'peregrine').data['config.yaml'] as string;
  return { docs, env, text };
}

/** What the daemon makes of the ConfigMap and the Secret's env vars (src/config/load.ts, as at start). */
function load(text: string, env: Record<string, string>) {
  const file = join(mkdtempSync(join(tmpdir(), 'peregrine-fsk-')), 'config.yaml');
  writeFileSync(file, text);
  return loadConfig({ plugins: outputs, file, env });
}

function notes(...values: string[]): string {
  const res = spawnSync(helm as string, ['install', 'peregrine', chart, '--namespace', 'falco', '--dry-run=client', ...values.flatMap((v) => ['--values', v])], { encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  return res.stdout.slice(res.stdout.indexOf('NOTES:'));
}

/** Every "" leaf of a YAML value, as dotted paths. */
function emptyLeaves(node: unknown, path: string[] = []): string[] {
  if (node === '') return [path.join('.')];
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  return Object.entries(node).flatMap(([k, v]) => emptyLeaves(v, [...path, k]));
}

// A user's values built on falcosidekick's defaults, as they would be written for falcosidekick's chart.
const USER = {
  config: {
    aws: { useirsa: true, rolearn: 'arn:aws:iam::123456789012:role/falco', region: 'eu-west-1', s3: { bucket: 'falco-alerts' } },
    gcp: { workloadIdentityServiceAccount: 'falco@acme.iam.gserviceaccount.com', pubsub: { projectid: 'acme', topic: 'falco' } },
    azure: { workloadIdentityClientID: '00000000-1111-2222-3333-444444444444', eventHub: { namespace: 'falco-ns.servicebus.windows.net', name: 'falco' } },
    stan: { hostport: 'nats://stan:4222', clusterid: 'falco', clientid: 'sidekick' },
    alertmanager: { hostport: 'http://alertmanager:9093', expireafter: '300' },
    smtp: { hostport: 'mail.example.com:587', from: 'falco@example.com', to: 'secops@example.com', token: 'oauth-token' },
    loki: { hostport: 'http://loki:3100', extralabels: 'proc.name, container.image.repository' },
    otlp: { logs: { endpoint: 'http://otel-collector:4318/v1/logs', headers: 'api-key=s%2Cecret,x-team=sec' }, traces: { endpoint: 'http://otel-collector:4318/v1/traces', synced: true }, metrics: { endpoint: 'http://otel-collector:4317' } },
    opsgenie: { apikey: 'og-key' },
    webhook: { address: 'http://siem:8080/', checkcert: '' },
  },
};

describe.skipIf(!helm && !CI)("falcosidekick chart's values (helm template + the daemon's loader)", () => {
  beforeAll(() => {
    helm ??= ensureHelm();
  }, 1_200_000);

  it("falcosidekick 0.14.0's default values.yaml renders, and the daemon loads it with falcosidekick's defaults", () => {
    const { env, text } = render(FALCOSIDEKICK_VALUES);
    // "" means the default in falcosidekick's chart: none reaches the daemon's file.
    expect(emptyLeaves(YAML.parse(text))).toEqual([]);
    const loaded = load(text, env);
    expect(loaded.warnings.filter((w) => !/no output is enabled/.test(w))).toEqual([]);
    const config = loaded.config as Any;
    expect(config.aws.s3.prefix).toBe('falco'); // was "": objects at the bucket root
    expect(config.opsgenie.region).toBe('us'); // was "": a startup error
    for (const section of [config.webhook, config.alertmanager, config.elasticsearch, config.loki, config.opsgenie, config.splunk]) expect(section.checkcert).toBe(true);
    expect(config.slack.username).toBe('Falcosidekick');
    expect(config.loki.format).toBe('text');
    // falcosidekick's chart defaults of outputs added in round 43 (securitylake's interval, otlp.metrics' timeout in ms).
    expect(config.aws.securitylake.interval).toBe(5);
    expect(config.otlp.metrics.timeoutms).toBe(1000);
    // otlp.traces is Peregrine's otlptraces output: its chart timeout (ms) is the daemon's timeoutms.
    expect(config.otlp.traces.timeoutms).toBe(1000);
    // Chart keys never reach the daemon.
    expect(text).not.toMatch(/useirsa|grafanaDashboard|expireafter/i);
  });

  it('typical user values on top: mapped keys, IRSA, ignored keys with a NOTE, outputs Peregrine lacks warned about', () => {
    const user = valuesFile(USER);
    const { docs, env, text } = render(FALCOSIDEKICK_VALUES, user);
    const loaded = load(text, env);
    const config = loaded.config as Any;
    expect(loaded.enabled).toEqual(expect.arrayContaining(['alertmanager', 'awss3', 'gcppubsub', 'azureeventhub', 'loki', 'otlp', 'otlptraces', 'otlpmetrics', 'smtp', 'opsgenie', 'webhook']));
    expect(config.alertmanager.expiresafter).toBe(300); // the chart's expireafter
    expect(config.webhook.checkcert).toBe(true); // checkcert: "" = the default
    expect(config.aws.s3.prefix).toBe('falco');
    expect(config.otlp.logs.headers).toEqual({ 'api-key': 's,ecret', 'x-team': 'sec' }); // "k=v,k=v", percent-decoded
    expect(config.loki.extralabels).toEqual(['proc.name', 'container.image.repository']);
    // IRSA as in falcosidekick's chart: the role is on the ServiceAccount, the daemon assumes nothing.
    expect(config.aws.rolearn).toBe('');
    // GKE Workload Identity as in falcosidekick's chart: on the ServiceAccount, not in the daemon's config.
    // Azure Workload Identity as in falcosidekick's chart (the annotation), with the pod label AKS's webhook needs.
    expect(docs.find((d) => d.kind === 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/falco',
      'iam.gke.io/gcp-service-account': 'falco@acme.iam.gserviceaccount.com',
      'azure.workload.identity/client-id': '00000000-1111-2222-3333-444444444444',
    });
    expect(docs.find((d) => d.kind === 'Deployment').spec.template.metadata.labels).toMatchObject({ 'azure.workload.identity/use': 'true' });
    expect(text).not.toMatch(/workloadidentity/i);
    expect(config.azure.eventhub).toMatchObject({ namespace: 'falco-ns.servicebus.windows.net', name: 'falco' });
    expect(config.gcp.pubsub).toMatchObject({ projectid: 'acme', topic: 'falco' });
    // smtp.token (OAUTHBEARER) is ignored: in neither the ConfigMap nor the Secret.
    expect(JSON.stringify({ text, env })).not.toContain('oauth-token');
    // otlp.metrics with the chart's default protocol (grpc).
    expect(config.otlp.metrics).toMatchObject({ endpoint: 'http://otel-collector:4317', protocol: 'grpc', timeoutms: 1000 });
    expect(env.STAN_HOSTPORT).toBe('nats://stan:4222'); // a section of an output Peregrine lacks: Secret only
    expect(text).not.toContain('stan:4222');
    expect(loaded.warnings).toContainEqual(expect.stringMatching(/"stan" is a falcosidekick output that Peregrine does not have/));
    expect(config.otlp.traces).toMatchObject({ endpoint: 'http://otel-collector:4318/v1/traces', timeoutms: 1000 });
    expect(text).not.toMatch(/synced|extraenvvars/);
    const said = notes(FALCOSIDEKICK_VALUES, user);
    expect(said).toContain('falcosidekick outputs that Peregrine does not have: stan (stan.hostport + stan.clusterid + stan.clientid)');
    expect(said).toContain('config.otlp.traces.synced is ignored');
    expect(said).not.toContain('extraenvvars'); // {} in falcosidekick's defaults: not set
    expect(said).toContain('config.smtp.token is ignored');
    expect(said).toContain('eks.amazonaws.com/role-arn=arn:aws:iam::123456789012:role/falco');
    expect(said).toContain('config.loki.grafanaDashboard is ignored'); // on in falcosidekick's defaults, and loki.hostport is set
  });

  it('otlp.logs.headers as a map reaches the daemon intact (its "k=v,k=v" env form, percent-encoded)', () => {
    const headers = { 'Api-Key': 'a,b=c%d', 'x-team': 'sec' };
    const { env, text } = render(valuesFile({ config: { otlp: { logs: { endpoint: 'http://otel:4318/v1/logs', headers } } } }));
    expect(text).not.toContain('a,b=c%d');
    expect((load(text, env).config as Any).otlp.logs.headers).toEqual({ 'api-key': 'a,b=c%d', 'x-team': 'sec' });
  });

  it('"" stays where it is a value of its own (Peregrine-only keys, named instances); alertmanager.expiresafter wins over expireafter', () => {
    const { text, env } = render(
      valuesFile({
        config: {
          webhook: { address: 'http://siem:8080/', dedupe: { redis: { keyprefix: '' } } },
          alertmanager: { hostport: 'http://am:9093', expireafter: 60, expiresafter: 120 },
          slack: { webhookurl: 'https://hooks.slack.com/services/T0/B0/x', icon: '' },
          outputs: { 'soc-slack': { type: 'slack', webhookurl: 'https://hooks.slack.com/services/T0/B1/y', icon: '' } },
        },
      }),
    );
    const config = load(text, env).config as Any;
    expect(config.webhook.dedupe.redis.keyprefix).toBe('');
    expect(config.alertmanager.expiresafter).toBe(120);
    // slack.icon: "" is falcosidekick's "unset" in its section, Peregrine's "no icon" in a named instance.
    expect(config.slack.icon).toContain('falcosidekick_color.png');
    expect(config.outputs['soc-slack'].icon).toBe('');
  });

  it('aws.rolearn without aws.useirsa: the daemon assumes the role, and the NOTES say how falcosidekick\'s chart read it', () => {
    const values = valuesFile({ config: { aws: { rolearn: 'arn:aws:iam::123456789012:role/falco' } } });
    const { docs, env, text } = render(values);
    expect((load(text, env).config as Any).aws.rolearn).toBe('arn:aws:iam::123456789012:role/falco');
    expect(docs.find((d) => d.kind === 'ServiceAccount').metadata.annotations).toBeUndefined();
    expect(notes(values)).toContain('set config.aws.useirsa: true for that');
  });
});
