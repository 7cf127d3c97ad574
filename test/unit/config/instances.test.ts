import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert } from '../../../src/alert/alert.ts';
import { instancesOrThrow, type OutputInstance } from '../../../src/config/instances.ts';
import { redactConfig } from '../../../src/config/redact.ts';
import { ConfigError, type ConfigProblem } from '../../../src/errors.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.ts';
import type { AnyOutputPlugin } from '../../../src/plugin/types.ts';
import { outputs } from '../../../test/support/outputs.ts';
import webhook from '../../../outputs/webhook/index.ts';
import { configFromYaml } from '../../support/config.ts';

function problems(yaml: string, env: NodeJS.ProcessEnv = {}): ConfigProblem[] {
  try {
    configFromYaml(yaml, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

function instances(yaml: string, env: NodeJS.ProcessEnv = {}): Map<string, OutputInstance> {
  const loaded = configFromYaml(yaml, env);
  const list = instancesOrThrow(loaded.config, outputs);
  expect(loaded.enabled).toEqual(list.map((i) => i.name));
  return new Map(list.map((i) => [i.name, i]));
}

const alert = (priority: string, fields: Record<string, unknown> = {}) =>
  freezeAlert(toAlert({ priority, rule: 'Terminal shell in container', time: '2026-11-20T10:21:36Z', output_fields: { 'k8s.ns.name': 'team-a-web', ...fields } }, () => 'id-1'));

const PAGER = `outputs:
  soc-pager:
    type: webhook
    address: https://pager.example.com/hook
    minimumpriority: warning
    match:
      priority: ">=critical"
      rule: ["Terminal shell in container", "/^Drop and execute/"]
    queue: {maxalerts: 500}
    retry: {maxattempts: 3}
    timeoutms: 2000
    customfields: {channel: "#pager"}
  team-a-splunk:
    type: splunk
    hostport: https://splunk-a.example.com:8088
    token: team-a-token
    index: team-a
    match: {fields: {k8s.ns.name: ["team-a-*"]}}
    batch: {maxevents: 50}
  audit:
    type: stdout
`;

describe('named output instances', () => {
  it('resolve beside the falcosidekick sections, each with its own core settings, filter and overlay', () => {
    const all = instances(`webhook:\n  address: https://siem.example.com/x\n${PAGER}`);
    expect([...all.keys()]).toEqual(['webhook', 'soc-pager', 'team-a-splunk', 'audit']);
    const pager = all.get('soc-pager') as OutputInstance;
    expect(pager.plugin.name).toBe('webhook');
    expect(pager.path).toEqual(['outputs', 'soc-pager']);
    expect(pager.options).toMatchObject({ queue: { maxalerts: 500 }, retry: { maxattempts: 3 }, timeoutms: 2000, method: 'POST' });
    expect(all.get('team-a-splunk')?.options).toMatchObject({ index: 'team-a', batch: { maxevents: 50 } });
    expect(all.get('audit')?.plugin.name).toBe('stdout'); // listed = on
    expect(all.get('webhook')?.overlay).toBeUndefined();
    expect(all.get('team-a-splunk')?.overlay).toBeUndefined();

    expect(pager.filter.explain(alert('Warning'))).toBe('priority Warning is below >=critical');
    expect(pager.filter.explain(alert('Notice'))).toBe('minimumpriority: Notice is below Warning');
    expect(pager.filter.test(alert('Critical'))).toBe(true);
    expect(all.get('team-a-splunk')?.filter.test(alert('Debug'))).toBe(true);
    expect(all.get('team-a-splunk')?.filter.explain(alert('Debug', { 'k8s.ns.name': 'team-b' }))).toBe('field k8s.ns.name "team-b" matches none of ["team-a-*"]');
  });

  it('an overlay derives a frozen per-instance alert and leaves the shared one alone', () => {
    const pager = instances(`customfields: {cluster: prod}\n${PAGER}`).get('soc-pager') as OutputInstance;
    const shared = alert('Critical', { cluster: 'prod' });
    const mine = pager.overlay?.(shared);
    expect(mine?.output_fields).toEqual({ ...shared.output_fields, channel: '#pager' });
    expect(Object.isFrozen(mine)).toBe(true);
    expect(Object.isFrozen(mine?.output_fields)).toBe(true);
    expect(shared.output_fields).not.toHaveProperty('channel');
  });

  it('templatedfields of an instance see the global fields', () => {
    const yaml = 'outputs:\n  a:\n    type: stdout\n    templatedfields:\n      index: \'falco-{{lookup output_fields "k8s.ns.name"}}\'\n';
    const a = instances(yaml).get('a') as OutputInstance;
    expect(a.overlay?.(alert('Notice')).output_fields.index).toBe('falco-team-a-web');
  });

  it('sections accept match too', () => {
    const all = instances('webhook:\n  address: https://siem.example.com/x\n  match: {not: {priority: debug}}\n');
    expect(all.get('webhook')?.filter.explain(alert('Debug'))).toBe('not: priority Debug matches debug');
  });

  it('elasticsearch instances use type for the output type (its ignored legacy key)', () => {
    const all = instances('outputs:\n  es-b:\n    type: elasticsearch\n    hostport: https://es.example.com:9200\n');
    expect(all.get('es-b')?.plugin.name).toBe('elasticsearch');
  });

  it('refuses bad names, taken names, unknown and missing types', () => {
    expect(problems('outputs:\n  Soc_Pager:\n    type: stdout\n')).toEqual([
      expect.objectContaining({ path: 'outputs.soc_pager', message: expect.stringMatching(/^invalid output name "soc_pager": a name is 1-63 lower-case letters/) }),
    ]);
    expect(problems('outputs:\n  pager-:\n    type: stdout\n')[0]?.path).toBe('outputs.pager-');
    expect(problems('webhook:\n  address: https://a.example/x\noutputs:\n  webhook:\n    type: stdout\n')).toEqual([
      {
        path: 'outputs.webhook',
        message: 'the output name "webhook" is taken by the webhook: section, which is also set; rename outputs.webhook or remove the webhook: section',
      },
    ]);
    // A section that is not set leaves its name free.
    expect(instances('outputs:\n  webhook:\n    type: stdout\n').get('webhook')?.plugin.name).toBe('stdout');
    const known = outputs.map((p) => p.name).join(', ');
    expect(problems('outputs:\n  x:\n    type: stan\n    hostport: nats://nats:4222\n')).toEqual([
      { path: 'outputs.x.type', env: 'OUTPUTS__X__TYPE', message: `unknown output type "stan"; known types: ${known}` },
    ]);
    expect(problems('outputs:\n  x:\n    address: https://a.example/x\n')[0]).toMatchObject({ path: 'outputs.x.type', message: `missing type: set it to one of ${known}` });
  });

  it('an instance whose address key is not set is an error naming the key', () => {
    expect(problems('outputs:\n  hook:\n    type: webhook\n')).toEqual([
      { path: 'outputs.hook.address', env: 'OUTPUTS__HOOK__ADDRESS', message: 'a webhook output needs address; address is not set' },
    ]);
    expect(problems('outputs:\n  k:\n    type: kafka\n    hostport: localhost:9092\n')).toEqual([
      { path: 'outputs.k.topic', env: 'OUTPUTS__K__TOPIC', message: 'kafka.hostport is set but kafka.topic is empty: set the topic to produce to (or unset hostport to leave Kafka off)' },
    ]);
  });

  it('reports typos, plugin validate() problems and match problems with the path and env var', () => {
    const found = problems('outputs:\n  soc-pager:\n    type: webhook\n    adress: https://a.example/x\n    address: https://a.example/x\n    match: {priority: "=>critical"}\n');
    const byPath = Object.fromEntries(found.map((p) => [p.path, p]));
    expect(byPath['outputs.soc-pager.adress']?.message).toBe('unknown key; did you mean "outputs.soc-pager.address"?');
    expect(byPath['outputs.soc-pager.match.priority']).toEqual({
      path: 'outputs.soc-pager.match.priority',
      env: 'OUTPUTS__SOC_PAGER__MATCH',
      message: 'unknown operator "=>" in "=>critical"; use one of >= > <= < = == !=, or a range notice..error',
    });
  });

  it('runs the plugin\'s validate() hook for each named instance', () => {
    const strict = { ...webhook, validate: (o: { address: string }) => (o.address.includes('bad') ? [{ path: 'address', message: 'no bad hosts' }] : []) };
    const dir = mkdtempSync(join(tmpdir(), 'peregrine-instances-'));
    writeFileSync(join(dir, 'p.yaml'), 'outputs:\n  one:\n    type: webhook\n    address: https://bad.example/x\n  two:\n    type: webhook\n    address: https://good.example/x\n');
    const plugins = [strict as AnyOutputPlugin];
    expect(() => loadConfig({ file: join(dir, 'p.yaml'), env: {}, plugins })).toThrow(/outputs\.one\.address: no bad hosts \(env OUTPUTS__ONE__ADDRESS\)/);
  });

  it('a template of an overlay that does not compile is named by its path', () => {
    const found = problems('outputs:\n  a:\n    type: stdout\n    templatedfields:\n      score: "{{ if eq .Priority }}"\n');
    expect(found[0]?.path).toBe('outputs.a.templatedfields.score');
  });
});

describe('named instances from the environment', () => {
  it('OUTPUTS__<NAME>__<KEY> sets keys of an instance in the file, "-" written "_"', () => {
    const all = instances(PAGER, {
      OUTPUTS__SOC_PAGER__ADDRESS: 'https://pager-2.example.com/hook',
      OUTPUTS__SOC_PAGER__RETRY_MAXATTEMPTS: '9',
      OUTPUTS__SOC_PAGER__MATCH: '{priority: ">=error"}',
      OUTPUTS__SOC_PAGER__CUSTOMHEADERS: 'Authorization:Bearer x',
      'OUTPUTS__team-a-splunk__TOKEN': 'from-env',
    });
    expect(all.get('soc-pager')?.options).toMatchObject({
      address: 'https://pager-2.example.com/hook',
      retry: { maxattempts: 9 },
      match: { priority: '>=error' },
      customheaders: { authorization: 'Bearer x' },
      queue: { maxalerts: 500 },
    });
    expect(all.get('team-a-splunk')?.options.token).toBe('from-env');
  });

  it('an instance can come from the environment alone, given its TYPE', () => {
    const all = instances('', { OUTPUTS__OPS_HOOK__TYPE: 'webhook', OUTPUTS__OPS_HOOK__ADDRESS: 'https://ops.example.com/x', OUTPUTS__OPS_HOOK__MINIMUMPRIORITY: 'error' });
    expect(all.get('ops-hook')?.options).toMatchObject({ type: 'webhook', address: 'https://ops.example.com/x', minimumpriority: 'error' });
  });

  it('refuses variables without a type, with an unknown key, or of the wrong form', () => {
    expect(problems('', { OUTPUTS__X__ADDRESS: 'https://a.example/' })).toEqual([
      { path: 'outputs.x.type', env: 'OUTPUTS__X__TYPE', message: `OUTPUTS__X__ADDRESS set but outputs.x has no type; known types: ${outputs.map((p) => p.name).join(', ')}` },
    ]);
    expect(problems(PAGER, { OUTPUTS__SOC_PAGER__ADRESS: 'x' })).toEqual([
      { path: 'outputs.soc-pager', env: 'OUTPUTS__SOC_PAGER__ADRESS', message: 'OUTPUTS__SOC_PAGER__ADRESS: a webhook output has no key adress' },
    ]);
    expect(problems(PAGER, { OUTPUTS_SOC_PAGER_ADDRESS: 'x', OUTPUTS__SOC__: 'x' })).toEqual([
      expect.objectContaining({ env: 'OUTPUTS__SOC__', message: expect.stringMatching(/is not of the form OUTPUTS__<NAME>__<KEY>/) }),
    ]);
  });
});

describe('print-config of named instances', () => {
  it('redacts each instance by its type\'s secret keys', () => {
    const loaded = configFromYaml(PAGER);
    const printed = JSON.stringify(redactConfig(loaded.schema, loaded.config));
    expect(printed).not.toContain('team-a-token');
    expect(printed).toContain('"token":"***"');
    expect(printed).toContain('"#pager"');
  });
});
