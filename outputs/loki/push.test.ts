// Loki push bodies: falcosidekick's labels made safe, one stream per label set, exact ns times.
import { describe, expect, it } from 'vitest';
import { serializeAlert, thawAlert } from '../../src/alert/serialize.ts';
import { PRIORITIES } from '../../src/alert/priority.ts';
import { distinctAlert, falcoAlertJson } from '../../test/support/alerts.ts';
import { labelName, labelPlan, labelValue, MAX_VALUE_BYTES, streamLabels } from './labels.ts';
import { pushBody } from './push.ts';

const noEnrichment = { customfields: [], templatedfields: [] };
const plan = labelPlan(noEnrichment, [], []);
const FIXTURE_LABELS = {
  hostname: 'node-1',
  k8s_ns_name: 'default',
  k8s_pod_name: 'web-7d9',
  rule: 'Terminal shell in container',
  source: 'syscall',
  tags: 'T1059,container,mitre_execution,shell',
};

describe('loki push body', () => {
  it.each(PRIORITIES.map((p) => [p]))('%s: one stream, falcosidekick\'s labels, the alert time in exact ns, the output line', (priority) => {
    const alert = thawAlert(falcoAlertJson(0, priority));
    expect(JSON.parse(pushBody([alert], plan, 'text'))).toEqual({
      streams: [{ stream: { ...FIXTURE_LABELS, priority }, values: [['1795170096167531875', alert.output]] }],
    });
  });

  it('format json: the line is the alert JSON with output_fields integers above 2^53 exact', () => {
    const alert = thawAlert(falcoAlertJson(7));
    const body = pushBody([alert], plan, 'json');
    expect(body).toContain('"evt.time\\":1700000000167531882,');
    const line = (JSON.parse(body) as { streams: { values: string[][] }[] }).streams[0]?.values[0]?.[1];
    expect(line).toBe(serializeAlert(alert)); // the bytes every other output sends
  });

  it('groups a batch into one stream per label set; entries oldest first within a stream, ties in batch order', () => {
    const a = thawAlert(distinctAlert('m', 2, 'Critical').json);
    const b = thawAlert(distinctAlert('m', 1, 'Warning').json);
    const c = thawAlert(distinctAlert('m', 0, 'Critical').json);
    const d = thawAlert(distinctAlert('m', 0, 'Critical').json.replace('"uuid":"m-0"', '"uuid":"m-0b"').replace('Notice A shell', 'Notice B shell'));
    const body = JSON.parse(pushBody([a, b, c, d], plan, 'text')) as { streams: { stream: Record<string, string>; values: string[][] }[] };
    expect(body.streams.map((s) => s.stream.priority)).toEqual(['Critical', 'Warning']);
    expect(body.streams[0]?.values.map(([ts]) => ts)).toEqual(['1795170096167531875', '1795170096167531875', '1795170096169531877']);
    expect(body.streams[0]?.values[1]?.[1]).toContain('Notice B shell');
    expect(body.streams[1]?.values).toEqual([['1795170096168531876', b.output]]);
  });

  it('customfields, templatedfields and extralabels become labels when their value is a string; droplabels removes any', () => {
    const alert = thawAlert(
      falcoAlertJson(0).replace('"user.name":"root"', '"user.name":"root","env":"prod","score":"7","team.name[0]-x":"sec\\"ops","proc.pid":4242,"k8s.pod.name2":null'),
    );
    const p = labelPlan({ customfields: ['env', 'team.name[0]-x'], templatedfields: ['score'] }, ['user.name', 'proc.pid', 'k8s.pod.name2'], ['k8s_pod_name', 'tags']);
    expect(streamLabels(alert, p)).toEqual({
      rule: 'Terminal shell in container',
      source: 'syscall',
      priority: 'Notice',
      k8s_ns_name: 'default',
      env: 'prod',
      team_name0_x: 'secops', // '"' removed as falcosidekick does
      score: '7',
      user_name: 'root',
      hostname: 'node-1',
      // proc.pid is a number and k8s.pod.name2 null: no label (falcosidekick labels strings only)
    });
  });

  it('tags are sorted and joined; no hostname, no tags, no k8s fields -> no such labels', () => {
    const alert = thawAlert('{"output":"x","priority":"Debug","rule":"R","time":"2026-01-01T00:00:00Z","output_fields":{"a":1},"source":"k8s_audit","tags":["b","a"]}');
    expect(streamLabels(alert, plan)).toEqual({ rule: 'R', source: 'k8s_audit', priority: 'Debug', tags: 'a,b' });
    expect(pushBody([alert], plan, 'text')).toBe('{"streams":[{"stream":{"priority":"Debug","rule":"R","source":"k8s_audit","tags":"a,b"},"values":[["1767225600000000000","x"]]}]}');
  });
});

describe('label names and values', () => {
  it.each([
    ['k8s.ns.name', 'k8s_ns_name'],
    ['proc.aname[2]', 'proc_aname2'],
    ['container.label.io-k8s/app', 'container_label_io_k8s_app'],
    ['1st', '_1st'],
    ['ünïcode', '_n_code'],
  ])('%s -> %s', (key, name) => {
    expect(labelName(key)).toBe(name);
    expect(name).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
  });

  it(`cuts values at ${MAX_VALUE_BYTES} bytes of UTF-8, never inside a character`, () => {
    expect(labelValue('a'.repeat(MAX_VALUE_BYTES))).toHaveLength(MAX_VALUE_BYTES);
    expect(labelValue('a'.repeat(MAX_VALUE_BYTES + 1))).toHaveLength(MAX_VALUE_BYTES);
    const euros = labelValue('€'.repeat(1000)); // 3 bytes each: 682 fit in 2048
    expect(euros).toBe('€'.repeat(682));
    expect(Buffer.byteLength(euros)).toBeLessThanOrEqual(MAX_VALUE_BYTES);
  });
});
