// The Datadog log entry against what falcosidekick 2.34.1 posted for the same alerts (recorded from
// its build): the same fields in the same order with the same values; the message is the alert's
// JSON, which differs from Go's only as every output's does (docs/falcosidekick-differences.md).
import { describe, expect, it } from 'vitest';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { asGoAlertJson, falcosidekickRequest, goJsonText } from '../../test/support/falcosidekick-http.ts';
import { logEntry, logsBody } from './entry.ts';

describe('datadoglogs entry', () => {
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))("%s: falcosidekick's entry", (priority, alert) => {
    const theirs = JSON.parse(falcosidekickRequest('datadoglogs', priority).body as string) as { message: string };
    theirs.message = goJsonText(theirs.message);
    const ours = JSON.parse(logEntry(alert, 'falco-svc')) as { message: string };
    ours.message = asGoAlertJson(ours.message);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
  });

  it('exact entry: fields in falcosidekick\'s order, the message the alert JSON as Peregrine sends it everywhere', () => {
    const alert = priorityAlerts()[1]!;
    expect(logEntry(alert, 'falco-svc')).toBe(
      JSON.stringify({ ddsource: 'falco', hostname: 'node-2', service: 'falco-svc', message: '{"uuid":"priority-1","output":"10:21:37.5: Alert Reverse shell (proc=bash fd=3)","priority":"Alert","rule":"Reverse shell","time":"2026-11-20T10:21:37.500Z","output_fields":{"fd.num":3,"proc.name":"bash","proc.tty":false},"source":"syscall","tags":["mitre_execution"],"hostname":"node-2"}', ddtags: 'mitre_execution' }),
    );
  });

  it('leaves out an empty hostname, service and ddtags (omitempty)', () => {
    const debug = priorityAlerts()[7]!;
    expect(Object.keys(JSON.parse(logEntry(debug, '')) as object)).toEqual(['ddsource', 'message']);
  });

  it('a batch is one JSON array of the entries, in order', () => {
    const alerts = priorityAlerts().slice(0, 3);
    expect(logsBody(alerts, 's')).toBe(`[${alerts.map((a) => logEntry(a, 's')).join(',')}]`);
  });
});
