// Zoho Cliq message bytes: falcosidekick 2.34.1's message in each outputformat, with messageformat
// and useemoji, the summary of a burst, Cliq's 5,000 characters, and the options as users write them.
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { compileTemplateSource, FALCOSIDEKICK_ICON, FALCOSIDEKICK_PLAIN_ICON } from '../../src/plugin/index.ts';
import { priorityAlerts, testAlerts } from '../../test/support/alerts.ts';
import { validateCliqMessage } from '../../test/support/cliq-receiver.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import { falcosidekickNotify } from '../../test/support/falcosidekick-notify.ts';
import { cliqSchema, type CliqOptions } from './options.ts';
import { cliqMessage, MAX_TEXT, type CliqMessage } from './payload.ts';

const URL = 'https://cliq.zoho.com/api/v2/channelsbyname/alerts/message?zapikey=1001.abcdefsecret';
const options = (extra: Record<string, unknown> = {}): CliqOptions => cliqSchema.parse({ webhookurl: URL, ...extra });
const render = (source: string) => {
  const compiled = compileTemplateSource(source);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.render;
};
const notice = priorityAlerts().find((a) => a.priority === 'Notice')!;
const FORMAT = 'Alert {{ .Rule }} on {{ .Hostname }}';
const row = (field: string, value: string) => ({ field, value });

describe('cliq message: what falcosidekick 2.34.1 posted (test/fixtures/chat/falcosidekick-notify.json)', () => {
  const variants = [
    ['all', {}, undefined],
    ['fields', { outputformat: 'fields' }, undefined],
    ['text', { outputformat: 'text' }, undefined],
    ['messageformat', { messageformat: FORMAT, useemoji: true }, FORMAT],
    ['textmessageformat', { outputformat: 'text', messageformat: FORMAT }, FORMAT],
  ] as const;
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))(
    '%s, in every outputformat: the same bytes, but for the non-string output fields Peregrine adds and the empty texts Cliq refuses',
    (priority, alert) => {
      const stringFields = new Set(Object.keys(alert.output_fields).filter((k) => typeof alert.output_fields[k] === 'string'));
      for (const [variant, extra, format] of variants) {
        const ours = cliqMessage([alert], options(extra), format ? render(format) : undefined);
        for (const slide of ours.slides ?? []) if (slide.type === 'table') slide.data.rows = slide.data.rows.filter((r) => ['rule', 'priority', 'hostname', 'time'].includes(r.field) || stringFields.has(r.field));
        const theirs = falcosidekickNotify<CliqMessage>('cliq', priority, variant);
        // The Debug alert has no output line: falcosidekick sends "" (text) and an empty text slide, Cliq refuses both; Peregrine sends the rule and no slide.
        if (theirs.text === '') theirs.text = alert.rule;
        if (theirs.slides) theirs.slides = theirs.slides.filter((s) => !(s.type === 'text' && s.data === ''));
        if (theirs.slides?.length === 0) delete theirs.slides;
        expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
        expect(validateCliqMessage(ours as unknown as Record<string, unknown>)).toEqual([]);
      }
    },
  );
});

