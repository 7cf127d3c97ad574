import { describe, expect, it } from 'vitest';
import { newReport, updatedReport } from './report.ts';
import type { PolicyResult } from './result.ts';

const r = (rule: string, result: PolicyResult['result'], severity: PolicyResult['severity'] = 'low') => ({ rule, result, severity }) as PolicyResult;

describe('policyreport report', () => {
  it('a new report: falcosidekick\'s kind, name, label and key order; the summary counted', () => {
    expect(JSON.stringify(newReport({ namespace: 'default', name: 'falco-policy-report' }, [r('a', 'skip'), r('b', 'fail')]))).toBe(
      '{"kind":"PolicyReport","apiVersion":"wgpolicyk8s.io/v1alpha2","metadata":{"name":"falco-policy-report","labels":{"app.kubernetes.io/managed-by":"falcosidekick"}},"summary":{"pass":0,"fail":1,"warn":0,"error":0,"skip":1},"results":[{"rule":"a","result":"skip","severity":"low"},{"rule":"b","result":"fail","severity":"low"}]}',
    );
    expect(newReport({ namespace: '', name: 'falco-cluster-policy-report' }, []).kind).toBe('ClusterPolicyReport');
  });

  it('an update keeps every field read (resourceVersion, others\' keys, their order), appends, cuts to maxevents and counts again', () => {
    const current = { kind: 'PolicyReport', apiVersion: 'wgpolicyk8s.io/v1alpha2', metadata: { name: 'falco-policy-report', namespace: 'default', resourceVersion: '7', uid: 'u' }, scope: { kind: 'Namespace' }, summary: { pass: 0, fail: 0, warn: 0, error: 0, skip: 2 }, results: [r('a', 'skip'), r('b', 'skip')] };
    const updated = updatedReport(current, [r('c', 'warn', 'medium')], { maxevents: 2, prunebypriority: false });
    expect(Object.keys(updated)).toEqual(['kind', 'apiVersion', 'metadata', 'scope', 'summary', 'results']);
    expect(updated).toEqual({ ...current, summary: { pass: 0, fail: 0, warn: 1, error: 0, skip: 1 }, results: [r('b', 'skip'), r('c', 'warn', 'medium')] });
    expect(updatedReport({ kind: 'PolicyReport', metadata: {} }, [r('x', 'fail')], { maxevents: 5, prunebypriority: false })).toMatchObject({ results: [r('x', 'fail')], summary: { fail: 1 } });
  });
});
