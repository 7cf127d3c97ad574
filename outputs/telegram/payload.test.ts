// Telegram message bytes: falcosidekick 2.34.1's MarkdownV2 text, its escaping made complete, the
// summary of a burst, Telegram's 4,096 characters, and the options as users write them.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { redactConfig } from '../../src/config/redact.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import { priorityAlerts, testAlerts } from '../../test/support/alerts.ts';
import { falcosidekickNotify } from '../../test/support/falcosidekick-notify.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import { parseMarkdownV2 } from '../../test/support/telegram-receiver.ts';
import { escapeMarkdownV2, cutAtLine } from './markdown.ts';
import { telegramSchema, validateTelegram, type TelegramOptions } from './options.ts';
import { MAX_TEXT, telegramMessage } from './payload.ts';

const TOKEN = '123456:AAbase';
const options = (extra: Record<string, unknown> = {}): TelegramOptions => telegramSchema.parse({ token: TOKEN, chatid: '-1001234567890', ...extra });
const notice = priorityAlerts().find((a) => a.priority === 'Notice')!;

/** falcosidekick's text as Peregrine writes it: no "<nil>" line for a null field, evt.time with every digit (falcosidekick rounds it through a float). */
function comparable(text: string, priority: string): string {
  const exact = priorityAlerts().find((a) => a.priority === priority)!.output_fields['evt.time'];
  return text.replace(/\t {2}• \*[^*]+\*: <nil\\>\n/g, '').replace(/(\*evt\\\.time\*: )\d+/, (_, label: string) => `${label}${String((exact as { rawJSON?: string } | undefined)?.rawJSON ?? exact)}`);
}

describe('telegram message: what falcosidekick 2.34.1 posted (test/fixtures/chat/falcosidekick-notify.json)', () => {
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))('%s: the same bytes, but for null fields and evt.time\'s digits', (priority, alert) => {
    for (const [variant, extra] of [['all', {}], ['thread', { messagethreadid: '42' }]] as const) {
      const theirs = falcosidekickNotify<{ text: string }>('telegram', priority, variant);
      theirs.text = comparable(theirs.text, priority);
      expect(JSON.stringify(telegramMessage([alert], options(extra)))).toBe(JSON.stringify(theirs));
    }
  });
});

