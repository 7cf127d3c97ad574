// Google Chat message bytes: falcosidekick 2.34.1's card (keys in Go's order, the empty header it
// always sends), outputformat and messageformat, the summary of a burst, the 32,000-byte limit, and
// the options as users write them.
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { redactConfig } from '../../src/config/redact.ts';
import { compileTemplateSource } from '../../src/plugin/index.ts';
import { priorityAlerts, testAlerts } from '../../test/support/alerts.ts';
import { configFromEnv, envProblems } from '../../test/support/config.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import { googlechatSchema, type GooglechatOptions } from './options.ts';
import { googlechatMessage, MAX_MESSAGE_BYTES, messageBytes } from './payload.ts';

const URL = 'https://chat.googleapis.com/v1/spaces/AAAA/messages?key=KEY&token=abcdefghijklmnop';
const options = (extra: Record<string, unknown> = {}): GooglechatOptions => googlechatSchema.parse({ webhookurl: URL, ...extra });
const notice = priorityAlerts().find((a) => a.priority === 'Notice')!;
const validate = new Ajv({ allErrors: true }).compile(fixtureJson('chat/googlechat-webhook.schema.json'));
const valid = (message: unknown) => (validate(message) ? [] : validate.errors);
const render = (source: string) => {
  const compiled = compileTemplateSource(source);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.render;
};
const falcosidekick = fixtureJson<Record<string, Record<string, Record<string, unknown>>>>('chat/falcosidekick-chat.json');
const kv = (topLabel: string, content: string) => ({ keyValue: { topLabel, content } });

describe('googlechat message: what falcosidekick 2.34.1 posted (test/fixtures/chat/falcosidekick-chat.json)', () => {
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))('%s: the same bytes, but for the non-string output fields Peregrine adds', (priority, alert) => {
    const stringFields = Object.keys(alert.output_fields).filter((k) => typeof alert.output_fields[k] === 'string');
    const ours = googlechatMessage([alert], options());
    const widgets = ours.cards?.[0]?.sections[0]?.widgets ?? [];
    const alertKeys = new Set(['rule', 'priority', 'source', 'hostname', 'tags', 'time']);
    ours.cards![0]!.sections[0]!.widgets = widgets.filter((w) => alertKeys.has(w.keyValue.topLabel) || stringFields.includes(w.keyValue.topLabel));
    for (const variant of ['all', 'fields', 'noicon']) expect(JSON.stringify(ours)).toBe(JSON.stringify(falcosidekick.googlechat?.[priority]?.[variant]));
    // outputformat text without messageformat: falcosidekick posts {}, which Google Chat refuses; Peregrine refuses the config.
    expect(falcosidekick.googlechat?.[priority]?.text).toEqual({});
  });
});

