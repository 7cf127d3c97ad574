import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson, priorityAlerts } from '../../test/support/alerts.ts';
import { cefText, rfc3339Seconds, syslogLine } from './message.ts';

const header = { hostname: 'falco-node-1', pid: 4242 };
const shell = freezeAlert(toAlert(parseJson(falcoAlertJson(7)) as AlertInput));
const alert = (input: Record<string, unknown>) => freezeAlert(toAlert({ priority: 'Notice', rule: 'R', time: '2026-11-20T10:21:36.5Z', output: 'out', ...input } as AlertInput));

describe('syslog line', () => {
  it('json: <PRI>TIMESTAMP HOSTNAME Falco[PID]: the alert as falcosidekick encodes it, newline-terminated', () => {
    expect(syslogLine(shell, 'json', header)).toBe(
      '<5>2026-11-20T10:21:36Z falco-node-1 Falco[4242]: ' +
        '{"uuid":"alert-7","output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)",' +
        '"priority":"Notice","rule":"Terminal shell in container","time":"2026-11-20T10:21:36.167531875Z",' +
        '"output_fields":{"container.id":"1f0a2e5c8d3b","evt.time":1700000000167531882,"proc.cmdline":"sh -c id","k8s.ns.name":"default","k8s.pod.name":"web-7d9","user.name":"root","proc.aname[2]":null},' +
        '"source":"syscall","tags":["T1059","container","mitre_execution","shell"],"hostname":"node-1"}\n',
    );
  });

  it('cef: falcosidekick\'s CEF text after the same header, output fields sorted by name', () => {
    expect(syslogLine(shell, 'cef', header)).toBe(
      '<5>2026-11-20T10:21:36Z falco-node-1 Falco[4242]: CEF:0|Falcosecurity|Falco|1.0|Falco Event|Terminal shell in container|4|' +
        'uuid=alert-7 start=2026-11-20T10:21:36Z msg=10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id) ' +
        'source=syscall hostname=node-1 outputfields=container.id:1f0a2e5c8d3b evt.time:1700000000167531882 k8s.ns.name:default k8s.pod.name:web-7d9 ' +
        'proc.aname[2]:<nil> proc.cmdline:sh -c id user.name:root tags=T1059,container,mitre_execution,shell\n',
    );
  });

  it('PRI is facility 0 (kern) | the severity of the priority; CEF severity from falcosidekick\'s table', () => {
    const rows = priorityAlerts().map((a) => [a.priority, /^<(\d+)>/.exec(syslogLine(a, 'json', header))?.[1], cefText(a).split('|')[6]]);
    expect(rows).toEqual([
      ['Emergency', '0', '10'],
      ['Alert', '1', '9'],
      ['Critical', '2', '8'],
      ['Error', '3', '7'],
      ['Warning', '4', '6'],
      ['Notice', '5', '4'],
      ['Informational', '6', '3'],
      ['Debug', '7', '0'],
    ]);
  });

  it('cef without hostname, tags or fields: as falcosidekick (one trailing space trimmed)', () => {
    const [, , , , , , informational, debug] = priorityAlerts();
    expect(cefText(debug as never)).toBe(
      'CEF:0|Falcosecurity|Falco|1.0|Falco Event|Anonymous request allowed|0|uuid=priority-7 start=2026-11-20T10:21:42Z msg= source=k8s_audit outputfields=ka.user.name:system:anonymous ka.verb:get',
    );
    expect(cefText(informational as never)).toBe(
      'CEF:0|Falcosecurity|Falco|1.0|Falco Event|Launch Privileged Container|3|uuid=priority-6 start=2026-11-20T10:21:41Z msg=10:21:41: Informational Privileged container started (image=nginx:1.27) source=syscall hostname=node-5 outputfields=container.image.repository:nginx container.privileged:true',
    );
    expect(cefText(alert({ uuid: 'u', output_fields: {} }))).toBe('CEF:0|Falcosecurity|Falco|1.0|Falco Event|R|4|uuid=u start=2026-11-20T10:21:36Z msg=out source=syscalls outputfields=');
    expect(cefText(alert({ uuid: 'u', output_fields: {}, tags: ['b', 'a'] }))).toBe(
      'CEF:0|Falcosecurity|Falco|1.0|Falco Event|R|4|uuid=u start=2026-11-20T10:21:36Z msg=out source=syscalls outputfields=tags=a,b',
    );
  });

  it('cef values as Go prints them: numbers by their digits, null <nil>, lists [a b], objects map[k:v]', () => {
    const fields = parseJson('{"n":12345678901234567890,"f":0.25,"t":false,"z":null,"l":["x",1,null],"o":{"b":2,"a":{"c":"d"}}}') as Record<string, unknown>;
    expect(cefText(alert({ uuid: 'u', output_fields: fields }))).toMatch(/ outputfields=f:0.25 l:\[x 1 <nil>\] n:12345678901234567890 o:map\[a:map\[c:d\] b:2\] t:false z:<nil>$/);
  });

  it('a line break inside the text becomes CEF\'s \\n / \\r, so it cannot end the message early', () => {
    const line = syslogLine(alert({ uuid: 'u', output: 'a\nb\r\nc', output_fields: { 'proc.cmdline': 'x\ny' } }), 'cef', header);
    expect(line).toContain('msg=a\\nb\\r\\nc source=syscalls outputfields=proc.cmdline:x\\ny\n');
    expect(line.indexOf('\n')).toBe(line.length - 1);
    // JSON escapes them anyway.
    const json = syslogLine(alert({ uuid: 'u', output: 'a\nb' }), 'json', header);
    expect(json.indexOf('\n')).toBe(json.length - 1);
  });

  it('the timestamp is the alert time in whole seconds, as Go\'s RFC3339 prints it', () => {
    expect(rfc3339Seconds('2026-11-20T10:21:36.167531875Z')).toBe('2026-11-20T10:21:36Z');
    expect(rfc3339Seconds('2026-11-20T12:21:40.25+02:00')).toBe('2026-11-20T12:21:40+02:00');
    expect(rfc3339Seconds('2026-11-20t10:21:36z')).toBe('2026-11-20T10:21:36Z');
    expect(rfc3339Seconds('2026-11-20T10:21:36-00:00')).toBe('2026-11-20T10:21:36Z');
    expect(rfc3339Seconds('2026-11-20T05:21:36-05:00')).toBe('2026-11-20T05:21:36-05:00');
    const warning = priorityAlerts()[4];
    expect(syslogLine(warning as never, 'json', header)).toMatch(/^<4>2026-11-20T12:21:40\+02:00 falco-node-1 Falco\[4242\]: \{/);
  });
});
