import { describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { fixtureText } from '../../test/support/fixtures.ts';
import { appendResults, goText, namespaceOf, policyResult, reportable, summary, type PolicyResult } from './result.ts';

const alert = (json: string) => toAlert(parseJson(json) as AlertInput, () => 'id');
const FIXTURE = alert(fixtureText('alerts/falco-shell.json'));

describe('policyreport result', () => {
  it('the fixture alert: the result falcosidekick 2.34.1 sent (captured), byte for byte but the timestamp\'s seconds (Unix time here)', () => {
    // falcosidekick's body had "seconds":36 (time.Second(): the second of the minute) and "\u003cnil\u003e" for "<nil>" (Go's HTML escaping; the same JSON string).
    const captured =
      '{"source":"Falco","policy":"syscall","rule":"Terminal shell in container","category":"SI - System and Information Integrity","severity":"low","timestamp":{"seconds":1795170096,"nanos":167531875},"result":"skip","resources":[{"kind":"Pod","namespace":"default","name":"web-7d9","apiVersion":"v1"}],"message":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)","properties":{"container.id":"1f0a2e5c8d3b","evt.time":"1700000000167531875","k8s.ns.name":"default","k8s.pod.name":"web-7d9","proc.aname[2]":"<nil>","proc.cmdline":"sh -c id","user.name":"root"}}';
    expect(JSON.stringify(policyResult(FIXTURE, namespaceOf(FIXTURE)))).toBe(captured);
  });

  it('a namespace that does not exist: the subject names the fallback namespace; a Warning is medium/warn; true and null as Go prints them', () => {
    const a = alert('{"output":"o2","output_fields":{"k8s.ns.name":"gone","k8s.pod.name":"p2","b":true,"z":null},"priority":"Warning","rule":"r2","time":"2026-11-20T10:21:07.5Z","tags":["a"]}');
    expect(JSON.stringify(policyResult(a, 'prod'))).toBe(
      '{"source":"Falco","policy":"syscalls","rule":"r2","category":"SI - System and Information Integrity","severity":"medium","timestamp":{"seconds":1795170067,"nanos":500000000},"result":"warn","resources":[{"kind":"Pod","namespace":"prod","name":"p2","apiVersion":"v1"}],"message":"o2","properties":{"b":"true","k8s.ns.name":"gone","k8s.pod.name":"p2","z":"<nil>"}}',
    );
  });

  it('no namespace: no resources (the ClusterPolicyReport\'s result); Critical is critical/fail', () => {
    const a = alert('{"output":"o3","output_fields":{"proc.name":"sh"},"priority":"Critical","rule":"r3","time":"2026-11-20T10:21:37.000000001Z"}');
    expect(namespaceOf(a)).toBe('');
    expect(JSON.stringify(policyResult(a, ''))).toBe(
      '{"source":"Falco","policy":"syscalls","rule":"r3","category":"SI - System and Information Integrity","severity":"critical","timestamp":{"seconds":1795170097,"nanos":1},"result":"fail","message":"o3","properties":{"proc.name":"sh"}}',
    );
  });

  it('k8saudit: ka.target.namespace and the resource\'s kind; an unknown resource has no kind or apiVersion; ka.resp.name when there is no ka.target.name', () => {
    const a = alert('{"output":"o4","output_fields":{"ka.target.namespace":"default","ka.target.resource":"deployments","ka.target.name":"web"},"priority":"Error","rule":"r4","source":"k8saudit","time":"2026-11-20T10:21:38Z"}');
    expect(namespaceOf(a)).toBe('default');
    expect(policyResult(a, 'default')).toMatchObject({ severity: 'high', result: 'fail', policy: 'k8saudit', resources: [{ kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' }] });
    const b = alert('{"output":"","output_fields":{"ka.target.resource":"widgets","ka.resp.name":"w1"},"priority":"Emergency","rule":"r","source":"k8saudit","time":"2026-11-20T10:21:38Z"}');
    expect(JSON.stringify(policyResult(b, '').resources)).toBe('[{"name":"w1"}]');
    expect(policyResult(b, '').message).toBeUndefined();
    const c = alert('{"output":"x","output_fields":{"ka.target.resource":"pods"},"priority":"Notice","rule":"r","source":"k8saudit","time":"2026-11-20T10:21:38Z"}');
    expect(policyResult(c, '').resources).toBeUndefined();
  });

  it('severity and result for every priority', () => {
    const rows = ['Debug', 'Informational', 'Notice', 'Warning', 'Error', 'Critical', 'Alert', 'Emergency'].map((p) => {
      const r = policyResult(alert(`{"output":"x","output_fields":{},"priority":"${p}","rule":"r","time":"2026-11-20T10:21:38Z"}`), '');
      return [p, r.severity, r.result];
    });
    expect(rows).toEqual([
      ['Debug', 'info', 'skip'],
      ['Informational', 'info', 'skip'],
      ['Notice', 'low', 'skip'],
      ['Warning', 'medium', 'warn'],
      ['Error', 'high', 'fail'],
      ['Critical', 'critical', 'fail'],
      ['Alert', 'critical', 'fail'],
      ['Emergency', 'critical', 'fail'],
    ]);
  });

  it('only the sources falcosidekick writes: syscalls, syscall, k8saudit', () => {
    const of = (source: string) => reportable(alert(`{"output":"x","priority":"Notice","rule":"r","source":"${source}","time":"2026-11-20T10:21:38Z"}`));
    expect(['syscalls', 'syscall', 'k8saudit', 'k8s_audit', 'aws_cloudtrail'].map(of)).toEqual([true, true, true, false, false]);
  });

  it('goText: Go\'s %v of what falcosidekick decoded', () => {
    expect([goText('a'), goText(null), goText(true), goText(1.5), goText(JSON.rawJSON('1700000000167531875')), goText(['a', 2, null]), goText({ b: 1, a: 'x' })]).toEqual(['a', '<nil>', 'true', '1.5', '1700000000167531875', '[a 2 <nil>]', 'map[a:x b:1]']);
  });

  it('appendResults: past maxevents the oldest go; with prunebypriority the oldest of the lowest severity first', () => {
    const r = (rule: string, severity: PolicyResult['severity']) => ({ rule, severity }) as PolicyResult;
    const existing = [r('1', 'high'), r('2', 'info'), r('3', 'low'), r('4', 'info')];
    expect(appendResults(existing, [r('5', 'critical')], 3, false).map((x) => x.rule)).toEqual(['3', '4', '5']);
    expect(appendResults(existing, [r('5', 'critical')], 3, true).map((x) => x.rule)).toEqual(['1', '3', '5']);
    expect(appendResults(existing, [r('5', 'critical')], 2, true).map((x) => x.rule)).toEqual(['1', '5']);
    expect(appendResults(existing, [r('5', 'critical')], 10, true)).toHaveLength(5);
  });

  it('summary counts the results by kind', () => {
    expect(summary([{ result: 'skip' }, { result: 'fail' }, { result: 'skip' }, { result: 'warn' }, {}])).toEqual({ pass: 0, fail: 1, warn: 1, error: 0, skip: 2 });
  });
});
