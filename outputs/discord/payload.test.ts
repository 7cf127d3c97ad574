// Discord message bytes: falcosidekick 2.34.1's embed (keys in Go's order, colour as Discord's
// integer), the summary of a burst, Discord's embed limits, and the options as users write them.
import { tmpdir } from 'node:os';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { redactConfig } from '../../src/config/redact.ts';
import { priorityAlerts, testAlerts } from '../../test/support/alerts.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import { outputs } from '../../test/support/outputs.ts';
import { discordSchema, type DiscordOptions } from './options.ts';
import { FALCOSIDEKICK_PLAIN_ICON } from '../../src/plugin/index.ts';
import { discordMessage, embedChars, LIMITS } from './payload.ts';

const URL = 'https://discord.com/api/webhooks/1100000000000000001/abcdefghijklmnop';
const options = (extra: Record<string, unknown> = {}): DiscordOptions => discordSchema.parse({ webhookurl: URL, ...extra });
const notice = priorityAlerts().find((a) => a.priority === 'Notice')!;
const falcosidekick = fixtureJson<Record<string, Record<string, Record<string, unknown>>>>('chat/falcosidekick-chat.json');
const validate = new Ajv({ allErrors: true }).compile(fixtureJson('chat/discord-webhook.schema.json'));
const valid = (message: unknown) => (validate(message) ? [] : validate.errors);

describe('discord message: what falcosidekick 2.34.1 posted (test/fixtures/chat/falcosidekick-chat.json)', () => {
  it.each(priorityAlerts().map((a) => [a.priority, a] as const))('%s: the same bytes, but for the integer colour and the non-string output fields Peregrine adds', (priority, alert) => {
    const stringFields = Object.keys(alert.output_fields).filter((k) => typeof alert.output_fields[k] === 'string');
    const alertKeys = new Set(['rule', 'priority', 'source', 'hostname', 'tags', 'time']);
    for (const [variant, extra] of [['all', {}], ['noicon', { icon: '' }]] as const) {
      const ours = discordMessage([alert], options(extra)) as unknown as { embeds: { color: unknown; fields: { name: string }[] }[] };
      const embed = ours.embeds[0]!;
      embed.color = String(embed.color);
      embed.fields = embed.fields.filter((f) => alertKeys.has(f.name) || stringFields.includes(f.name));
      expect(JSON.stringify(ours)).toBe(JSON.stringify(falcosidekick.discord?.[priority]?.[variant]));
    }
  });
});

describe('discord message: falcosidekick layout', () => {
  it('one alert, written out: content "", avatar, one embed with description, integer colour and inline fields', () => {
    const message = discordMessage([notice], options());
    expect(JSON.stringify(message)).toBe(
      JSON.stringify({
        content: '',
        avatar_url: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png',
        embeds: [
          {
            title: '',
            url: '',
            description: notice.output,
            color: 3066993,
            fields: [
              { name: 'rule', value: 'Terminal shell in container', inline: true },
              { name: 'priority', value: 'Notice', inline: true },
              { name: 'source', value: 'syscall', inline: true },
              { name: 'hostname', value: 'node-1', inline: true },
              { name: 'container.id', value: '```1f0a2e5c8d3b```', inline: true },
              // falcosidekick drops non-string fields; Peregrine shows them, big integers exact.
              { name: 'evt.time', value: '```1700000000167531875```', inline: true },
              { name: 'k8s.ns.name', value: '```default```', inline: true },
              { name: 'k8s.pod.name', value: '```web-7d9```', inline: true },
              { name: 'proc.cmdline', value: '```sh -c id```', inline: true },
              { name: 'user.name', value: '```root```', inline: true },
              // After the output fields, as falcosidekick orders Discord's fields (Slack has them before).
              { name: 'tags', value: 'T1059, container, mitre_execution, shell', inline: true },
              { name: 'time', value: '2026-11-20 10:21:36.167531875 +0000 UTC', inline: true },
            ],
          },
        ],
      }),
    );
    expect(valid(message)).toEqual([]);
  });

  it('colours by priority as falcosidekick does, as integers', () => {
    const colours = Object.fromEntries(priorityAlerts().map((a) => [a.priority, discordMessage([a], options()).embeds[0]?.color]));
    expect(colours).toEqual({
      Emergency: 15158332,
      Alert: 11027200,
      Critical: 15105570,
      Error: 15844367,
      Warning: 12745742,
      Notice: 3066993,
      Informational: 3447003,
      Debug: 12370112,
    });
  });

  it('an empty icon sends falcosidekick\'s plain logo; no hostname and no tags leave their fields out', () => {
    const [bare] = testAlerts(1, { hostname: undefined, tags: [] });
    const message = discordMessage([bare!], options({ icon: '' }));
    expect(message.avatar_url).toBe(FALCOSIDEKICK_PLAIN_ICON);
    expect(message.embeds[0]?.fields.map((f) => f.name)).toEqual(['rule', 'priority', 'source', 'container.id', 'evt.time', 'k8s.ns.name', 'k8s.pod.name', 'proc.cmdline', 'user.name', 'time']);
  });
});

