// The Helm chart's templates, rendered by the real `helm template` and checked as YAML (helm-unittest
// is a Helm plugin fetched from GitHub: not obtainable here). Without helm this suite is skipped
// with a loud message locally; under CI=true it installs helm through helm/ci.sh instead, never skips.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { outputs } from '../../outputs/index.ts';
import { loadConfig } from '../../src/config/load.ts';
import { metaTemplate, valuesSchema } from '../../scripts/gen-helm-schema.ts';

const repo = join(import.meta.dirname, '../..');
// PEREGRINE_CHART: try a scratch copy of the chart (helm/ci.sh passes it through).
const chart = process.env.PEREGRINE_CHART ?? join(repo, 'helm/peregrine');
const CI = process.env.CI === 'true';

function findHelm(): string | undefined {
  const candidates = [process.env.HELM, join(homedir(), 'go/bin/helm')];
  const onPath = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) candidates.unshift(onPath);
  return candidates.find((c): c is string => !!c && existsSync(c));
}

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

function valuesFile(values: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-helm-'));
  const file = join(dir, 'values.yaml');
  writeFileSync(file, YAML.stringify(values));
  return file;
}

const find = (docs: Doc[], kind: string, name?: string) => docs.find((d) => d.kind === kind && (name === undefined || d.metadata.name === name));
const container = (workload: Doc): Any => (workload as Any).spec.template.spec.containers[0];
const configOf = (docs: Doc[]): Any => YAML.parse((find(docs, 'ConfigMap') as Any).data['config.yaml']);
const secretEnv = (docs: Doc[]): Record<string, string> => {
  const secret = find(docs, 'Secret') as Any;
  if (!secret) return {};
  return Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
};
const seed = () => YAML.parse(readFileSync(join(repo, 'test/fixtures/config/seed.yaml'), 'utf8'));

