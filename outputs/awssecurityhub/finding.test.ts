import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { PRIORITIES } from '../../src/alert/priority.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { expectRequiredAsff } from '../../test/integration/awssecurityhub/asff.ts';
import { DEFAULT_TYPE, findingTypes } from './finding-types.ts';
import { asffTime, findingId, LIMITS, serializeFinding, toFinding, TRUNCATED, truncate, type FindingTarget } from './finding.ts';

const target: FindingTarget = {
  accountId: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  productArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
};

function alertFrom(json: string): Alert {
  return freezeAlert(toAlert(parseJson(json) as AlertInput));
}

function alert(overrides: Partial<AlertInput> = {}, i = 1): Alert {
  const base = parseJson(falcoAlertJson(i)) as AlertInput;
  return freezeAlert(toAlert({ ...base, ...overrides }));
}

describe('awssecurityhub finding mapping', () => {
  it('maps the Falco shell alert to a complete ASFF finding', () => {
    const f = toFinding(alertFrom(falcoAlertJson(7, 'Warning')), target);
    expectRequiredAsff(f as unknown as Record<string, unknown>);
    expect(f).toMatchObject({
      Id: 'falco/alert-7',
      GeneratorId: 'falco/Terminal shell in container',
      AwsAccountId: '123456789012',
      ProductArn: target.productArn,
      Types: ['TTPs/Execution'],
      Severity: { Label: 'MEDIUM', Original: 'Warning' },
      FindingProviderFields: { Severity: { Label: 'MEDIUM', Original: 'Warning' }, Types: ['TTPs/Execution'] },
      Title: 'Terminal shell in container',
      CreatedAt: '2026-11-20T10:21:36.167531875Z',
      UpdatedAt: '2026-11-20T10:21:36.167531875Z',
      FirstObservedAt: '2026-11-20T10:21:36.167531875Z',
    });
    expect(f.Description).toMatch(/^10:21:36\.167531875: Notice A shell was spawned/);
    expect(f.Resources).toEqual([
      { Type: 'Container', Id: '1f0a2e5c8d3b', Partition: 'aws', Region: 'us-east-1' },
      { Type: 'Other', Id: 'k8s/pod/default/web-7d9', Partition: 'aws', Region: 'us-east-1', Details: { Other: { 'k8s.ns.name': 'default', 'k8s.pod.name': 'web-7d9' } } },
    ]);
    expect(f.ProductFields).toMatchObject({
      'falco/uuid': 'alert-7',
      'falco/rule': 'Terminal shell in container',
      'falco/priority': 'Warning',
      'falco/source': 'syscall',
      'falco/hostname': 'node-1',
      'falco/tags': 'T1059,container,mitre_execution,shell',
      'falco/output_fields/container.id': '1f0a2e5c8d3b',
      'falco/output_fields/proc.cmdline': 'sh -c id',
    });
    expect(f.ProductFields).not.toHaveProperty('falco/output_fields/proc.aname[2]'); // null: nothing to say
    expect(f.UserDefinedFields).toEqual({
      'falco.rule': 'Terminal shell in container',
      'falco.priority': 'Warning',
      'falco.source': 'syscall',
      'falco.hostname': 'node-1',
      'falco.tags': 'T1059,container,mitre_execution,shell',
    });
  });

  it('keeps big integers as their exact digits', () => {
    const f = toFinding(alertFrom(falcoAlertJson(3)), target);
    expect(f.ProductFields['falco/output_fields/evt.time']).toBe('1700000000167531878');
    expect(JSON.stringify(f)).toContain('"falco/output_fields/evt.time":"1700000000167531878"');
  });

  it.each(PRIORITIES.map((p) => [p]))('maps priority %s to its severity label', (priority) => {
    const expected = { Debug: 'INFORMATIONAL', Informational: 'INFORMATIONAL', Notice: 'LOW', Warning: 'MEDIUM', Error: 'HIGH', Critical: 'CRITICAL', Alert: 'CRITICAL', Emergency: 'CRITICAL' }[priority];
    const f = toFinding(alertFrom(falcoAlertJson(1, priority)), target);
    expect(f.Severity).toEqual({ Label: expected, Original: priority });
    expectRequiredAsff(f as unknown as Record<string, unknown>);
  });

  it('derives a stable Id from the uuid only', () => {
    const a = alert({ uuid: 'same-id', output: 'first' });
    const b = alert({ uuid: 'same-id', output: 'second', priority: 'Critical' });
    expect(findingId(a)).toBe(findingId(b));
    expect(toFinding(a, target).Id).toBe('falco/same-id');
    expect(findingId(alert({ uuid: 'other-id' }))).not.toBe(findingId(a));
  });

  it('maps MITRE tactic tags to ASFF types, and falls back to the Falco check type', () => {
    expect(findingTypes(['mitre_execution', 'T1059', 'mitre_privilege_escalation', 'mitre_execution'])).toEqual(['TTPs/Execution', 'TTPs/Privilege Escalation']);
    expect(findingTypes(['mitre_exfiltration', 'mitre_command_and_control', 'MITRE_DEFENSE_EVASION'])).toEqual([
      'Effects/Data Exfiltration',
      'TTPs/Command and Control',
      'TTPs/Defense Evasion',
    ]);
    expect(findingTypes(['container', 'shell'])).toEqual([DEFAULT_TYPE]);
    expect(findingTypes([])).toEqual(['Software and Configuration Checks/Falco']);
    // Tags named after Object.prototype's members are tags like any other (they put null in Types).
    expect(findingTypes(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'mitre_execution'])).toEqual(['TTPs/Execution']);
    expect(findingTypes(['constructor', 'valueOf'])).toEqual([DEFAULT_TYPE]);
  });

  it('writes times in UTC with nanoseconds, whatever the alert offset', () => {
    expect(asffTime('2026-11-20T10:21:36.167531875Z')).toBe('2026-11-20T10:21:36.167531875Z');
    expect(asffTime('2026-11-20T12:21:36.5+02:00')).toBe('2026-11-20T10:21:36.500000000Z');
    expect(asffTime('2026-11-20T10:21:36Z')).toBe('2026-11-20T10:21:36.000000000Z');
  });

  it('truncates a huge output to 1024 characters with a marker, and a long rule to 256', () => {
    const f = toFinding(alert({ output: 'x'.repeat(1_000_000), rule: 'r'.repeat(1000) }), target);
    expect(f.Description).toHaveLength(LIMITS.description);
    expect(f.Description.endsWith(TRUNCATED)).toBe(true);
    expect(f.Title).toHaveLength(LIMITS.title);
    expect(f.Title.endsWith(TRUNCATED)).toBe(true);
    expect(f.GeneratorId.length).toBeLessThanOrEqual(LIMITS.id);
    for (const v of Object.values(f.ProductFields)) expect(v.length).toBeLessThanOrEqual(LIMITS.productValue);
    for (const v of Object.values(f.UserDefinedFields)) expect(v.length).toBeLessThanOrEqual(LIMITS.userValue);
    expect(serializeFinding(f).bytes).toBeLessThan(LIMITS.findingBytes);
  });

  it('uses the rule when the output is empty (Description must not be blank)', () => {
    const f = toFinding(alert({ output: '   ' }), target);
    expect(f.Description).toBe('Notice: Terminal shell in container');
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `${'a'.repeat(9)}${'😀'.repeat(20)}`;
    const cut = truncate(text, 10 + TRUNCATED.length);
    expect(cut).toBe(`${'a'.repeat(9)}${TRUNCATED}`);
  });

  it('respects the ProductFields limits with many and huge output fields', () => {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) fields[`custom.field${i}`] = '€'.repeat(5000); // 3 bytes per char
    fields[`k${'.long'.repeat(60)}`] = 'key too long for ProductFields';
    const f = toFinding(alert({ output_fields: fields }), target);
    const entries = Object.entries(f.ProductFields);
    expect(entries.length).toBeLessThanOrEqual(LIMITS.entries);
    for (const [k, v] of entries) {
      expect(k.length).toBeLessThanOrEqual(LIMITS.fieldKey);
      expect(v.length).toBeLessThanOrEqual(LIMITS.productValue);
      expect(v).toMatch(/\S/);
    }
    const kept = entries.filter(([k]) => k.startsWith('falco/output_fields/')).length;
    expect(Number(f.ProductFields['falco/output_fields_omitted'])).toBe(501 - kept);
    expect(serializeFinding(f).bytes).toBeLessThanOrEqual(LIMITS.findingBytes);
    expect(f.Resources).toEqual([{ Type: 'Other', Id: 'host/node-1', Partition: 'aws', Region: 'us-east-1', Details: { Other: { hostname: 'node-1', source: 'syscall' } } }]);
  });

  it('stops at 50 ProductFields entries with many small fields', () => {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) fields[`f${i}`] = i;
    const f = toFinding(alert({ output_fields: fields }), target);
    expect(Object.keys(f.ProductFields)).toHaveLength(50);
    expect(f.ProductFields['falco/output_fields/f0']).toBe('0');
    expect(f.ProductFields['falco/output_fields_omitted']).toBeDefined();
  });

  it('describes the container image and the host resource when there is no container or pod', () => {
    const c = toFinding(
      alert({ output_fields: { 'container.id': 'abc123', 'container.name': 'web', 'container.image.repository': 'nginx', 'container.image.tag': '1.27' } }),
      target,
    );
    expect(c.Resources).toEqual([{ Type: 'Container', Id: 'abc123', Partition: 'aws', Region: 'us-east-1', Details: { Container: { Name: 'web', ImageName: 'nginx:1.27' } } }]);
    const h = toFinding(alert({ output_fields: { 'container.id': 'host', 'proc.name': 'sshd' }, hostname: 'ip-10-0-0-1' }), target);
    expect(h.Resources).toEqual([{ Type: 'Other', Id: 'host/ip-10-0-0-1', Partition: 'aws', Region: 'us-east-1', Details: { Other: { hostname: 'ip-10-0-0-1', source: 'syscall' } } }]);
    const none = toFinding(freezeAlert(toAlert({ rule: 'r', priority: 'Debug', time: '2026-01-01T00:00:00Z', output_fields: { a: 1 } })), target);
    expect(none.Resources[0]?.Id).toBe('host/unknown');
    expectRequiredAsff(none as unknown as Record<string, unknown>);
  });
});