describe('discord message: a batch', () => {
  it('up to summaryafter + 1 alerts: one embed each, in order', () => {
    const message = discordMessage(testAlerts(6), options());
    expect(message.embeds).toHaveLength(6);
    expect(message.embeds.map((e) => e.fields.find((f) => f.name === 'evt.time')?.value)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `\`\`\`${1700000000167531875n + BigInt(i)}\`\`\``));
  });

  it('past it: summaryafter embeds and one summary embed naming the rules, priorities, hosts and time span', () => {
    const alerts = [...testAlerts(5), ...testAlerts(3, { rule: 'Write below etc' }, 'Critical'), ...testAlerts(4, { hostname: 'node-2' })];
    const message = discordMessage(alerts, options());
    expect(message.embeds).toHaveLength(6);
    expect(message.embeds[5]).toEqual({
      title: 'and 7 more',
      description: 'Terminal shell in container ×4, Write below etc ×3\n*Folded into one message to stay within Discord\'s rate limit of about 30 messages a minute per channel.*',
      color: 15105570,
      fields: [
        { name: 'priority', value: 'Critical ×3, Notice ×4', inline: false },
        { name: 'hostname', value: 'node-1, node-2', inline: false },
        { name: 'time', value: '2026-11-20 10:21:36.167531875 +0000 UTC – 2026-11-20 10:21:36.167531875 +0000 UTC', inline: false },
      ],
    });
    expect(valid(message)).toEqual([]);
    expect(discordMessage(alerts, options({ summaryafter: 2 })).embeds.map((e) => e.title)).toEqual(['', '', 'and 10 more']);
  });
});

describe('discord message: Discord\'s embed limits, which falcosidekick ignores', () => {
  const long = (n: number) => 'x'.repeat(n);

  it('a field value over 1,024 characters and a description over 4,096 are cut, ending in …', () => {
    const [alert] = testAlerts(1, { output: long(5000), output_fields: { 'proc.cmdline': long(3000) } });
    const embed = discordMessage([alert!], options()).embeds[0]!;
    expect(embed.description).toHaveLength(LIMITS.description);
    expect(embed.description.endsWith('…')).toBe(true);
    const cmdline = embed.fields.find((f) => f.name === 'proc.cmdline')!.value;
    expect(cmdline).toHaveLength(LIMITS.fieldValue);
    expect(cmdline.endsWith('…```')).toBe(true);
  });

  it('more than 25 fields: the first output fields, one field naming the rest, tags and time', () => {
    const fields = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${String(i).padStart(2, '0')}`, 'v']));
    const [alert] = testAlerts(1, { output_fields: fields });
    const embed = discordMessage([alert!], options()).embeds[0]!;
    expect(embed.fields).toHaveLength(25);
    expect(embed.fields.slice(-3)).toEqual([
      { name: '12 more fields', value: 'f18, f19, f20, f21, f22, f23, f24, f25, f26, f27, f28, f29', inline: true },
      { name: 'tags', value: 'T1059, container, mitre_execution, shell', inline: true },
      { name: 'time', value: '2026-11-20 10:21:36.167531875 +0000 UTC', inline: true },
    ]);
  });

  it('a batch over 6,000 characters: fewer alerts get their own embed, the rest go into the summary', () => {
    const alerts = testAlerts(8, { output: long(1500) });
    const message = discordMessage(alerts, options());
    expect(embedChars(message)).toBeLessThanOrEqual(LIMITS.total);
    expect(message.embeds.map((e) => e.title)).toEqual(['', '', '', 'and 5 more']);
    expect(message.embeds[0]?.description).toBe(long(1500));
    expect(valid(message)).toEqual([]);
  });

  it('one alert over 6,000 characters alone: its longest texts are cut until it fits', () => {
    const fields = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, long(1000)]));
    const [alert] = testAlerts(1, { output: long(4000), output_fields: fields });
    const message = discordMessage([alert!], options());
    expect(embedChars(message)).toBeLessThanOrEqual(LIMITS.total);
    expect(message.embeds[0]?.description).toBe(`${long(511)}…`);
    expect(valid(message)).toEqual([]);
  });
});

describe('discord options', () => {
  it('loads falcosidekick\'s keys from env vars', () => {
    const { config } = loadConfig({ env: { DISCORD_WEBHOOKURL: URL, DISCORD_ICON: 'https://example.com/i.png', DISCORD_MINIMUMPRIORITY: 'warning' }, plugins: outputs, cwd: tmpdir() });
    expect(config).toMatchObject({ discord: { webhookurl: URL, icon: 'https://example.com/i.png', minimumpriority: 'warning', summaryafter: 5 } });
  });

  it('treats the webhook URL as a secret', () => {
    const loaded = loadConfig({ env: { DISCORD_WEBHOOKURL: URL }, plugins: outputs, cwd: tmpdir() });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('abcdefghijklmnop');
    expect(shown).toContain('"webhookurl":"***"');
  });
});