describe.skipIf(!helm && !CI)('helm chart (helm template)', () => {
  beforeAll(() => {
    if (helm) return;
    // CI=true and no helm yet (.ci/run runs the unit tests before helm/ci.sh): install it the same way.
    execFileSync('bash', [join(repo, 'helm/ci.sh'), '--install-only'], { stdio: 'inherit' });
    helm = findHelm();
    if (!helm) throw new Error('helm/ci.sh --install-only did not install helm');
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
    expect(test.spec.containers[0].env[0].value).toBe('http://peregrine.falco.svc:2801/test');
  });

  it('release names: <release>-peregrine, or the release name when it already says peregrine', () => {
    const res = spawnSync(helm as string, ['template', 'falco', chart, '--kube-version', '1.30.0'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(YAML.parseAllDocuments(res.stdout).map((d) => (d.toJS() as Doc | null)?.metadata?.name)).toContain('falco-peregrine');
  });

  it('the seed falcosidekick config: secrets go to the Secret as SECTION_KEY env vars and the daemon sees the same config', () => {
    const values = YAML.parse(readFileSync(join(chart, 'ci/all-outputs-values.yaml'), 'utf8'));
    expect(values.config).toEqual(seed());
    const { ok, docs, stderr } = template('all-outputs-values.yaml');
    expect(stderr).toBe('');
    expect(ok).toBe(true);
    const env = secretEnv(docs);
    expect(env).toEqual({
      ELASTICSEARCH_PASSWORD: 'changeme',
      SPLUNK_TOKEN: 'your-hec-token',
      KAFKA_PASSWORD: 'password',
      WEBHOOK_CUSTOMHEADERS: 'Authorization:Bearer your-api-token,X-Source:falco',
    });
    const text = (find(docs, 'ConfigMap') as Any).data['config.yaml'] as string;
    for (const secret of Object.values(env)) expect(text).not.toContain(secret.split(',')[0]?.split(':').pop());
    expect(text).not.toMatch(/password|token:|Authorization/);
    const c = container(find(docs, 'Deployment') as Doc);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'peregrine' } }]);

    // What the daemon loads from the ConfigMap + the Secret's env equals the pasted config.
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-helm-'));
    writeFileSync(join(dir, 'cm.yaml'), text);
    writeFileSync(join(dir, 'seed.yaml'), YAML.stringify(seed()));
    const fromChart = loadConfig({ plugins: outputs, file: join(dir, 'cm.yaml'), env });
    const direct = loadConfig({ plugins: outputs, file: join(dir, 'seed.yaml'), env: {} });
    expect(fromChart.config).toEqual(direct.config);
    expect(fromChart.enabled).toEqual(direct.enabled);
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
    expect(expr.PeregrineQueueNearFull).toContain('peregrine_queue_alerts');
    expect(expr.PeregrineQueueNearFull).toContain('> 80000');
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
    const rules = (find(docs, 'PrometheusRule') as Any).spec.groups[0].rules as Any[];
    const nearFull = String(rules.find((r) => r.alert === 'PeregrineQueueNearFull').expr);
    expect(nearFull).toContain('output="splunk"}) > 400000');
    expect(nearFull).toContain('output!~"splunk"');
  });

  it('existingSecret: envFrom it, no generated Secret; TLS ingest moves probes to notlsport', () => {
    const { ok, docs } = template('existing-secret-values.yaml');
    expect(ok).toBe(true);
    expect(find(docs, 'Secret')).toBeUndefined();
    const c = container(find(docs, 'Deployment') as Doc);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'peregrine-env' } }]);
    expect(c.env).toContainEqual({ name: 'LOGLEVEL', value: 'debug' });
    expect(c.ports.map((p: Any) => p.name)).toEqual(['http', 'status']);
    expect(c.readinessProbe.httpGet.port).toBe('status');
    const test = docs.find((d) => d.metadata.annotations?.['helm.sh/hook'] === 'test') as Any;
    expect(test.spec.containers[0].env).toContainEqual({
      name: 'INGEST_TOKEN',
      valueFrom: { secretKeyRef: { name: 'peregrine-env', key: 'INGEST_TOKEN', optional: true } },
    });
  });

  it('a config change changes checksum/config (pods roll)', () => {
    const a = template('minimal-values.yaml').docs;
    const b = template(valuesFile({ config: { webhook: { address: 'https://other.example.com/', minimumpriority: 'notice' } } })).docs;
    const sum = (docs: Doc[]) => (find(docs, 'Deployment') as Any).spec.template.metadata.annotations['checksum/config'];
    expect(sum(a)).not.toBe(sum(b));
  });

  it('falcosidekick spellings: keys in any case, unsupported output sections accepted', () => {
    const { ok, docs, stderr } = template(
      valuesFile({ config: { outputFieldFormat: '', Webhook: { Address: 'https://x.example.com/', Password: 's3cret' }, mattermost: { webhookurl: 'https://mattermost.example.com/hooks/x', token: 'xoxb' } } }),
    );
    expect(stderr).toBe('');
    expect(ok).toBe(true);
    expect(secretEnv(docs)).toEqual({ WEBHOOK_PASSWORD: 's3cret', MATTERMOST_TOKEN: 'xoxb' });
  });

  it('chat webhook URLs (credentials) go to the Secret, not the ConfigMap', () => {
    const { ok, docs } = template(
      valuesFile({ config: { slack: { webhookurl: 'https://hooks.slack.com/services/T0/B0/zzz' }, teams: { webhookurl: 'https://flow.example.com/x?sig=abc' } } }),
    );
    expect(ok).toBe(true);
    expect(secretEnv(docs)).toEqual({ SLACK_WEBHOOKURL: 'https://hooks.slack.com/services/T0/B0/zzz', TEAMS_WEBHOOKURL: 'https://flow.example.com/x?sig=abc' });
    expect(JSON.stringify(find(docs, 'ConfigMap'))).not.toMatch(/zzz|sig=abc/);
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

  it('console: tokens to the Secret, its own Service port, an Ingress for /ui and /api/v1 only', () => {
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
    // On the ingest port when the console has none of its own; and no Ingress without the console.
    const shared = template(valuesFile({ config: { console: { enabled: true, token: 't' } }, consoleIngress: { enabled: true, host: 'c.example.com' } }));
    expect((find(shared.docs, 'Ingress', 'peregrine-console') as Any).spec.rules[0].http.paths[0].backend.service.port.name).toBe('http');
    expect((find(shared.docs, 'Service', 'peregrine') as Any).spec.ports.map((p: Any) => p.name)).toEqual(['http']);
    const off = template(valuesFile({ consoleIngress: { enabled: true } }));
    expect(off.ok).toBe(false);
    expect(off.stderr).toContain('consoleIngress.enabled needs config.console.enabled');
  });
});
