import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../src/plugin/index.ts';
import { testAlerts } from '../../test/support/alerts.ts';
import { ocsfFinding, observableValue } from './ocsf.ts';

const RAW =
  '{"uuid":"alert-0","output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)","priority":"Notice","rule":"Terminal shell in container","time":"2026-11-20T10:21:36.167531875Z","output_fields":{"container.id":"1f0a2e5c8d3b","evt.time":1700000000167531875,"proc.cmdline":"sh -c id","k8s.ns.name":"default","k8s.pod.name":"web-7d9","user.name":"root","proc.aname[2]":null},"source":"syscall","tags":["T1059","container","mitre_execution","shell"],"hostname":"node-1"}';

const other = (name: string, value: string) => ({ name, type: 'Other', type_id: 0, value });

describe('awssecuritylake OCSF Security Finding', () => {
  it('maps the fixture alert field by field (falcosidekick\'s constants, its time in ms, exact numbers)', () => {
    const [alert] = testAlerts(1);
    expect(ocsfFinding(alert as never)).toEqual({
      activity_id: 1,
      activity_name: 'Generate',
      category_name: 'Findings',
      category_uid: 2,
      class_name: 'Security Finding',
      class_uid: 2001,
      finding: {
        created_time: 1795170096167n,
        desc: '10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)',
        title: 'Terminal shell in container',
        types: ['syscall'],
        uid: 'alert-0',
      },
      message: 'Terminal shell in container',
      metadata: { version: '0.1.0', product: { vendor_name: 'Falcosecurity', name: 'Falco' }, labels: ['T1059', 'container', 'mitre_execution', 'shell'] },
      observables: [
        other('hostname', 'node-1'),
        other('container.id', '1f0a2e5c8d3b'),
        other('evt.time', '1700000000167531875'),
        other('proc.cmdline', 'sh -c id'),
        other('k8s.ns.name', 'default'),
        other('k8s.pod.name', 'web-7d9'),
        other('user.name', 'root'),
      ],
      raw_data: RAW,
      severity: 'Low',
      severity_id: 2,
      state: 'New',
      state_id: 1,
      status: 'Notice',
      time: 1795170096167n,
      type_name: 'Security Finding: Generate',
      type_uid: 200101,
    });
  });

  it('an alert without hostname nor tags, with fields of every JSON type: only strings and numbers are observables', () => {
    const [alert] = testAlerts(1, {
      uuid: 'odd',
      hostname: '',
      tags: [],
      source: 'k8s_audit',
      time: '2026-11-20T12:21:40.9999+02:00',
      output_fields: { s: '', n: -3, f: 0.5, tiny: 0.00001, big: 1e21, m: 1234567, b: true, z: null, o: { a: 1 }, a: [1, 2] },
    });
    const finding = ocsfFinding(alert as never);
    expect(finding.observables).toEqual([other('s', ''), other('n', '-3'), other('f', '0.5'), other('tiny', '0.00001'), other('big', '1e+21'), other('m', '1234567')]);
    expect(finding.metadata.labels).toEqual([]);
    expect(finding.finding.types).toEqual(['k8s_audit']);
    expect([finding.time, finding.finding.created_time]).toEqual([1795170100999n, 1795170100999n]);
  });

  it.each([
    ['Emergency', 6, 'Fatal'],
    ['Alert', 6, 'Fatal'],
    ['Critical', 5, 'Critical'],
    ['Error', 4, 'High'],
    ['Warning', 3, 'Medium'],
    ['Notice', 2, 'Low'],
    ['Informational', 1, 'Informational'],
    ['Debug', 1, 'Informational'],
  ] as const)('%s → severity_id %i (%s), status the priority', (priority, id, name) => {
    const [alert] = testAlerts(1, {}, priority);
    expect(ocsfFinding(alert as never)).toMatchObject({ severity_id: id, severity: name, status: priority });
  });

  it('the severity table covers every priority', () => {
    for (const priority of PRIORITIES) expect(ocsfFinding(testAlerts(1, {}, priority)[0] as never).severity_id).toBeGreaterThan(0);
  });

  it('observable values: big integers keep their digits; booleans, null, objects and arrays have none', () => {
    expect(observableValue(JSON.rawJSON('1700000000167531875'))).toBe('1700000000167531875');
    expect(observableValue(42)).toBe('42');
    expect([observableValue(false), observableValue(null), observableValue({}), observableValue([])]).toEqual([undefined, undefined, undefined, undefined]);
  });
});
