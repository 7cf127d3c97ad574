import { describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { alertMail, digestMail, escapeHtml, SUBJECT_CHARS, textOf } from './message.ts';

const date = new Date(0);

describe('smtp message', () => {
  it('writes falcosidekick\'s subject and text body, fields sorted, big integers exact', () => {
    const [alert] = testAlerts(1);
    const mail = alertMail(alert as never, false, date);
    expect(mail.subject).toBe('[Notice] 10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)');
    expect(mail.text).toBe(
      [
        'Priority: Notice',
        'Output: 10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)',
        'Rule: Terminal shell in container',
        'Source: syscall',
        'Hostname: node-1',
        'Tags: T1059 container mitre_execution shell ',
        'Time: 2026-11-20T10:21:36.167531875Z',
        '',
        '--Fields--',
        'container.id: 1f0a2e5c8d3b',
        'evt.time: 1700000000167531875',
        'k8s.ns.name: default',
        'k8s.pod.name: web-7d9',
        'proc.aname[2]: <no value>',
        'proc.cmdline: sh -c id',
        'user.name: root',
        '',
      ].join('\n'),
    );
    expect(mail.html).toBeUndefined();
    expect(mail.messageId).toBe('<alert-0@peregrine>');
  });

  it('a null field is <no value> in the text part and an empty cell in the HTML, as falcosidekick\'s two templates print it', () => {
    const [alert] = testAlerts(1, { output_fields: { 'proc.aname[2]': null, 'proc.name': 'bash' } });
    const mail = alertMail(alert as never, true, date);
    expect(mail.text).toContain('proc.aname[2]: <no value>\n');
    expect(mail.html).toContain('proc.aname[2]');
    expect(mail.html).not.toMatch(/no value|nil/);
  });

  it('escapes every alert value in the HTML (no markup injection) and keeps line breaks out of the subject', () => {
    const evil = '<script>alert(1)</script><img src=x onerror="steal()">&\'';
    const [alert] = testAlerts(1, { output: `line1\r\nBcc: victim@example.com ${evil}`, rule: evil, output_fields: { [`k${evil}`]: evil }, tags: [evil] });
    const mail = alertMail(alert as never, true, date);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('onerror="');
    expect(mail.html).toContain(escapeHtml(evil));
    expect(escapeHtml(evil)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;steal()&quot;&gt;&amp;&#39;');
    // The text part keeps the text as it is (it is not markup).
    expect(textOf(alert as never)).toContain(`Rule: ${evil}`);
  });

  it('cuts a long output at SUBJECT_CHARS in the subject, never inside a surrogate pair; the body keeps it whole', () => {
    const output = `${'x'.repeat(SUBJECT_CHARS - 11)}🦅${'y'.repeat(100_000)}`;
    const [alert] = testAlerts(1, { output });
    const mail = alertMail(alert as never, false, date);
    expect(mail.subject).toHaveLength(SUBJECT_CHARS - 1); // the pair is left out whole, not split
    expect(mail.subject).toBe(`[Notice] ${'x'.repeat(SUBJECT_CHARS - 11)}…`);
    expect(mail.subject.isWellFormed()).toBe(true);
    expect(mail.text).toContain(output);
    const [short] = testAlerts(1);
    expect(alertMail(short as never, false, date).subject).toBe(`[Notice] ${short?.output}`);
  });

  it('digest: the top priority and the count in the subject, every alert in the body, their JSON attached', () => {
    const alerts = [...testAlerts(2), ...testAlerts(1, { uuid: 'crit', priority: 'Critical', rule: 'Write below etc' })];
    const mail = digestMail(alerts, true, date);
    expect(mail.subject).toBe('[Critical] 3 Falco alerts: Terminal shell in container, Write below etc');
    expect(mail.text.split('Priority: ')).toHaveLength(4);
    expect(mail.html?.split('<strong>Output</strong>')).toHaveLength(4);
    expect(mail.attachment?.trim().split('\n').map((l) => (JSON.parse(l) as { uuid: string }).uuid)).toEqual(['alert-0', 'alert-1', 'crit']);
    expect(mail.attachment).toContain('"evt.time":1700000000167531875');
  });
});
