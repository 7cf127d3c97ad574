// The log record falcosidekick 2.34.1's dynatrace output builds, byte for byte (recorded from its
// build, the Go differences every output has undone: sorted output_fields, its own uuid), and each
// rule of it: omitempty, the semantic attributes, the MITRE tags, the timestamp to the second.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { logRecord, secondsTimestamp } from './record.ts';

const RICH =
  '{"uuid":"6b9dca87-8738-4f1b-ad9d-a7ccaf7f425c","hostname":"node-1","output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)",' +
  '"output_fields":{"container.id":"1f0a2e5c8d3b","container.name":"web","container.image":"nginx:1.27","evt.time":1700000000167531875,"proc.cmdline":"sh -c id","proc.name":"sh","k8s.ns.name":"default","k8s.pod.name":"web-7d9","k8s.pod.id":"5b1c-uid","user.name":"root","proc.aname[2]":null},' +
  '"priority":"Notice","rule":"Terminal shell in container","source":"syscall","tags":["T1059.004","container","mitre_execution","shell"],"time":"2026-11-20T10:21:36.167531875Z"}';

// What falcosidekick posted for RICH (its body, an array of one record; its uuid; Go's newline).
const FALCOSIDEKICK =
  '[{"timestamp":"2026-11-20T10:21:36Z","event.id":"<uuid>","event.name":"Terminal shell in container","event.provider":"Falco","severity":"Notice","host.name":"node-1","log.source":"syscall",' +
  '"content":{"output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)","output_fields":{"container.id":"1f0a2e5c8d3b","container.image":"nginx:1.27","container.name":"web","evt.time":1700000000167531875,"k8s.ns.name":"default","k8s.pod.id":"5b1c-uid","k8s.pod.name":"web-7d9","proc.aname[2]":null,"proc.cmdline":"sh -c id","proc.name":"sh","user.name":"root"},"tags":["T1059.004","container","mitre_execution","shell"]},' +
  '"mitre.technique":"T1059.004","mitre.tactic":"mitre_execution","container.id":"1f0a2e5c8d3b","container.name":"web","container.image.name":"nginx:1.27","k8s.namespace.name":"default","k8s.pod.name":"web-7d9","k8s.pod.uid":"5b1c-uid","process.executable.name":"sh"}]\n';

const alert = (json: string, change: Partial<AlertInput> = {}) => freezeAlert(toAlert({ ...(parseJson(json) as AlertInput), ...change }));


describe('dynatrace log record', () => {
  it('is falcosidekick\'s record, byte for byte but for Go\'s sorted output_fields, its uuid and its newline', () => {
    const ours = logRecord(alert(RICH));
    const sortedFields = '"output_fields":{"container.id":"1f0a2e5c8d3b","container.image":"nginx:1.27","container.name":"web","evt.time":1700000000167531875,"k8s.ns.name":"default","k8s.pod.id":"5b1c-uid","k8s.pod.name":"web-7d9","proc.aname[2]":null,"proc.cmdline":"sh -c id","proc.name":"sh","user.name":"root"}';
    const ourFields = '"output_fields":{"container.id":"1f0a2e5c8d3b","container.name":"web","container.image":"nginx:1.27","evt.time":1700000000167531875,"proc.cmdline":"sh -c id","proc.name":"sh","k8s.ns.name":"default","k8s.pod.name":"web-7d9","k8s.pod.id":"5b1c-uid","user.name":"root","proc.aname[2]":null}';
    expect(ours).toContain(ourFields);
    expect(`[${ours.replace(ourFields, sortedFields).replace('6b9dca87-8738-4f1b-ad9d-a7ccaf7f425c', '<uuid>')}]\n`).toBe(FALCOSIDEKICK);
  });

  it('leaves out what is empty (no hostname, no tags: no host.name, tags, mitre.*), as omitempty does', () => {
    const bare = alert(RICH, { hostname: undefined, tags: [], output_fields: { 'evt.time': 1 } } as Partial<AlertInput>);
    expect(logRecord(bare)).toBe(
      '{"timestamp":"2026-11-20T10:21:36Z","event.id":"6b9dca87-8738-4f1b-ad9d-a7ccaf7f425c","event.name":"Terminal shell in container","event.provider":"Falco","severity":"Notice","log.source":"syscall",' +
        '"content":{"output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)","output_fields":{"evt.time":1}}}',
    );
  });

  it('k8s.namespace.name from ka.target.namespace when k8s.ns.name is absent or null; k8s.ns.name wins when both are set', () => {
    const ns = (fields: Record<string, unknown>) => JSON.parse(logRecord(alert(RICH, { output_fields: fields } as Partial<AlertInput>)))['k8s.namespace.name'] as string | undefined;
    expect(ns({ 'ka.target.namespace': 'audit-ns' })).toBe('audit-ns');
    expect(ns({ 'k8s.ns.name': null, 'ka.target.namespace': 'audit-ns' })).toBe('audit-ns');
    expect(ns({ 'k8s.ns.name': 'default', 'ka.target.namespace': 'audit-ns' })).toBe('default');
    expect(ns({})).toBeUndefined();
  });

  it('span.id and other non-string values by their JSON text (falcosidekick panics on them and drops the alert)', () => {
    const rec = JSON.parse(logRecord(alert('{"output":"o","priority":"Notice","rule":"r","time":"2026-11-20T10:21:36Z","source":"syscall","output_fields":{"span.id":12345678901234567890,"container.id":42,"proc.name":true}}')));
    expect([rec['span.id'], rec['container.id'], rec['process.executable.name']]).toEqual(['12345678901234567890', '42', 'true']);
  });

  it.each([
    [['T1059', 'mitre_execution'], 'T1059', 'mitre_execution'],
    [['T1055.008', 'T1070', 'mitre_defense_evasion', 'mitre_persistence'], 'T1070', 'mitre_persistence'],
    // Unanchored, as Go's MatchString: a tag containing one matches; a tag matching both is a technique.
    [['attack-T42x', 'xmitre_foo'], 'attack-T42x', 'xmitre_foo'],
    [['mitre_T1059'], 'mitre_T1059', undefined],
    [['container', 'shell'], undefined, undefined],
  ])('tags %j → technique %s, tactic %s', (tags, technique, tactic) => {
    const rec = JSON.parse(logRecord(alert(RICH, { tags } as Partial<AlertInput>)));
    expect([rec['mitre.technique'], rec['mitre.tactic']]).toEqual([technique, tactic]);
  });

  it.each([
    ['2026-11-20T10:21:36.167531875Z', '2026-11-20T10:21:36Z'],
    ['2026-11-20T10:21:36Z', '2026-11-20T10:21:36Z'],
    ['2026-11-20T11:21:36.5+01:00', '2026-11-20T11:21:36+01:00'],
    ['2026-11-20T10:21:36.5+00:00', '2026-11-20T10:21:36Z'],
  ])('timestamp %s → %s (Go\'s time.RFC3339)', (time, want) => {
    expect(secondsTimestamp(time)).toBe(want);
  });
});
