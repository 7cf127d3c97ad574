import { describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { batchCommand } from './commands.ts';

const alerts = [0, 1, 2].map((i) => toAlert(parseJson(falcoAlertJson(i)) as AlertInput));
/** Alert i's JSON: top-level keys in falcosidekick's order (its json.Marshal of the payload), output_fields as Falco sent them. */
const json = (i: number) =>
  `{"uuid":"alert-${i}","output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)",` +
  '"priority":"Notice","rule":"Terminal shell in container","time":"2026-11-20T10:21:36.167531875Z",' +
  `"output_fields":{"container.id":"1f0a2e5c8d3b","evt.time":${1700000000167531875n + BigInt(i)},"proc.cmdline":"sh -c id","k8s.ns.name":"default","k8s.pod.name":"web-7d9","user.name":"root","proc.aname[2]":null},` +
  '"source":"syscall","tags":["T1059","container","mitre_execution","shell"],"hostname":"node-1"}';

describe('batchCommand', () => {
  it('list: one RPUSH with every alert\'s JSON, in order', () => {
    expect(batchCommand(alerts, 'list', 'falco')).toEqual(['RPUSH', 'falco', json(0), json(1), json(2)]);
  });

  it('hashmap: one HSET with uuid → JSON pairs, in order', () => {
    expect(batchCommand(alerts, 'hashmap', 'falco-h')).toEqual(['HSET', 'falco-h', 'alert-0', json(0), 'alert-1', json(1), 'alert-2', json(2)]);
  });
});
