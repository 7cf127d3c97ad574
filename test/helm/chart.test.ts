// The Helm chart's templates, rendered by the real `helm template` and checked as YAML (helm-unittest
// is a Helm plugin fetched from GitHub: not obtainable here). Without helm this suite is skipped
// with a loud message locally; under CI=true it installs helm through helm/ci.sh instead, never skips.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { outputs } from '../../test/support/outputs.ts';
import { loadConfig } from '../../src/config/load.ts';
import { metaTemplate, valuesSchema } from '../../scripts/gen-helm-schema.ts';
import { ensureHelm, findHelm } from './helm.ts';
import { RESTART_KEYS } from '../../src/reload/plan.ts';

const repo = join(import.meta.dirname, '../..');
// PEREGRINE_CHART: try a scratch copy of the chart (helm/ci.sh passes it through).
const chart = process.env.PEREGRINE_CHART ?? join(repo, 'helm/peregrine');
const CI = process.env.CI === 'true';

let helm = findHelm();
if (!helm && !CI) {
  console.warn(
    '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
      '!! test/unit/helm/chart.test.ts SKIPPED: helm is not installed.\n' +
      '!! Run `bash helm/ci.sh --install-only` (or set HELM=/path/to/helm). CI never skips it.\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n',
  );
}

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  [key: string]: unknown;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function template(values: string[] | string = [], extra: string[] = []): { ok: boolean; docs: Doc[]; stderr: string } {
  const files = (Array.isArray(values) ? values : [values]).flatMap((v) => ['--values', v.includes('/') ? v : join(chart, 'ci', v)]);
  const res = spawnSync(helm as string, ['template', 'peregrine', chart, '--namespace', 'falco', '--kube-version', '1.30.0', ...files, ...extra], {
    encoding: 'utf8',
  });
  const docs = res.status === 0 ? YAML.parseAllDocuments(res.stdout).map((d) => d.toJS() as Doc).filter(Boolean) : [];
  return { ok: res.status === 0, docs, stderr: res.stderr };
}

/** A values file rendered cleanly: its documents, the generated Secret's env and the ConfigMap's config text. */
function rendered(values: string): { docs: Doc[]; env: Record<string, string>; text: string } {
  const { ok, docs, stderr } = template(values);
  expect(stderr).toBe('');
  expect(ok).toBe(true);
  return { docs, env: secretEnv(docs), text: (find(docs, 'ConfigMap') as Any).data['config.yaml'] as string };
}

/** The config the daemon loads from the chart's ConfigMap text + Secret env, checked equal to the one loaded from `config` directly. */
function daemonViews(configMapText: string, env: Record<string, string>, config: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-helm-'));
  writeFileSync(join(dir, 'cm.yaml'), configMapText);
  writeFileSync(join(dir, 'direct.yaml'), YAML.stringify(config));
  const fromChart = loadConfig({ plugins: outputs, file: join(dir, 'cm.yaml'), env });
  const direct = loadConfig({ plugins: outputs, file: join(dir, 'direct.yaml'), env: {} });
  expect(fromChart.config).toEqual(direct.config);
  return { fromChart, direct };
}

function valuesFile(values: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-helm-'));
  const file = join(dir, 'values.yaml');
  writeFileSync(file, YAML.stringify(values));
  return file;
}