describe('cliq message', () => {
  it('one alert, written out: the output line, the bot, one table (numbers shown, nulls left out)', () => {
    expect(cliqMessage([notice], options())).toEqual({
      text: notice.output,
      bot: { name: 'Falcosidekick', image: FALCOSIDEKICK_ICON },
      slides: [
        {
          type: 'table',
          data: {
            headers: ['field', 'value'],
            rows: [
              row('rule', 'Terminal shell in container'),
              row('priority', 'Notice'),
              row('hostname', 'node-1'),
              row('container.id', '1f0a2e5c8d3b'),
              row('evt.time', '1700000000167531875'),
              row('k8s.ns.name', 'default'),
              row('k8s.pod.name', 'web-7d9'),
              row('proc.cmdline', 'sh -c id'),
              row('user.name', 'root'),
              row('time', '2026-11-20 10:21:36.167531875 +0000 UTC'),
            ],
          },
        },
      ],
    });
    expect(cliqMessage([notice], options({ icon: '' })).bot.image).toBe(FALCOSIDEKICK_PLAIN_ICON);
  });

  it('a burst: summaryafter alerts in full (texts one per line), then one summary table', () => {
    const alerts = [...testAlerts(3), ...testAlerts(2, { rule: 'Write below etc' }, 'Critical'), ...testAlerts(3, { hostname: 'node-2' })];
    const message = cliqMessage(alerts, options({ useemoji: true }));
    expect(message.text.split('\n')).toEqual([`🔵 ${alerts[0]!.output}`, `🔵 ${alerts[1]!.output}`, `🔵 ${alerts[2]!.output}`]);
    expect(message.slides).toHaveLength(4);
    expect(message.slides?.[3]).toEqual({
      type: 'table',
      title: 'and 5 more (folded into one message: Cliq takes 20 messages a minute)',
      data: {
        headers: ['field', 'value'],
        rows: [
          row('rules', 'Terminal shell in container ×3, Write below etc ×2'),
          row('priority', 'Critical ×2, Notice ×3'),
          row('hostname', 'node-1, node-2'),
          row('time', '2026-11-20 10:21:36.167531875 +0000 UTC – 2026-11-20 10:21:36.167531875 +0000 UTC'),
        ],
      },
    });
    const text = cliqMessage(alerts, options({ outputformat: 'text' }));
    expect(text.slides).toBeUndefined();
    expect(text.text.split('\n').at(-1)).toBe('and 5 more: Terminal shell in container ×3, Write below etc ×2 (Critical ×2, Notice ×3)');
    expect(cliqMessage(testAlerts(4), options()).slides).toHaveLength(4);
  });

  it('within 5,000 characters: fewer alerts in full, then texts cut', () => {
    const two = cliqMessage(testAlerts(3, { output: 'o'.repeat(2000) }), options());
    expect(two.text.split('\n')).toEqual(['o'.repeat(2000), 'o'.repeat(2000)]);
    expect(two.slides?.at(-1)).toMatchObject({ title: expect.stringMatching(/^and 1 more/) });
    const [huge] = testAlerts(1, { output: 'o'.repeat(9000) });
    const message = cliqMessage([huge!], options({ messageformat: '{{ .Output }}' }), render('{{ .Output }}'));
    expect(message.text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(validateCliqMessage(message as unknown as Record<string, unknown>)).toEqual([]);
  });
});

describe('cliq options', () => {
  it('loads falcosidekick\'s keys from env vars; the webhook URL is a secret', () => {
    const loaded = configFromEnv({ CLIQ_WEBHOOKURL: URL, CLIQ_OUTPUTFORMAT: 'FIELDS', CLIQ_USEEMOJI: 'true', CLIQ_MESSAGEFORMAT: FORMAT, CLIQ_ICON: 'https://example.com/i.png' });
    expect(loaded.config).toMatchObject({ cliq: { webhookurl: URL, outputformat: 'fields', useemoji: true, messageformat: FORMAT, icon: 'https://example.com/i.png', summaryafter: 3 } });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('abcdefsecret');
    expect(configFromEnv({ CLIQ_WEBHOOKURL: URL, CLIQ_OUTPUTFORMAT: '' }).config).toMatchObject({ cliq: { outputformat: 'all' } });
  });

  it('an unknown outputformat or a template that does not compile: a startup problem naming the key', () => {
    expect(envProblems({ CLIQ_WEBHOOKURL: URL, CLIQ_OUTPUTFORMAT: 'table' })).toEqual(['cliq.outputformat: must be all, text or fields']);
    expect(envProblems({ CLIQ_WEBHOOKURL: URL, CLIQ_MESSAGEFORMAT: '{{ .Rule ' })).toHaveLength(1);
  });
});
