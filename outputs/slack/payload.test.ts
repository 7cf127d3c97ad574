// Slack message bytes: falcosidekick 2.34.1's layout for every priority and outputformat (golden
// fixture, keys in Go's order), the message template, and the options as users write them.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { redactConfig } from '../../src/config/redact.ts';
import type { ConfigError } from '../../src/errors.ts';
import { PRIORITIES } from '../../src/alert/priority.ts';
import { compileTemplateSource } from '../../src/plugin/index.ts';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import { outputs } from '../../test/support/outputs.ts';
import { slackSchema, type SlackOptions } from './options.ts';
import { slackMessage } from './payload.ts';

const URL = 'https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnop';
const options = (extra: Record<string, unknown> = {}): SlackOptions => slackSchema.parse({ webhookurl: URL, ...extra });
const golden = fixtureJson<Record<string, Record<string, unknown>>>('chat/slack-messages.json');
const alerts = priorityAlerts();
const notice = alerts.find((a) => a.priority === 'Notice')!;

describe('slack message: falcosidekick layout', () => {
  it('has a fixture alert for each of the 8 priorities', () => {
    expect(alerts.map((a) => a.priority)).toEqual([...PRIORITIES].reverse());
  });

  describe.each(alerts.map((a) => [a.priority, a] as const))('%s', (priority, alert) => {
    it.each(['all', 'text', 'fields'])('outputformat %s: the exact message, keys in falcosidekick\'s order', (format) => {
      expect(JSON.stringify(slackMessage(alert, options({ outputformat: format })))).toBe(JSON.stringify(golden[priority]?.[format]));
    });
  });

  it('Notice, outputformat all, written out: colour, text, fields (short below 36 characters), footer', () => {
    expect(slackMessage(notice, options())).toEqual({
      username: 'Falcosidekick',
      icon_url: 'https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png',
      attachments: [
        {
          fallback: notice.output,
          color: '#5bffb5',
          text: notice.output,
          fields: [
            { title: 'rule', value: 'Terminal shell in container', short: true },
            { title: 'priority', value: 'Notice', short: true },
            { title: 'source', value: 'syscall', short: true },
            { title: 'hostname', value: 'node-1', short: true },
            { title: 'tags', value: 'T1059, container, mitre_execution, shell', short: true },
            { title: 'container.id', value: '1f0a2e5c8d3b', short: true },
            // falcosidekick drops non-string fields; Peregrine shows them, big integers exact.
            { title: 'evt.time', value: '1700000000167531875', short: true },
            { title: 'k8s.ns.name', value: 'default', short: true },
            { title: 'k8s.pod.name', value: 'web-7d9', short: true },
            { title: 'proc.cmdline', value: 'sh -c id', short: true },
            { title: 'user.name', value: 'root', short: true },
            { title: 'time', value: '2026-11-20 10:21:36.167531875 +0000 UTC', short: false },
          ],
          footer: 'https://github.com/falcosecurity/falcosidekick',
        },
      ],
    });
  });

  it('colours by priority as falcosidekick does', () => {
    const colours = Object.fromEntries(alerts.map((a) => [a.priority, slackMessage(a, options()).attachments[0]?.color]));
    expect(colours).toEqual({
      Emergency: '#e20b0b',
      Alert: '#ff5400',
      Critical: '#ff5400',
      Error: '#e20b0b',
      Warning: '#ffc700',
      Notice: '#5bffb5',
      Informational: '#68c2ff',
      Debug: '#ccfff2',
    });
  });

  it('sends channel, custom footer, and leaves out empty username and icon; an empty footer is falcosidekick\'s', () => {
    const custom = slackMessage(notice, options({ channel: '#falco', footer: 'prod-eu', username: '', icon: '' }));
    expect(Object.keys(custom)).toEqual(['channel', 'attachments']);
    expect(custom.channel).toBe('#falco');
    expect(custom.attachments[0]?.footer).toBe('prod-eu');
    expect(slackMessage(notice, options({ footer: '' })).attachments[0]?.footer).toBe('https://github.com/falcosecurity/falcosidekick');
  });
});

describe('slack.messageformat', () => {
  const render = (source: string) => {
    const compiled = compileTemplateSource(source);
    if (!compiled.ok) throw new Error(compiled.message);
    return slackMessage(notice, options({ messageformat: source }), compiled.render);
  };

  it('renders a falcosidekick Go template (on the whole alert) as the text above the attachment', () => {
    const message = render('*{{ .Priority }}* {{ .Rule }} in {{ index .OutputFields "k8s.ns.name" }} on {{ .Hostname }}');
    expect(Object.keys(message)).toEqual(['text', 'username', 'icon_url', 'attachments']);
    expect(message.text).toBe('*Notice* Terminal shell in container in default on node-1');
  });

  it('renders a Handlebars template', () => {
    expect(render('{{rule}} / {{lookup output_fields "k8s.pod.name"}}').text).toBe('Terminal shell in container / web-7d9');
  });

  it('a template that does not compile stops startup, naming slack.messageformat', () => {
    const load = (messageformat: string) =>
      loadConfig({ env: { SLACK_WEBHOOKURL: URL, SLACK_MESSAGEFORMAT: messageformat }, plugins: outputs, cwd: tmpdir() });
    expect(load('{{ .Rule }}').config).toMatchObject({ slack: { messageformat: '{{ .Rule }}' } });
    for (const bad of ['{{ if .Rule }}no end', '{{#if rule}}unclosed']) {
      let problems: ConfigError['problems'] = [];
      try {
        load(bad);
      } catch (err) {
        problems = (err as ConfigError).problems;
      }
      expect(problems.map((p) => p.path)).toEqual(['slack.messageformat']);
    }
  });
});

describe('slack options', () => {
  it('loads falcosidekick\'s keys from env vars, outputformat in any case, "" meaning all', () => {
    const { config } = loadConfig({
      env: { SLACK_WEBHOOKURL: URL, SLACK_CHANNEL: '#sec', SLACK_USERNAME: 'Falco', SLACK_ICON: '', SLACK_FOOTER: 'f', SLACK_OUTPUTFORMAT: 'FIELDS', SLACK_MINIMUMPRIORITY: 'warning' },
      plugins: outputs,
      cwd: tmpdir(),
    });
    // SLACK_ICON="" is unset, as in falcosidekick: the default icon.
    expect(config).toMatchObject({ slack: { webhookurl: URL, channel: '#sec', username: 'Falco', icon: expect.stringContaining('falcosidekick_color.png'), footer: 'f', outputformat: 'fields', minimumpriority: 'warning' } });
    expect(options({ outputformat: '' }).outputformat).toBe('all');
    expect(slackSchema.safeParse({ webhookurl: URL, outputformat: 'markdown' }).success).toBe(false);
  });

  it('treats the webhook URL as a secret', () => {
    const loaded = loadConfig({ env: { SLACK_WEBHOOKURL: URL }, plugins: outputs, cwd: tmpdir() });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('abcdefghijklmnop');
    expect(shown).toContain('"webhookurl":"***"');
  });
});