describe('telegram message: layout and escaping', () => {
  it('a backslash: falcosidekick\'s recorded text is refused by Telegram ("." left unescaped), Peregrine\'s parses to the alert\'s own text', () => {
    const recorded = fixtureJson<{ 'telegram-backslash': { input: AlertInput; sent: { text: string } } }>('chat/falcosidekick-notify.json')['telegram-backslash'];
    expect(parseMarkdownV2(recorded.sent.text).error).toBe("can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
    const ours = telegramMessage([freezeAlert(toAlert(recorded.input))], options({ chatid: '-100' }));
    expect(parseMarkdownV2(ours.text)).toEqual({
      plain: '[Falco] [Warning] r\n\n• Time: 2026-11-20 10:21:36 +0000 UTC\n• Source: syscall\n• Hostname: \n• Tags: \n• Fields:\n\t  • proc.cmdline: grep \\.\n\n\nOutput: grep \\. C:\\temp\n',
    });
  });

  it('one alert, written out', () => {
    expect(telegramMessage([notice], options())).toEqual({
      text:
        '*\\[Falco\\] \\[Notice\\] Terminal shell in container*\n\n' +
        '• *Time*: 2026\\-11\\-20 10:21:36\\.167531875 \\+0000 UTC\n' +
        '• *Source*: syscall\n' +
        '• *Hostname*: node\\-1\n' +
        '• *Tags*: T1059 container mitre\\_execution shell \n' +
        '• *Fields*:\n' +
        '\t  • *container\\.id*: 1f0a2e5c8d3b\n' +
        '\t  • *evt\\.time*: 1700000000167531875\n' +
        '\t  • *k8s\\.ns\\.name*: default\n' +
        '\t  • *k8s\\.pod\\.name*: web\\-7d9\n' +
        '\t  • *proc\\.cmdline*: sh \\-c id\n' +
        '\t  • *user\\.name*: root\n' +
        '\n\n' +
        '**Output**: 10:21:36\\.167531875: Notice A shell was spawned in a container \\(user\\=root container\\=1f0a2e5c8d3b shell\\=sh cmdline\\=sh \\-c id\\)\n',
      parse_mode: 'MarkdownV2',
      disable_web_page_preview: true,
      chat_id: '-1001234567890',
    });
  });

  it('escapes every reserved character and the backslash (falcosidekick leaves "\\" alone: Telegram drops it or refuses the message)', () => {
    const reserved = '_*[]()~`>#+-=|{}.!\\';
    expect(escapeMarkdownV2(`a${reserved}b`)).toBe(`a${[...reserved].map((c) => `\\${c}`).join('')}b`);
    const [alert] = testAlerts(1, { output: 'grep \\. C:\\temp *x* [y](z)', output_fields: { 'proc.cmdline': 'a\\b_c' } });
    const text = telegramMessage([alert!], options()).text;
    expect(parseMarkdownV2(text).error).toBeUndefined();
    expect(parseMarkdownV2(text).plain).toContain('grep \\. C:\\temp *x* [y](z)');
    expect(parseMarkdownV2(text).plain).toContain('proc.cmdline: a\\b_c');
  });
});

describe('telegram message: a batch and Telegram\'s 4,096 characters', () => {
  it('up to summaryafter + 1 alerts in full, in order; past it, summaryafter and a summary', () => {
    expect(telegramMessage(testAlerts(4), options()).text.match(/\[Notice\\\]/g)).toHaveLength(4);
    const alerts = [...testAlerts(3), ...testAlerts(2, { rule: 'Write below etc' }, 'Critical'), ...testAlerts(3, { hostname: 'node-2' })];
    const text = telegramMessage(alerts, options()).text;
    expect(text.match(/\*\\\[Falco\\\]/g)).toHaveLength(3);
    expect(text.slice(text.indexOf('*and '))).toBe(
      '*and 5 more*: Terminal shell in container ×3, Write below etc ×2\n' +
        '• *Priority*: Critical ×2, Notice ×3\n' +
        '• *Hostname*: node\\-1, node\\-2\n' +
        '• *Time*: 2026\\-11\\-20 10:21:36\\.167531875 \\+0000 UTC – 2026\\-11\\-20 10:21:36\\.167531875 \\+0000 UTC\n' +
        '_Folded into one message: Telegram takes about 20 messages a minute in a group\\._\n',
    );
    expect(parseMarkdownV2(text).error).toBeUndefined();
  });

  it('alerts too long together: fewer in full; one alone too long: its texts cut, then the text at a line end; always valid MarkdownV2', () => {
    const long = (n: number) => '.'.repeat(n);
    const three = telegramMessage(testAlerts(3, { output: long(1500) }), options()).text;
    expect(three.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(three.match(/\*\\\[Falco\\\]/g)).toHaveLength(1);
    expect(three).toContain('*and 2 more*');
    const fields = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${String(i).padStart(3, '0')}`, long(100)]));
    const [huge] = testAlerts(1, { output: long(9000), output_fields: fields });
    const text = telegramMessage([huge!], options()).text;
    expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(text.endsWith('\n…')).toBe(true);
    expect(parseMarkdownV2(text).error).toBeUndefined();
  });

  it('a burst whose one alert shown in full is itself too long (many fields): the alert is cut, the summary of the other 49 kept whole', () => {
    const notice = priorityAlerts().find((a) => a.priority === 'Notice')!;
    const wide = (i: number, fields: number) =>
      freezeAlert(toAlert({ ...notice, uuid: `u${i}`, rule: `Rule ${i}`, tags: [], output_fields: Object.fromEntries(Array.from({ length: fields }, (_, f) => [`k8s.pod.label.component_${f}`, `registry.k8s.io/kube-proxy:v1.29.0-${f}.eks-a.b-c.d-e.f-g.h-i.j-k.l-m.n`])) } as unknown as AlertInput));
    const m = telegramMessage([wide(0, 32), ...Array.from({ length: 49 }, (_, i) => wide(i + 1, 1))], telegramSchema.parse({ token: '1:a', chatid: '1' }));
    expect(m.text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(m.text).toContain('*and 49 more*');
    expect(m.text.startsWith('*\\[Falco\\] \\[Notice\\] Rule 0*')).toBe(true);
    expect(() => parseMarkdownV2(m.text)).not.toThrow();
  });

  it('cutAtLine never cuts inside bold, italic or an escape', () => {
    expect(cutAtLine('*a\nb*\nc\nd', 8)).toBe('*a\nb*\n…');
    expect(cutAtLine('short', 10)).toBe('short');
    expect(cutAtLine('_x\ny_z\nw', 7)).toBe('\n…');
  });
});

describe('telegram options', () => {
  it('loads falcosidekick\'s keys from env vars; the token is a secret', () => {
    const loaded = configFromEnv({ TELEGRAM_TOKEN: TOKEN, TELEGRAM_CHATID: '-100', TELEGRAM_MESSAGETHREADID: '42', TELEGRAM_CHECKCERT: 'false', TELEGRAM_MINIMUMPRIORITY: 'warning' });
    expect(loaded.config).toMatchObject({ telegram: { token: TOKEN, chatid: '-100', messagethreadid: '42', checkcert: false, minimumpriority: 'warning', apiurl: 'https://api.telegram.org', summaryafter: 3 } });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('AAbase');
    expect(shown).toContain('"token":"***"');
  });

  it('on with both token and chatid, as in falcosidekick', () => {
    expect(configFromEnv({ TELEGRAM_TOKEN: TOKEN }).enabled).not.toContain('telegram');
    expect(configFromEnv({ TELEGRAM_CHATID: '-100' }).enabled).not.toContain('telegram');
    expect(configFromEnv({ TELEGRAM_TOKEN: TOKEN, TELEGRAM_CHATID: '-100' }).enabled).toContain('telegram');
  });

  it('chatid and messagethreadid written as YAML numbers, as falcosidekick reads them', () => {
    const options = telegramSchema.parse({ token: '1:a', chatid: -1001234567890, messagethreadid: 42 });
    expect([options.chatid, options.messagethreadid]).toEqual(['-1001234567890', '42']);
    expect(telegramSchema.safeParse({ token: '1:a', chatid: '1', messagethreadid: 1.5 }).success).toBe(false);
  });

  it('a malformed token or topic id: a startup problem naming the key', () => {
    expect(envProblems({ TELEGRAM_TOKEN: 'abc def', TELEGRAM_CHATID: '-100' })).toEqual(['telegram.token: is not a bot token (digits, ":", then letters, digits, "_" or "-")']);
    expect(envProblems({ TELEGRAM_TOKEN: TOKEN, TELEGRAM_CHATID: '-100', TELEGRAM_MESSAGETHREADID: 'general' })).toEqual(['telegram.messagethreadid: must be a topic id (digits)']);
    expect(validateTelegram(options())).toEqual([]);
  });
});