describe('googlechat message: falcosidekick layout', () => {
  it('one alert, written out: no text, one card with an empty header and the fields as keyValue widgets', () => {
    const message = googlechatMessage([notice], options());
    expect(JSON.stringify(message)).toBe(
      JSON.stringify({
        cards: [
          {
            header: { title: '', subtitle: '' },
            sections: [
              {
                widgets: [
                  kv('rule', 'Terminal shell in container'),
                  kv('priority', 'Notice'),
                  kv('source', 'syscall'),
                  kv('hostname', 'node-1'),
                  kv('container.id', '1f0a2e5c8d3b'),
                  // falcosidekick drops non-string fields; Peregrine shows them, big integers exact.
                  kv('evt.time', '1700000000167531875'),
                  kv('k8s.ns.name', 'default'),
                  kv('k8s.pod.name', 'web-7d9'),
                  kv('proc.cmdline', 'sh -c id'),
                  kv('user.name', 'root'),
                  kv('tags', 'T1059, container, mitre_execution, shell'),
                  kv('time', '2026-11-20 10:21:36.167531875 +0000 UTC'),
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(valid(message)).toEqual([]);
  });

  it('messageformat renders the text above the card (Go template or Handlebars); outputformat text sends the text alone', () => {
    const go = googlechatMessage([notice], options({ messageformat: 'x' }), render('*{{ .Priority }}* {{ .Rule }} in {{ index .OutputFields "k8s.ns.name" }}'));
    expect(Object.keys(go)).toEqual(['text', 'cards']);
    expect(go.text).toBe('*Notice* Terminal shell in container in default');
    expect(googlechatMessage([notice], options({ outputformat: 'TEXT', messageformat: 'x' }), render('{{rule}} on {{hostname}}'))).toEqual({ text: 'Terminal shell in container on node-1' });
  });

  it('text only: an alert whose template renders empty shows its output line, so no alert is counted without a line', () => {
    const warning = priorityAlerts().find((a) => a.priority === 'Warning')!;
    const message = googlechatMessage([notice, warning], options({ outputformat: 'text', messageformat: 'x' }), () => '');
    expect(message).toEqual({ text: `${notice.output}\n${warning.output}` });
  });
});

describe('googlechat message: a batch', () => {
  const alerts = [...testAlerts(5), ...testAlerts(3, { rule: 'Write below etc' }, 'Critical'), ...testAlerts(4, { hostname: 'node-2' })];

  it('up to summaryafter + 1 alerts: one card each; past it, summaryafter cards and one summary card', () => {
    expect(googlechatMessage(testAlerts(6), options()).cards).toHaveLength(6);
    const message = googlechatMessage(alerts, options());
    expect(message.cards).toHaveLength(6);
    expect(message.cards?.[5]).toEqual({
      header: { title: 'and 7 more', subtitle: 'Folded into one message: Google Chat takes one message per second' },
      sections: [
        {
          widgets: [
            kv('rules', 'Terminal shell in container ×4, Write below etc ×3'),
            kv('priority', 'Critical ×3, Notice ×4'),
            kv('hostname', 'node-1, node-2'),
            kv('time', '2026-11-20 10:21:36.167531875 +0000 UTC – 2026-11-20 10:21:36.167531875 +0000 UTC'),
          ],
        },
      ],
    });
    expect(valid(message)).toEqual([]);
  });

  it('outputformat text: the own alerts\' texts, one per line, then a summary line', () => {
    const message = googlechatMessage(alerts, options({ outputformat: 'text', messageformat: 'x', summaryafter: 2 }), render('{{ .Rule }} ({{ .Priority }})'));
    expect(message).toEqual({
      text: 'Terminal shell in container (Notice)\nTerminal shell in container (Notice)\nand 10 more: Terminal shell in container ×7, Write below etc ×3 (Critical ×3, Notice ×7)',
    });
  });
});

describe('googlechat message: the 32,000 bytes Google Chat takes, which falcosidekick ignores', () => {
  const long = (n: number) => 'x'.repeat(n);

  it('a batch over the limit: fewer alerts get their own card, the rest go into the summary', () => {
    const message = googlechatMessage(testAlerts(8, { output_fields: { 'proc.cmdline': long(8000) } }), options());
    expect(messageBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(message.cards?.map((c) => c.header.title)).toEqual(['', '', '', 'and 5 more']);
  });

  it('one alert over the limit alone: its longest texts are cut until it fits', () => {
    const [alert] = testAlerts(1, { output_fields: { a: long(40_000), b: long(100) } });
    const message = googlechatMessage([alert!], options());
    expect(messageBytes(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const widgets = message.cards?.[0]?.sections[0]?.widgets ?? [];
    expect(widgets.find((w) => w.keyValue.topLabel === 'a')?.keyValue.content).toBe(`${long(4095)}…`);
    expect(widgets.find((w) => w.keyValue.topLabel === 'b')?.keyValue.content).toBe(long(100));
  });
});

describe('googlechat options', () => {
  const load = (env: Record<string, string>) => configFromEnv({ GOOGLECHAT_WEBHOOKURL: URL, ...env });
  const problems = (env: Record<string, string>) => envProblems({ GOOGLECHAT_WEBHOOKURL: URL, ...env });

  it('loads falcosidekick\'s keys from env vars, outputformat in any case, "" meaning all', () => {
    const { config } = load({ GOOGLECHAT_OUTPUTFORMAT: 'TEXT', GOOGLECHAT_MESSAGEFORMAT: '{{ .Rule }}', GOOGLECHAT_MINIMUMPRIORITY: 'warning' });
    expect(config).toMatchObject({ googlechat: { webhookurl: URL, outputformat: 'text', messageformat: '{{ .Rule }}', minimumpriority: 'warning', summaryafter: 5 } });
    expect(options({ outputformat: '' }).outputformat).toBe('all');
    expect(options({ outputformat: 'Fields' }).outputformat).toBe('all');
    expect(googlechatSchema.safeParse({ webhookurl: URL, outputformat: 'markdown' }).success).toBe(false);
  });

  it('a template that does not compile, or outputformat text without one, stops startup naming googlechat.messageformat', () => {
    expect(problems({ GOOGLECHAT_MESSAGEFORMAT: '{{ if .Rule }}no end' })).toEqual([expect.stringMatching(/^googlechat\.messageformat: /)]);
    expect(problems({ GOOGLECHAT_OUTPUTFORMAT: 'text' })).toEqual(['googlechat.messageformat: is required with outputformat text (the message would be empty)']);
    expect(problems({})).toEqual([]);
  });

  it('treats the webhook URL as a secret', () => {
    const loaded = load({});
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('abcdefghijklmnop');
    expect(shown).toContain('"webhookurl":"***"');
  });
});
