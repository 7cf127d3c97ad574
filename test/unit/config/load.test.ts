import { describe, expect, it } from 'vitest';
import { deliverySettings } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load.ts';
import type { OutputSection } from '../../../src/config/schema.ts';
import { FALCOSIDEKICK_OUTPUTS } from '../../../src/config/falcosidekick-outputs.ts';
import { redactConfig } from '../../../src/config/redact.ts';
import { ConfigError } from '../../../src/errors.ts';
import { outputs } from '../../../test/support/outputs.ts';
import { configFromYaml } from '../../support/config.ts';
import { fixtureText } from '../../support/fixtures.ts';

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('config loading', () => {
  it('uses the embedded default (stdout on) when there is no file', () => {
    const loaded = loadConfig({ plugins: outputs, env: {}, cwd: '/nonexistent' });
    expect(loaded.source).toBe('embedded default');
    expect(loaded.enabled).toEqual(['stdout']);
    expect(loaded.config.listenport).toBe(2801);
    // Acknowledged means on disk: the spool is on unless a config turns it off (memory-only mode).
    expect(loaded.config.spool).toMatchObject({ enabled: true, dir: './data' });
  });

  it('loads the falcosidekick seed values unchanged', () => {
    const loaded = configFromYaml(fixtureText('config/seed.yaml'));
    expect(loaded.enabled).toContain('webhook');
    expect(loaded.config.webhook).toMatchObject({ address: 'https://your-siem.example.com/api/v1/events', method: 'POST', customheaders: { 'x-source': 'falco' } });
    expect(loaded.config.customfields).toMatchObject({ environment: 'production', cluster_name: 'us-east-1-prod' });
  });

  it('overlays env vars: SECTION_KEY, numbers, booleans, maps with ":" in values, lists', () => {
    const loaded = configFromYaml('webhook:\n  address: http://a.example/x\n', {
      WEBHOOK_ADDRESS: 'http://b.example/y',
      WEBHOOK_MINIMUMPRIORITY: 'error',
      WEBHOOK_TIMEOUTMS: '2500',
      WEBHOOK_CHECKCERT: 'false',
      WEBHOOK_RETRY_MAXATTEMPTS: '7',
      CUSTOMFIELDS: 'a:b,url:http://x:8080/p',
      CUSTOMTAGS: 'one, two',
      LISTENPORT: '3000',
    });
    expect(loaded.config.webhook).toMatchObject({ address: 'http://b.example/y', minimumpriority: 'error', timeoutms: 2500, checkcert: false, retry: { maxattempts: 7 } });
    expect(loaded.config.customfields).toEqual({ a: 'b', url: 'http://x:8080/p' });
    expect(loaded.config.customtags).toEqual(['one', 'two']);
    expect(loaded.config.listenport).toBe(3000);
    expect(loaded.envApplied).toContain('WEBHOOK_ADDRESS');
  });

  it('refuses an unknown minimumpriority instead of treating it as "all"', () => {
    const found = problems(() => configFromYaml('webhook:\n  address: http://a.example/\n  minimumpriority: urgent\n'));
    expect(found).toEqual([expect.objectContaining({ path: 'webhook.minimumpriority', env: 'WEBHOOK_MINIMUMPRIORITY' })]);
    expect(found[0]?.message).toMatch(/"urgent" is not a Falco priority; use one of Debug/);
  });

  it('lists every problem at once: bad URL, bad method, typo with suggestion, wrong type', () => {
    const found = problems(() =>
      configFromYaml('listenport: "abc"\nwebhook:\n  address: "ftp://x"\n  method: GET\n  minimumpriorty: error\ncustomfeilds:\n  a: b\n'),
    );
    const byPath = Object.fromEntries(found.map((p) => [p.path, p]));
    expect(byPath['webhook.address']?.message).toContain('http(s) URL');
    expect(byPath['webhook.method']?.message).toContain('POST or PUT');
    expect(byPath['webhook.minimumpriorty']?.message).toContain('did you mean "webhook.minimumpriority"');
    expect(byPath.customfeilds?.message).toContain('did you mean "customfields"');
    expect(byPath.listenport?.env).toBe('LISTENPORT');
  });

  it('matches keys case-insensitively and lower-cases map keys from the file, like falcosidekick\'s viper', () => {
    const loaded = configFromYaml(
      'Webhook:\n  Address: http://a.example/\n  CustomHeaders:\n    X-Source: falco\nOutputFieldFormat: ""\nCustomFields:\n  Cluster_Name: prod\n',
    );
    expect(loaded.config.webhook).toMatchObject({ address: 'http://a.example/', customheaders: { 'x-source': 'falco' } });
    expect(loaded.config.customfields).toEqual({ cluster_name: 'prod' });
  });

  it('accepts the falcosidekick chart\'s string forms: customfields, customtags, customheaders, notlspaths', () => {
    const loaded = configFromYaml(
      'customfields: "a:b,url:http://x:8080/p"\ncustomtags: "k8s, prod"\ntlsserver:\n  notlspaths: "/ping,/healthz"\nwebhook:\n  address: http://a.example/\n  customHeaders: "Authorization:Bearer t,X-A:1"\n',
    );
    expect(loaded.config.customfields).toEqual({ a: 'b', url: 'http://x:8080/p' });
    expect(loaded.config.customtags).toEqual(['k8s', 'prod']);
    expect((loaded.config.tlsserver as { notlspaths: string[] }).notlspaths).toEqual(['/ping', '/healthz']);
    expect(loaded.config.webhook).toMatchObject({ customheaders: { authorization: 'Bearer t', 'x-a': '1' } });
  });

  it('lower-cases the keys of a map from the file also where a "k:v" string is taken too (alertmanager.extralabels), as viper does; the env form keeps them', () => {
    const file = 'alertmanager:\n  hostport: http://am.example:9093\n  extralabels:\n    Team: Sec\n    cluster_Name: c1\n  extraannotations:\n    RunBook: http://rb\n';
    expect(configFromYaml(file).config.alertmanager).toMatchObject({ extralabels: { team: 'Sec', cluster_name: 'c1' }, extraannotations: { runbook: 'http://rb' } });
    const env = configFromYaml('alertmanager:\n  hostport: http://am.example:9093\n', { ALERTMANAGER_EXTRALABELS: 'Team:Sec' });
    expect(env.config.alertmanager).toMatchObject({ extralabels: { Team: 'Sec' } });
  });

  it('reads a JSON object where a "k:v" map belongs, as viper reads ELASTICSEARCH_CUSTOMHEADERS for falcosidekick (its only form there)', () => {
    const loaded = configFromYaml('elasticsearch:\n  hostport: http://es.example:9200\n', {
      ELASTICSEARCH_CUSTOMHEADERS: '{"X-Es":"1","X-Es2":"two, with a comma"}',
      CUSTOMFIELDS: '{"cluster":"prod-eu","n":3}',
    });
    expect(loaded.config.elasticsearch).toMatchObject({ customheaders: { 'x-es': '1', 'x-es2': 'two, with a comma' } });
    expect(loaded.config.customfields).toEqual({ cluster: 'prod-eu', n: '3' });
  });

  it('refuses a custom header name that is no HTTP token at load (every send failed on it, and --check-config said OK)', () => {
    const found = problems(() => configFromYaml('webhook:\n  address: http://a.example/\n', { WEBHOOK_CUSTOMHEADERS: '{"X-A":"1",bad' }));
    expect(found).toEqual([expect.objectContaining({ path: 'webhook.customheaders', env: 'WEBHOOK_CUSTOMHEADERS', message: expect.stringContaining('is not an HTTP header name') })]);
  });

  it('refuses a header value with a line break at load, naming the header and never showing the value (a secret mounted from a file ends in a newline)', () => {
    const found = problems(() => configFromYaml('webhook:\n  address: http://a.example/\n  customheaders:\n    Authorization: "Bearer s3cret-token\\n"\n'));
    expect(found).toEqual([expect.objectContaining({ path: 'webhook.customheaders', message: expect.stringMatching(/^the value of "authorization" has a character an HTTP header cannot carry/) })]);
    expect(JSON.stringify(found)).not.toContain('s3cret-token');
    const n8n = problems(() => configFromYaml('n8n:\n  address: http://n8n.example/webhook/falco\n  headerauthname: X-N8N-Auth\n  headerauthvalue: "h3ader\\r\\n"\n'));
    expect(n8n).toEqual([expect.objectContaining({ path: 'n8n.headerauthvalue', message: expect.stringContaining('has a character an HTTP header cannot carry') })]);
  });

  it('takes an empty env var as unset, as falcosidekick (viper) does: its chart passes every value, "" meaning the default', () => {
    const loaded = configFromYaml('webhook:\n  address: http://a.example/x\n  method: PUT\n', {
      WEBHOOK_ADDRESS: '',
      WEBHOOK_METHOD: '',
      WEBHOOK_CHECKCERT: '',
      LISTENPORT: '',
      OPSGENIE_REGION: '',
      AWS_S3_PREFIX: '',
      OUTPUTS__SOC__TYPE: 'webhook',
      OUTPUTS__SOC__ADDRESS: 'http://soc.example/',
      OUTPUTS__SOC__CHECKCERT: '',
    });
    expect(loaded.config.webhook).toMatchObject({ address: 'http://a.example/x', method: 'PUT', checkcert: true });
    expect(loaded.config.listenport).toBe(2801);
    expect(loaded.envApplied).not.toContain('WEBHOOK_CHECKCERT');
    expect((loaded.config as unknown as { outputs: Record<string, { checkcert: boolean }> }).outputs['soc']?.checkcert).toBe(true);
  });

  it('says what to set instead of falcosidekick\'s otlp.logs keys it does not read (extraenvvars, timeout, tls)', () => {
    const loaded = configFromYaml('otlp:\n  logs:\n    endpoint: http://collector:4318/v1/logs\n    extraenvvars:\n      OTEL_EXPORTER_OTLP_HEADERS: api-key=x\n    timeout: 5000\n    tls: true\n');
    const text = loaded.warnings.join('\n');
    expect(text).toMatch(/key "otlp\.logs\.extraenvvars" ignored: .*reads no OTEL_\* variable: set otlp\.logs\.headers/);
    expect(text).toMatch(/key "otlp\.logs\.timeout" ignored: set otlp\.timeoutms/);
    expect(text).toMatch(/key "otlp\.logs\.tls" ignored: the endpoint's scheme decides/);
  });

  it('hands OTLP_LOGS_HEADERS to the key\'s own parser: "k=v,k=v" as falcosidekick passes it to the OTel SDK', () => {
    const loaded = configFromYaml('', { OTLP_LOGS_HEADERS: 'api-key=s3cr3t,Authorization=Basic%20dXNlcjpwYXNz' });
    expect((loaded.config as unknown as { otlp: { logs: { headers: Record<string, string> } } }).otlp.logs.headers).toEqual({ 'api-key': 's3cr3t', authorization: 'Basic dXNlcjpwYXNz' });
  });

  it("reads falcosidekick's otlp.traces/otlp.metrics timeout (ms) as timeoutms, from the file or the env; names what to set instead of extraenvvars", () => {
    const loaded = configFromYaml('otlp:\n  metrics:\n    endpoint: http://otel:4318/v1/metrics\n    timeout: 1500\n    extraenvvars:\n      OTEL_METRIC_EXPORT_INTERVAL: "5000"\n  traces:\n    endpoint: http://otel:4318/v1/traces\n    timeout: 2500\n');
    expect(loaded.enabled).toEqual(['otlptraces', 'otlpmetrics']);
    const otlp = (loaded.config as unknown as { otlp: Record<string, Record<string, unknown>> }).otlp;
    expect([otlp.metrics?.timeoutms, otlp.traces?.timeoutms]).toEqual([1500, 2500]);
    expect(loaded.warnings.join('\n')).toMatch(/otlp\.metrics\.extraenvvars.*Peregrine reads no OTEL_\* variable/);
    expect(loaded.warnings.join('\n')).not.toMatch(/timeout/);
    const fromEnv = configFromYaml('', { OTLP_TRACES_ENDPOINT: 'http://otel:4318/v1/traces', OTLP_TRACES_TIMEOUT: '700' });
    expect((fromEnv.config as unknown as { otlp: { traces: { timeoutms: number } } }).otlp.traces.timeoutms).toBe(700);
    // A bad value is named where it was written, not under the key it is read as.
    expect(problems(() => configFromYaml('otlp:\n  traces:\n    endpoint: http://otel:4318/v1/traces\n    timeout: 10s\n'))).toEqual([
      expect.objectContaining({ path: 'otlp.traces.timeout', env: 'OTLP_TRACES_TIMEOUT', message: expect.stringMatching(/\(read as otlp\.traces\.timeoutms\)$/) }),
    ]);
    // With timeoutms written too, timeoutms is what was read: a problem with it is its own.
    expect(problems(() => configFromYaml('otlp:\n  traces:\n    endpoint: http://otel:4318/v1/traces\n    timeout: 1000\n    timeoutms: 10s\n'))).toEqual([
      expect.objectContaining({ path: 'otlp.traces.timeoutms', env: 'OTLP_TRACES_TIMEOUTMS' }),
    ]);
  });

  it('warns about a falcosidekick output it does not have only when falcosidekick would enable it, from the file or the env', () => {
    const loaded = configFromYaml('stan:\n  hostport: nats://nats:4222\n  clusterid: falco\n  clientid: sidekick\nloki:\n  hostport: ""\n  tenant: acme\n');
    const text = loaded.warnings.join('\n');
    expect(text).toMatch(/"stan" is a falcosidekick output that Peregrine does not have \(stan.hostport \+ stan.clusterid \+ stan.clientid set\)/);
    expect(text).not.toMatch(/loki/); // loki's hostport is empty
    // falcosidekick starts stan only with all three keys set: two are not enough for a warning.
    expect(configFromYaml('stan:\n  hostport: nats://nats:4222\n  clusterid: falco\n').warnings.join('\n')).not.toMatch(/stan/);
    const fromEnv = configFromYaml('', { STAN_HOSTPORT: 'nats://nats:4222', STAN_CLUSTERID: 'falco', STAN_CLIENTID: 'sidekick', QUICKWIT_HOSTPORT: '' });
    expect(fromEnv.warnings.join('\n')).toMatch(/"stan" .*\(STAN_HOSTPORT \+ STAN_CLUSTERID \+ STAN_CLIENTID set\)/);
    expect(fromEnv.warnings.join('\n')).not.toMatch(/quickwit/);
    // falcosidekick's chart renders policyreport.enabled: false as this env var: policyreport (an
    // output Peregrine has since round 42) stays off, without a word.
    expect(configFromYaml('', { POLICYREPORT_ENABLED: 'false' })).toMatchObject({ enabled: [] });
    expect(configFromYaml('', { POLICYREPORT_ENABLED: 'false' }).warnings.join('\n')).not.toMatch(/policyreport/);
    expect(configFromYaml('', { POLICYREPORT_ENABLED: 'true' }).enabled).toEqual(['policyreport']);
  });

  it('aws.sns.topicarn (file or AWS_SNS_TOPICARN) turns awssns on instead of warning, with rawjson from AWS_SNS_RAWJSON', () => {
    const arn = 'arn:aws:sns:us-east-1:123456789012:falco';
    const fromFile = configFromYaml(`aws:\n  sns:\n    topicarn: ${arn}\n    rawjson: true\n    minimumpriority: error\n`);
    expect(fromFile.enabled).toContain('awssns');
    expect(fromFile.warnings.join('\n')).not.toMatch(/aws\.sns/);
    expect((fromFile.config.aws as { sns: unknown }).sns).toMatchObject({ topicarn: arn, rawjson: true, minimumpriority: 'error' });
    const fromEnv = configFromYaml('', { AWS_SNS_TOPICARN: arn, AWS_SNS_RAWJSON: 'true' });
    expect(fromEnv.enabled).toContain('awssns');
    expect(fromEnv.warnings.join('\n')).not.toMatch(/aws\.sns/);
    expect((fromEnv.config.aws as { sns: unknown }).sns).toMatchObject({ topicarn: arn, rawjson: true });
  });

  it('loads a config shaped like falcosidekick\'s config_example.yaml: sections with every key commented out are null, empty keys, no false warnings', () => {
    // Built here rather than copied: every falcosidekick section present, as its example file has them —
    // most with every key commented out (YAML null), some with their keys present and empty.
    const sections = [...new Set(FALCOSIDEKICK_OUTPUTS.map((o) => o.name.split('.')[0] as string))];
    const yaml = [
      'debug: false',
      'customfields:\n  Akey: "AValue"',
      'templatedfields:\n  # Dkey: \'{{ or (index . "k8s.ns.labels.foo") "bar" }}\'',
      'customtags:\n  - tagA',
      'tlsserver:\n  deploy: false\n  notlspaths:\n  #  - "/ping"',
      ...sections.map((name, i) => (i % 2 === 0 ? `${name}:\n  # hostport: ""` : `${name}:\n  minimumpriority: ""`)),
    ].join('\n');
    const loaded = configFromYaml(yaml);
    expect(loaded.warnings.filter((w) => w.includes('falcosidekick output'))).toEqual([]);
    expect(loaded.config.webhook).toMatchObject({ address: '' });
    expect(loaded.config.customfields).toEqual({ akey: 'AValue' });
  });

  it('maps falcosidekick\'s maxconcurrentrequests onto maxconcurrency (webhook, splunk, elasticsearch), 0 = unlimited', () => {
    const loaded = configFromYaml(
      'webhook:\n  address: http://a.example/\n  maxconcurrentrequests: 3\nsplunk:\n  host: http://s.example:8088/services/collector/event\n  token: t\n  maxconcurrentrequests: 0\nelasticsearch:\n  hostport: http://e.example:9200\n  maxconcurrentrequests: 5\n  maxconcurrency: 7\n',
    );
    const settings = (name: string) => {
      const plugin = outputs.find((p) => p.name === name) as (typeof outputs)[number];
      return deliverySettings(loaded.config[name] as OutputSection, plugin).maxconcurrency;
    };
    expect([settings('webhook'), settings('splunk'), settings('elasticsearch')]).toEqual([3, 256, 7]);
  });

  it('reads kafka.hostport without a port as :9092, as falcosidekick does', () => {
    const loaded = configFromYaml('kafka:\n  hostport: kafka-0,kafka-1:9093\n  topic: falco\n');
    expect((loaded.config.kafka as { hostport: string }).hostport).toBe('kafka-0:9092,kafka-1:9093');
  });

  it('reads CUSTOMFIELDS="k:%VAR" from the env var VAR, and refuses an unset VAR', () => {
    const loaded = configFromYaml('', { CUSTOMFIELDS: 'node:%NODE_NAME,env:prod', NODE_NAME: 'worker-3' });
    expect(loaded.config.customfields).toEqual({ node: 'worker-3', env: 'prod' });
    const found = problems(() => configFromYaml('', { CUSTOMFIELDS: 'node:%NODE_NAME' }));
    expect(found).toEqual([expect.objectContaining({ path: 'customfields.node', env: 'CUSTOMFIELDS' })]);
    expect(found[0]?.message).toMatch(/NODE_NAME is unset or empty/);
  });

  it('names a template that does not compile', () => {
    const found = problems(() => configFromYaml('templatedfields:\n  score: "{{ if eq .Priority }}"\n'));
    expect(found[0]?.path).toBe('templatedfields.score');
  });

  it('reports YAML syntax errors with the file', () => {
    const found = problems(() => configFromYaml('webhook:\n  address: [\n'));
    expect(found[0]?.message).toMatch(/peregrine\.yaml/);
  });

  it('redacts secrets: marked fields, secret-looking header names and URL passwords', () => {
    const loaded = configFromYaml(
      'ingest:\n  token: s3cret-token\nwebhook:\n  address: "https://user:hunter2@siem.example/x"\n  customheaders:\n    Authorization: Bearer abc\n    X-Source: falco\n',
    );
    const printed = JSON.stringify(redactConfig(loaded.schema, loaded.config));
    expect(printed).not.toMatch(/s3cret-token|hunter2|Bearer abc/);
    expect(printed).toContain('"customheaders":"***"'); // secret as a whole, whatever the header names
    expect(printed).toContain('https://user:***@siem.example/x');
  });
});
