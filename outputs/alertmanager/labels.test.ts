import { describe, expect, it } from 'vitest';
import { LABEL_NAME, parseThresholds } from './options.ts';
import { alertmanagerSchema } from './options.ts';
import { safeLabelName } from './labels.ts';

describe('alertmanager label names', () => {
  it.each([
    ['k8s.ns.name', 'k8s_ns_name'],
    ['proc.aname[2]', 'proc_aname_2'],
    ['container.image.repository', 'container_image_repository'],
    ['evt.arg[0]', 'evt_arg_0'],
    ['ka.req.pod.containers.image', 'ka_req_pod_containers_image'],
    ['k8s.ns.labels.team', 'k8s_ns_labels_team'],
    ['__internal', 'internal'], // leading _ trimmed, as falcosidekick does
    ['a..b', 'a_b'], // "__" collapses once
    ['a...b', 'a__b'], // "___" → "__": falcosidekick's single ReplaceAll pass, kept so routes match
    ['ümlaut.fëld', 'mlaut_f_ld'],
    ['1st.field', '_1st_field'], // falcosidekick would send "1st_field", which classic Alertmanager refuses
    ['[]', undefined], // nothing left: the field is skipped
    ['...', undefined],
  ])('%s → %s', (field, name) => {
    expect(safeLabelName(field)).toBe(name);
    if (name !== undefined) expect(name).toMatch(LABEL_NAME);
  });
});

describe('alertmanager options', () => {
  it('hostport: a comma-separated string or a list, trailing slashes dropped', () => {
    expect(alertmanagerSchema.parse({ hostport: 'http://a:9093/, http://b:9093' }).hostport).toEqual(['http://a:9093', 'http://b:9093']);
    expect(alertmanagerSchema.parse({ hostport: ['http://a:9093'] }).hostport).toEqual(['http://a:9093']);
    expect(alertmanagerSchema.safeParse({ hostport: 'am:9093' }).success).toBe(false);
  });

  it('invalid extralabels names, unknown priorities and bad thresholds are load errors with their path', () => {
    const r = alertmanagerSchema.safeParse({ extralabels: { 'bad-name': 'x' }, customseveritymap: { urgent: 'x' }, dropeventdefaultpriority: 'nope', dropeventthresholds: '10:critical, x:warning' });
    expect(r.success).toBe(false);
    const issues = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues).toEqual([
      'extralabels.bad-name: label name "bad-name" is not valid: use [a-zA-Z_][a-zA-Z0-9_]*',
      'customseveritymap.urgent: "urgent" is not a Falco priority (Debug, Informational, Notice, Warning, Error, Critical, Alert, Emergency, Info)',
      'dropeventdefaultpriority: dropeventdefaultpriority "nope" is not a Falco priority (Debug, Informational, Notice, Warning, Error, Critical, Alert, Emergency, Info)',
      'dropeventthresholds: threshold "x:warning" must be <count>:<priority>, e.g. 100:critical',
    ]);
  });

  it('thresholds are sorted highest first; the default is falcosidekick\'s documented one', () => {
    expect(parseThresholds('1:warning, 10000:critical,100:error', () => {})).toEqual([
      { value: 10000, priority: 'Critical' },
      { value: 100, priority: 'Error' },
      { value: 1, priority: 'Warning' },
    ]);
    expect(alertmanagerSchema.parse({}).dropeventthresholds.map((t) => `${t.value}:${t.priority}`)).toEqual(['10000:Critical', '1000:Critical', '100:Critical', '10:Warning', '1:Warning']);
  });
});