/** Whether a label selector (matchLabels, matchExpressions) selects these labels. */
function selects(selector: Any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
const find = (docs: Doc[], kind: string, name?: string) => docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
const checksum = (docs: Doc[]) => (find(docs, 'Deployment') as Any).spec.template.metadata.annotations['checksum/config'];
const container = (workload: Doc): Any => (workload as Any).spec.template.spec.containers[0];
const configOf = (docs: Doc[]): Any => YAML.parse((find(docs, 'ConfigMap') as Any).data['config.yaml']);
const secretEnv = (docs: Doc[]): Record<string, string> => {
  const secret = find(docs, 'Secret', 'peregrine') as Any; // the env Secret (not <release>-certs)
  if (!secret) return {};
  return Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
};
const seed = () => YAML.parse(readFileSync(join(repo, 'test/fixtures/config/seed.yaml'), 'utf8'));

describe.skipIf(!helm && !CI)('helm chart (helm template)', () => {
  beforeAll(() => {
    helm ??= ensureHelm();
  }, 1_200_000);

  it('generated files (values.schema.json, _generated-config.tpl) are fresh', async () => {
    const expected: [string, string][] = [
      ['values.schema.json', `${JSON.stringify(await valuesSchema(), null, 2)}\n`],
      ['templates/_generated-config.tpl', metaTemplate()],
    ];
    const stale = expected.filter(([file, content]) => readFileSync(join(chart, file), 'utf8') !== content).map(([file]) => file);
    expect(stale, 'stale: run node scripts/gen-helm-schema.ts').toEqual([]);
  });

  it('minimal: a hardened 2-replica Deployment behind the Service Falco posts to', () => {
    const { ok, docs, stderr } = template('minimal-values.yaml');
    expect(stderr).toBe('');
    expect(ok).toBe(true);
    const deploy = find(docs, 'Deployment', 'peregrine') as Any;
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
    const pod = deploy.spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.topologySpreadConstraints.map((t: Any) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    const c = container(deploy);
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true });
    expect(c.args).toEqual(['-c', '/etc/peregrine/config.yaml']);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 2801, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/ping', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'SPOOL_ENABLED', value: 'true' }, { name: 'SPOOL_DIR', value: '/var/lib/peregrine' }]));
    expect(c.volumeMounts.map((m: Any) => m.mountPath)).toEqual(['/etc/peregrine', '/var/lib/peregrine', '/tmp']);
    expect(pod.volumes.find((v: Any) => v.name === 'spool').emptyDir).toBeDefined();
    expect(deploy.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    // falcosidekick users point http_output.url at http://<service>:2801/
    const svc = find(docs, 'Service', 'peregrine') as Any;
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 2801, targetPort: 'http', protocol: 'TCP' }]);
    expect(find(docs, 'PodDisruptionBudget')).toBeDefined();
    expect(find(docs, 'Secret')).toBeUndefined();
    expect(configOf(docs)).toEqual({ webhook: { address: 'https://siem.example.com/api/v1/events', minimumpriority: 'notice' } });
    const test = docs.find((d) => d.metadata.annotations?.['helm.sh/hook'] === 'test') as Any;
    // helm test is side-effect free: GET /healthz, never POST /test (a test alert to every real destination).
    expect(test.spec.containers[0].env[0].value).toBe('http://peregrine.falco.svc:2801/healthz');
    expect(test.spec.containers[0].args[0]).not.toContain('POST');
  });

  it('release names: <release>-peregrine, or the release name when it already says peregrine', () => {
    const res = spawnSync(helm as string, ['template', 'falco', chart, '--kube-version', '1.30.0'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(YAML.parseAllDocuments(res.stdout).map((d) => (d.toJS() as Doc | null)?.metadata?.name)).toContain('falco-peregrine');
  });

  it('the seed falcosidekick config: secrets go to the Secret as SECTION_KEY env vars and the daemon sees the same config', () => {
    const values = YAML.parse(readFileSync(join(chart, 'ci/all-outputs-values.yaml'), 'utf8'));
    expect(values.config).toEqual(seed());
    const { docs, env, text } = rendered('all-outputs-values.yaml');
    expect(env).toEqual({
      ELASTICSEARCH_PASSWORD: 'changeme',
      SPLUNK_TOKEN: 'your-hec-token',
      KAFKA_PASSWORD: 'password',
      WEBHOOK_CUSTOMHEADERS: 'Authorization:Bearer your-api-token,X-Source:falco',
    });
    for (const secret of Object.values(env)) expect(text).not.toContain(secret.split(',')[0]?.split(':').pop());
    expect(text).not.toMatch(/password|token:|Authorization/);
    const c = container(find(docs, 'Deployment') as Doc);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'peregrine' } }]);

    // What the daemon loads from the ConfigMap + the Secret's env equals the pasted config.
    const { fromChart, direct } = daemonViews(text, env, seed());
    expect(fromChart.enabled).toEqual(direct.enabled);
  });

  it('named outputs: each instance\'s secrets go to the Secret as OUTPUTS__<NAME>__<KEY>, match stays, the daemon sees the same config', () => {
    const { env, text } = rendered('named-outputs-values.yaml');
    expect(env).toEqual({
      OUTPUTS__SOC_PAGER__CUSTOMHEADERS: 'Authorization:Bearer pager-token',
      OUTPUTS__TEAM_A_SPLUNK__TOKEN: 'team-a-hec-token',
      OUTPUTS__AUDIT_ES__PASSWORD: 'es-secret',
    });
    expect(text).not.toMatch(/pager-token|team-a-hec-token|es-secret/);
    // The match block, secret-looking field name included, is config, not a secret.
    expect(text).toContain('k8s.pod.labels.token');
    const { fromChart } = daemonViews(text, env, YAML.parse(readFileSync(join(chart, 'ci/named-outputs-values.yaml'), 'utf8')).config);
    // Helm writes map keys sorted; the order of outputs has no effect on which alerts each takes.
    expect(fromChart.enabled).toEqual(['webhook', 'audit-es', 'soc-pager', 'team-a-splunk']);
  });

  it('named outputs: the values schema refuses a bad instance name and an unknown type', () => {
    const badName = template(valuesFile({ config: { outputs: { Soc_Pager: { type: 'stdout' } } } }));
    expect(badName.ok).toBe(false);
    expect(badName.stderr).toMatch(/Soc_Pager/);
    const badType = template(valuesFile({ config: { outputs: { x: { type: 'stan' } } } }));
    expect(badType.ok).toBe(false);
  });

  it("the values schema checks a nested section that also takes falcosidekick's chart keys (otlp.traces.timeout beside its own keys)", () => {
    const ok = template(valuesFile({ config: { otlp: { traces: { endpoint: 'http://otel:4318/v1/traces', timeout: 1000 } } } }));
    expect(ok.stderr).toBe('');
    expect(ok.ok).toBe(true);
    const typo = template(valuesFile({ config: { otlp: { traces: { endpont: 'http://otel:4318/v1/traces' } } } }));
    expect(typo.ok).toBe(false);
    expect(typo.stderr).toMatch(/endpont/);
  });

  it('optional resources render: HPA, Ingress, NetworkPolicy, ServiceMonitor, PrometheusRule', () => {
    const { docs } = template('all-outputs-values.yaml');
    const deploy = find(docs, 'Deployment') as Any;
    expect(deploy.spec.replicas).toBeUndefined();
    expect((find(docs, 'HorizontalPodAutoscaler') as Any).spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'peregrine' });
    expect((find(docs, 'Ingress') as Any).spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'peregrine', port: { name: 'http' } });
    const np = find(docs, 'NetworkPolicy') as Any;
    expect(np.spec.ingress[0].from).toHaveLength(3);
    const sm = find(docs, 'ServiceMonitor') as Any;
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    const rules = (find(docs, 'PrometheusRule') as Any).spec.groups[0].rules as Any[];
    const expr = Object.fromEntries(rules.map((r) => [r.alert, String(r.expr)]));
    expect(expr.PeregrineOutputFailing).toContain('rate(peregrine_retries_total{');
    expect(expr.PeregrineAlertsDelayed).toContain('peregrine_queue_oldest_age_seconds');
    // The spool is on (the chart's default): queues are bounded by spool.maxbytes, not queue.maxalerts.
    expect(expr.PeregrineQueueNearFull).toBeUndefined();
    expect(expr.PeregrineSpoolNearFull).toContain('peregrine_spool_bytes{');
    expect(expr.PeregrineSpoolNearFull).toContain('> 858993459');
    expect(expr.PeregrineAlertsDropped).toContain('peregrine_dropped_total');
    expect(expr.PeregrineAlertsDeadLettered).toContain('peregrine_dead_lettered_total');
    // the IRSA annotation lands on the ServiceAccount
    expect((find(docs, 'ServiceAccount') as Any).metadata.annotations['eks.amazonaws.com/role-arn']).toContain('peregrine-securityhub');
  });

  it('persistence: a StatefulSet with a PVC per pod and per-output queue thresholds', () => {
    const { ok, docs, stderr } = template('persistence-values.yaml');
    expect(stderr).toBe('');
    expect(ok).toBe(true);
    expect(find(docs, 'Deployment')).toBeUndefined();
    const sts = find(docs, 'StatefulSet') as Any;
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('peregrine-headless');
    expect(sts.spec.volumeClaimTemplates[0].metadata.name).toBe('spool');
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
    expect(sts.spec.template.spec.volumes.map((v: Any) => v.name)).not.toContain('spool');
    expect(find(docs, 'Service', 'peregrine-headless')).toBeDefined();
    expect(secretEnv(docs)).toEqual({ SPLUNK_TOKEN: 'your-hec-token' });
  });

  it('spool off: PeregrineQueueNearFull with per-output queue thresholds, and no spool rule', () => {
    const { ok, docs } = template('persistence-values.yaml', ['--set', 'spool.enabled=false']);
    expect(ok).toBe(true);
    const rules = (find(docs, 'PrometheusRule') as Any).spec.groups[0].rules as Any[];
    const nearFull = String(rules.find((r) => r.alert === 'PeregrineQueueNearFull').expr);
    expect(nearFull).toContain('output="splunk"}) > 400000');
    expect(nearFull).toContain('output!~"splunk"');
    expect(nearFull).toContain('> 80000');
    expect(rules.find((r) => r.alert === 'PeregrineSpoolNearFull')).toBeUndefined();
  });

  it('the falcosidekick alias Service is not scraped (each pod once), and PeregrineDown alerts on absence with either chart\'s ServiceMonitor key', () => {
    const { ok, docs } = template([], ['--set', 'falcosidekickService.enabled=true', '--set', 'serviceMonitor.enabled=true', '--set', 'metrics.prometheusRule.enabled=true']);
    expect(ok).toBe(true);
    const sm = find(docs, 'ServiceMonitor') as Any;
    const selected = docs.filter((d) => d.kind === 'Service' && selects(sm.spec.selector, (d as Any).metadata.labels ?? {})).map((d) => d.metadata.name);
    expect(selected).toEqual(['peregrine']);
    expect(docs.filter((d) => d.kind === 'Service').length).toBeGreaterThan(1);
    const rules = (find(docs, 'PrometheusRule') as Any).spec.groups[0].rules as Any[];
    expect(String(rules.find((r) => r.alert === 'PeregrineDown').expr)).toContain('absent(up{');
  });

  it('existingSecret: envFrom it, no generated Secret; TLS ingest moves probes (and helm test) to notlspaths on notlsport', () => {
    const { ok, docs } = template('existing-secret-values.yaml');
    expect(ok).toBe(true);
    expect(find(docs, 'Secret')).toBeUndefined();
    const c = container(find(docs, 'Deployment') as Doc);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'peregrine-env' } }]);
    expect(c.env).toContainEqual({ name: 'LOGLEVEL', value: 'debug' });
    expect(c.ports.map((p: Any) => p.name)).toEqual(['http', 'status']);
    expect(c.readinessProbe.httpGet.port).toBe('status');
    const test = docs.find((d) => d.metadata.annotations?.['helm.sh/hook'] === 'test') as Any;
    expect(test.spec.containers[0].env).toEqual([{ name: 'PEREGRINE_URL', value: 'http://peregrine.falco.svc:2810/healthz' }]);
  });

  it('with config.reload.watch false, any config change changes checksum/config (pods roll)', () => {
    const off = { reload: { watch: false } };
    const a = template(valuesFile({ config: { ...off, webhook: { address: 'https://one.example.com/' } } })).docs;
    const b = template(valuesFile({ config: { ...off, webhook: { address: 'https://other.example.com/', minimumpriority: 'notice' } } })).docs;
    expect(checksum(a)).not.toBe(checksum(b));
  });

  it('with hot reload on (the default), only a setting the daemon reads at start rolls the pods; a secret change always does', () => {
    const a = template(valuesFile({ config: { webhook: { address: 'https://one.example.com/' } } })).docs;
    const outputsChanged = template(valuesFile({ config: { webhook: { address: 'https://other.example.com/', minimumpriority: 'notice' }, customfields: { team: 'x' } } })).docs;
    expect(checksum(outputsChanged)).toBe(checksum(a));
    const restartOnly = template(valuesFile({ config: { webhook: { address: 'https://one.example.com/' }, Spool: { maxbytes: 2_000_000_000 } } })).docs;
    expect(checksum(restartOnly)).not.toBe(checksum(a));
    const secret = template(valuesFile({ config: { webhook: { address: 'https://one.example.com/', customheaders: { authorization: 'Bearer x' } } } })).docs;
    const sum = (docs: Doc[]) => (find(docs, 'Deployment') as Any).spec.template.metadata.annotations['checksum/secret'];
    expect(sum(secret)).not.toBe(sum(a));
  });

  it("the chart's restart-only keys are the daemon's (src/reload/plan.ts RESTART_KEYS)", () => {
    const helpers = readFileSync(join(chart, 'templates/_helpers.tpl'), 'utf8');
    const listed = /define "peregrine.restartKeys" -\}\}\n(\[[^\]]*\])/.exec(helpers)?.[1];
    expect(JSON.parse(listed ?? '[]')).toEqual([...RESTART_KEYS]);
  });

  it('falcosidekick spellings: keys in any case, unsupported output sections accepted', () => {
    const { ok, docs, stderr } = template(
      valuesFile({ config: { outputFieldFormat: '', Webhook: { Address: 'https://x.example.com/', Password: 's3cret' }, Stan: { HostPort: 'nats://nats:4222', ClusterID: 'falco', ClientID: 'sp1der' } } }),
    );
    expect(stderr).toBe('');
    expect(ok).toBe(true);
    // stan is a falcosidekick output Peregrine lacks: its whole section is Secret material (it may hold credentials).
    expect(secretEnv(docs)).toEqual({ WEBHOOK_PASSWORD: 's3cret', STAN_HOSTPORT: 'nats://nats:4222', STAN_CLUSTERID: 'falco', STAN_CLIENTID: 'sp1der' });
  });

  it('chat webhook URLs (credentials) go to the Secret, not the ConfigMap', () => {
    const { ok, docs } = template(
      valuesFile({ config: { slack: { webhookurl: 'https://hooks.slack.com/services/T0/B0/zzz' }, teams: { webhookurl: 'https://flow.example.com/x?sig=abc' } } }),
    );
    expect(ok).toBe(true);
    expect(secretEnv(docs)).toEqual({ SLACK_WEBHOOKURL: 'https://hooks.slack.com/services/T0/B0/zzz', TEAMS_WEBHOOKURL: 'https://flow.example.com/x?sig=abc' });
    expect(JSON.stringify(find(docs, 'ConfigMap'))).not.toMatch(/zzz|sig=abc/);
  });

  it('a falcosidekick chart values file (ci/falcosidekick-values.yaml) renders with the same meaning', () => {
    const { ok, docs, stderr } = template('falcosidekick-values.yaml');
    expect(stderr).toBe('');
    expect(ok).toBe(true);
    const deploy = find(docs, 'Deployment') as Any;
    const pod = deploy.spec.template.spec;
    const c = container(deploy);
    expect(c.image).toBe('docker.io/falcosecurity/peregrine:0.1.0'); // image.registry
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]); // a list of names
    for (const d of docs) expect([d.kind, d.metadata.labels?.team]).toEqual([d.kind, 'secops']); // customLabels
    expect(deploy.metadata.annotations['example.com/owner']).toBe('secops'); // customAnnotations
    expect(deploy.spec.template.metadata.annotations['example.com/owner']).toBe('secops');
    // config.existingSecret, config.extraEnv
    expect(c.envFrom).toEqual([{ secretRef: { name: 'peregrine' } }, { secretRef: { name: 'falcosidekick-env' } }]);
    expect(c.env).toContainEqual({ name: 'TZ', value: 'UTC' });
    // config.tlsserver.{servercrt,serverkey,cacrt}: a Secret mounted where certfile/keyfile/cacertfile point
    const certs = find(docs, 'Secret', 'peregrine-certs') as Any;
    expect(Object.keys(certs.data).sort()).toEqual(['ca.crt', 'server.crt', 'server.key']);
    expect(c.volumeMounts).toContainEqual({ name: 'server-certs', mountPath: '/etc/certs/server', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'server-certs', secret: { secretName: 'peregrine-certs' } });
    // tlsserver.notlspaths "/ping,/healthz" on notlsport 2810: the probes use the plain port
    expect(c.ports).toContainEqual({ name: 'status', containerPort: 2810, protocol: 'TCP' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'status' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/ping', port: 'status' });
    // chart-only keys never reach the daemon's file; string forms do, unchanged
    const config = configOf(docs);
    expect(config).not.toHaveProperty('existingSecret');
    expect(config).not.toHaveProperty('extraEnv');
    expect(config.tlsserver).not.toHaveProperty('serverkey');
    expect(config).toMatchObject({ customfields: 'environment:production,cluster:eu-west-1', customtags: 'k8s,production' });
    // serviceMonitor.*
    const sm = find(docs, 'ServiceMonitor') as Any;
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec.endpoints[0]).toMatchObject({ port: 'http', interval: '15s', scrapeTimeout: '5s', honorLabels: true, scheme: 'https' });
    // prometheusRules.*: falcosidekick's rules, same expressions; emergency disabled; additionalAlerts text
    const groups = (find(docs, 'PrometheusRule') as Any).spec.groups as Any[];
    const fsk = groups.find((g) => g.name === 'falcosidekick');
    const byName = Object.fromEntries(fsk.rules.map((r: Any) => [r.alert, r]));
    expect(Object.keys(byName)).toEqual(['FalcoWarningEventsRateHigh', 'FalcoErrorEventsRateHigh', 'FalcoCriticalEventsRateHigh', 'FalcoAlertEventsRateHigh', 'FalcoErrorOutputEventsRateHigh', 'FalcoNoEvents']);
    expect(byName.FalcoWarningEventsRateHigh).toMatchObject({ expr: 'rate(falcosecurity_falcosidekick_falco_events_total{priority_raw="warning"}[5m]) > 0', for: '15m', labels: { severity: 'warning' } });
    expect(byName.FalcoErrorOutputEventsRateHigh.expr).toBe('sum by (destination) (rate(falcosecurity_falcosidekick_outputs_total{status="error"}[5m])) > 0');
    // grafana.dashboards.*: Peregrine's dashboard for the sidecar, in the folder asked for
    const dash = find(docs, 'ConfigMap', 'falcosidekick-grafana-dashboard') as Any;
    expect(dash.metadata.labels.grafana_dashboard).toBe('1');
    expect(dash.metadata.annotations.grafana_dashboard_folder).toBe('falco');
    const board = JSON.parse(dash.data['peregrine-dashboard.json']);
    const exprs = JSON.stringify(board.panels.map((p: Any) => p.targets.map((t: Any) => t.expr)));
    for (const metric of ['peregrine_queue_alerts', 'peregrine_delivered_total', 'peregrine_dropped_total', 'peregrine_dead_lettered_total', 'peregrine_output_up']) expect(exprs).toContain(metric);
    // testConnection.*: scheduling of the side-effect-free test Pod
    const test = docs.find((d) => d.metadata.annotations?.['helm.sh/hook'] === 'test') as Any;
    expect(test.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(test.spec.tolerations[0].key).toBe('dedicated');
    expect(test.spec.containers[0].env[0].value).toBe('http://peregrine.falco.svc:2810/healthz');
    // webui.* renders nothing
    expect(docs.filter((d) => /ui/.test(d.metadata.name))).toEqual([]);
  });

  it('the daemon loads what the chart made of the falcosidekick values (ConfigMap + Secret env)', () => {
    const { docs } = template('falcosidekick-values.yaml');
    const env = secretEnv(docs);
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-helm-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, (find(docs, 'ConfigMap', 'peregrine') as Any).data['config.yaml']);
    // The pod mounts the TLS Secret at /etc/certs/server; here stand-in files take its place (loading checks they exist).
    const tlsFiles: Record<string, string> = {};
    for (const key of ['CERTFILE', 'KEYFILE', 'CACERTFILE']) writeFileSync((tlsFiles[`TLSSERVER_${key}`] = join(dir, key.toLowerCase())), 'stand-in');
    const loaded = loadConfig({ plugins: outputs, file, env: { ...env, ...tlsFiles } });
    expect(loaded.enabled).toEqual(expect.arrayContaining(['webhook', 'elasticsearch', 'splunk', 'kafka', 'slack']));
    expect(loaded.config.customfields).toEqual({ environment: 'production', cluster: 'eu-west-1' });
    expect(loaded.config.webhook).toMatchObject({ customheaders: { authorization: 'Bearer conformanceWebhookSecret', 'x-source': 'falco' } });
    // The Slack webhook URL came through the Secret (SLACK_WEBHOOKURL), never the ConfigMap.
    expect(loaded.config.slack).toMatchObject({ webhookurl: 'https://hooks.slack.com/services/T000/B000/conformanceSlackSecret' });
    expect(loaded.envApplied).toContain('SLACK_WEBHOOKURL');
  });

  it('imagePullSecrets: names and {name} references both render as references', () => {
    const { ok, docs } = template(valuesFile({ imagePullSecrets: ['regcred', { name: 'other' }] }));
    expect(ok).toBe(true);
    expect((find(docs, 'Deployment') as Any).spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'other' }]);
  });

  it('renders without --kube-version (helm\'s offline default), and config.extraArgs follow -c', () => {
    const res = spawnSync(helm as string, ['template', 'peregrine', chart, '--set', 'config.extraArgs={--print-config}'], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const deploy = YAML.parseAllDocuments(res.stdout).map((d) => d.toJS() as Doc).find((d) => d?.kind === 'Deployment') as Doc;
    expect(container(deploy).args).toEqual(['-c', '/etc/peregrine/config.yaml', '--print-config']);
  });

  it('falcosidekickService: an alias Service where the Falco chart\'s falcosidekick wiring posts', () => {
    const { docs } = template(valuesFile({ falcosidekickService: { enabled: true } }));
    const alias = find(docs, 'Service', 'falco-falcosidekick') as Any;
    expect(alias.spec.ports).toEqual([{ name: 'http', port: 2801, targetPort: 'http', protocol: 'TCP' }]);
    expect(alias.spec.selector).toEqual((find(docs, 'Service', 'peregrine') as Any).spec.selector);
    expect(find(template(valuesFile({ falcosidekickService: { enabled: true, falcoRelease: 'sec' } })).docs, 'Service', 'sec-falcosidekick')).toBeDefined();
    expect(find(template('minimal-values.yaml').docs, 'Service', 'falco-falcosidekick')).toBeUndefined();
    expect(find(template('minimal-values.yaml').docs, 'ConfigMap', 'peregrine-grafana-dashboard')).toBeUndefined(); // dashboard off by default
  });

  it('rejects a bad config: with the path in the message', () => {
    for (const [file, where] of [
      ['minimumpriority.yaml', '/config/webhook/minimumpriority'],
      ['typo-key.yaml', 'minimumpriorty'],
      ['typo-section.yaml', 'webhok'],
    ] as const) {
      const { ok, stderr } = template(join(repo, 'helm/ci-invalid', file));
      expect(ok, file).toBe(false);
      expect(stderr, file).toContain(where);
    }
  });

  it('a secret map value with a comma fails with a clear message', () => {
    const { ok, stderr } = template(valuesFile({ config: { webhook: { address: 'https://x.example.com/', customheaders: { Authorization: 'Bearer a,b' } } } }));
    expect(ok).toBe(false);
    expect(stderr).toContain('WEBHOOK_CUSTOMHEADERS');
  });

  it('console: tokens to the Secret, its own Service port, an Ingress for /ui and /api/v1 only, its port in the NetworkPolicy', () => {
    const { ok, docs, stderr } = template('console-values.yaml');
    expect(stderr).toBe('');
    expect(ok).toBe(true);
    expect(secretEnv(docs)).toMatchObject({ CONSOLE_TOKEN: 'admin-token-from-values', CONSOLE_READTOKEN: 'read-token-from-values' });
    expect(configOf(docs).console).toEqual({ enabled: true, port: 8080 });
    const service = find(docs, 'Service', 'peregrine') as Any;
    expect(service.spec.ports).toContainEqual({ name: 'console', port: 8080, targetPort: 'console', protocol: 'TCP' });
    expect(container(find(docs, 'Deployment') as Doc).ports).toContainEqual({ name: 'console', containerPort: 8080, protocol: 'TCP' });
    const ingress = find(docs, 'Ingress', 'peregrine-console') as Any;
    expect(ingress.spec.rules[0].host).toBe('peregrine-console.example.com');
    expect(ingress.spec.rules[0].http.paths.map((p: Any) => [p.path, p.backend.service.port.name])).toEqual([['/ui', 'console'], ['/api/v1', 'console']]);
    // The NetworkPolicy opens the console's own port to networkPolicy.consoleFrom, and 2801 to ingressFrom only.
    const np = find(docs, 'NetworkPolicy') as Any;
    expect(np.spec.ingress.map((r: Any) => r.ports)).toEqual([[{ port: 'http', protocol: 'TCP' }], [{ port: 'console', protocol: 'TCP' }]]);
    expect(np.spec.ingress[1].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
    expect(JSON.stringify(np.spec.ingress[0].from)).not.toContain('ingress-nginx');
    // consoleFrom [] = from anywhere (no `from`), like ingressFrom [].
    const open = template(valuesFile({ config: { console: { enabled: true, token: 't', port: 8080 } }, networkPolicy: { enabled: true } }));
    expect((find(open.docs, 'NetworkPolicy') as Any).spec.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }, { ports: [{ port: 'console', protocol: 'TCP' }] }]);
    // On the ingest port when the console has none of its own; and no Ingress without the console.
    const shared = template(valuesFile({ config: { console: { enabled: true, token: 't' } }, consoleIngress: { enabled: true, host: 'c.example.com' } }));
    expect((find(shared.docs, 'Ingress', 'peregrine-console') as Any).spec.rules[0].http.paths[0].backend.service.port.name).toBe('http');
    expect((find(shared.docs, 'Service', 'peregrine') as Any).spec.ports.map((p: Any) => p.name)).toEqual(['http']);
    const sharedPolicy = template(valuesFile({ config: { console: { enabled: true, token: 't' } }, networkPolicy: { enabled: true } }));
    expect((find(sharedPolicy.docs, 'NetworkPolicy') as Any).spec.ingress.map((r: Any) => r.ports[0].port)).toEqual(['http']);
    const off = template(valuesFile({ consoleIngress: { enabled: true } }));
    expect(off.ok).toBe(false);
    expect(off.stderr).toContain('consoleIngress.enabled needs config.console.enabled');
  });
});
