// Webex message bytes: falcosidekick 2.34.1's markdown, the summary of a burst, Webex's 7,439 bytes,
// and the options as users write them.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv } from '../../test/support/config.ts';
import { priorityAlerts, testAlerts } from '../../test/support/alerts.ts';
import { falcosidekickNotify } from '../../test/support/falcosidekick-notify.ts';
import { webexSchema, type WebexOptions } from './options.ts';
import { cutAtLine, MAX_BYTES, webexMessage } from './payload.ts';

const URL = 'https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3VzL1dFQkhPT0svabc';
const options = (extra: Record<string, unknown> = {}): WebexOptions => webexSchema.parse({ webhookurl: URL, ...extra });
const notice = priorityAlerts().find((a) => a.priority === 'Notice')!;

/** falcosidekick's markdown as Peregrine writes it: no "<no value>" line for a null field, evt.time with every digit (falcosidekick rounds it through a float). */
function comparable(markdown: string, priority: string): string {
  const exact = priorityAlerts().find((a) => a.priority === priority)!.output_fields['evt.time'] as { rawJSON?: string } | undefined;
  return markdown.replace(/\n\t\* [^\n]+: <no value>\n\t/g, '').replace(/(\* evt\.time: )\d+/, (_, label: string) => `${label}${exact?.rawJSON ?? ''}`);
}

describe('webex message: what falcosidekick 2.34.1 posted (test/fixtures/chat/falcosidekick-notify.json)', () => {
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))('%s: the same bytes, but for null fields and evt.time\'s digits', (priority, alert) => {
    const theirs = falcosidekickNotify<{ markdown: string }>('webex', priority, 'all');
    theirs.markdown = comparable(theirs.markdown, priority);
    expect(JSON.stringify(webexMessage([alert], options()))).toBe(JSON.stringify(theirs));
  });
});

describe('webex message', () => {
  it('one alert, written out', () => {
    expect(webexMessage([notice], options()).markdown).toBe(
      "# Falco Rule 'Terminal shell in container'\n\n" +
        '### 10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)\n\n' +
        'Additional informations:\n  * Hostname: node-1\n  * Source:   syscall  \n  * Priority: Notice\n' +
        '  * Tags:\n    \n    * T1059\n    \n    * container\n    \n    * mitre_execution\n    \n    * shell\n    \n' +
        '  * Fields:\n\t\n\t* container.id: 1f0a2e5c8d3b\n\t\n\t* evt.time: 1700000000167531875\n\t\n\t* k8s.ns.name: default\n\t\n\t* k8s.pod.name: web-7d9\n\t\n\t* proc.cmdline: sh -c id\n\t\n\t* user.name: root\n\t\n',
    );
  });

  it('a burst: summaryafter alerts in full, then one summary', () => {
    const alerts = [...testAlerts(3), ...testAlerts(2, { rule: 'Write below etc' }, 'Critical'), ...testAlerts(3, { hostname: 'node-2' })];
    const markdown = webexMessage(alerts, options()).markdown;
    expect(markdown.match(/^# Falco Rule/gm)).toHaveLength(3);
    expect(markdown.slice(markdown.indexOf('### and '))).toBe(
      '### and 5 more: Terminal shell in container ×3, Write below etc ×2\n\n' +
        '  * Priority: Critical ×2, Notice ×3\n  * Hostname: node-1, node-2\n' +
        '  * Time: 2026-11-20 10:21:36.167531875 +0000 UTC – 2026-11-20 10:21:36.167531875 +0000 UTC\n\n' +
        '_Folded into one message to keep a burst from flooding the space._\n',
    );
    expect(webexMessage(testAlerts(4), options()).markdown.match(/^# Falco Rule/gm)).toHaveLength(4);
  });

  it('within 7,439 bytes: fewer alerts in full, then texts cut, then the markdown at a line end', () => {
    const two = webexMessage(testAlerts(3, { output: 'é'.repeat(2000) }), options()).markdown;
    expect(Buffer.byteLength(two)).toBeLessThanOrEqual(MAX_BYTES);
    expect(two.match(/^# Falco Rule/gm)).toHaveLength(1);
    const fields = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${String(i).padStart(3, '0')}`, 'v'.repeat(100)]));
    const [huge] = testAlerts(1, { output: 'o'.repeat(9000), output_fields: fields });
    const markdown = webexMessage([huge!], options()).markdown;
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(MAX_BYTES);
    expect(markdown.endsWith('\n…')).toBe(true);
    expect(cutAtLine('ab\ncd\nef', 7)).toBe('ab\n…');
  });

  it('a burst whose one alert shown in full is itself too long (many fields): the alert is cut, the summary of the other 49 kept whole', () => {
    const notice = priorityAlerts().find((a) => a.priority === 'Notice')!;
    const wide = (i: number, fields: number) =>
      freezeAlert(toAlert({ ...notice, uuid: `u${i}`, rule: `Rule ${i}`, tags: [], output_fields: Object.fromEntries(Array.from({ length: fields }, (_, f) => [`k8s.pod.label.component_${f}`, `registry.k8s.io/kube-proxy:v1.29.0-${f}.eks-a.b-c.d-e.f-g.h-i.j-k.l-m.n`])) } as unknown as AlertInput));
    const m = webexMessage([wide(0, 150), ...Array.from({ length: 49 }, (_, i) => wide(i + 1, 1))], webexSchema.parse({ webhookurl: 'https://x.example/a' }));
    expect(Buffer.byteLength(m.markdown)).toBeLessThanOrEqual(MAX_BYTES);
    expect(m.markdown).toContain('### and 49 more');
    expect(m.markdown).toContain('Rule 0');
  });

  it('loads falcosidekick\'s keys from env vars; the webhook URL is a secret', () => {
    const loaded = configFromEnv({ WEBEX_WEBHOOKURL: URL, WEBEX_CHECKCERT: 'false', WEBEX_MINIMUMPRIORITY: 'error' });
    expect(loaded.config).toMatchObject({ webex: { webhookurl: URL, checkcert: false, minimumpriority: 'error', summaryafter: 3 } });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('Y2lzY29zcGFyazovL3VzL1dFQkhPT0svabc');
    expect(shown).toContain('"webhookurl":"***"');
  });
});
