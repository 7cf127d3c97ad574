// Teams card bytes for every priority and outputformat: the Adaptive Card (golden fixture, and
// valid against the Adaptive Card 1.4 schema subset with the Workflows envelope) and falcosidekick's
// MessageCard, plus the options as users write them.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../src/alert/priority.ts';
import { loadConfig } from '../../src/config/load.ts';
import { redactConfig } from '../../src/config/redact.ts';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { fixtureJson } from '../../test/support/fixtures.ts';
import { validateWorkflowsCard } from '../../test/support/teams-receiver.ts';
import { outputs } from '../../test/support/outputs.ts';
import { adaptiveCardMessage } from './adaptive-card.ts';
import { messageCard } from './messagecard.ts';
import { teamsSchema, type TeamsOptions } from './options.ts';

const URL = 'https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=s3cr3tsig';
const options = (extra: Record<string, unknown> = {}): TeamsOptions => teamsSchema.parse({ webhookurl: URL, ...extra });
const adaptive = fixtureJson<Record<string, Record<string, unknown>>>('chat/teams-adaptivecard.json');
const legacy = fixtureJson<Record<string, Record<string, unknown>>>('chat/teams-messagecard.json');
const alerts = priorityAlerts();
const notice = alerts.find((a) => a.priority === 'Notice')!;

describe.each(alerts.map((a) => [a.priority, a] as const))('teams %s', (priority, alert) => {
  it.each(['all', 'text', 'facts'])('adaptive card, outputformat %s: exact, and valid Adaptive Card 1.4 in the Workflows envelope', (format) => {
    const message = adaptiveCardMessage(alert, options({ outputformat: format }));
    expect(JSON.stringify(message)).toBe(JSON.stringify(adaptive[priority]?.[format]));
    expect(validateWorkflowsCard(message), JSON.stringify(validateWorkflowsCard.errors)).toBe(true);
  });

  it.each(['all', 'text', 'facts'])('messagecard, outputformat %s: falcosidekick\'s exact card', (format) => {
    expect(JSON.stringify(messageCard(alert, options({ outputformat: format, format: 'messagecard' })))).toBe(JSON.stringify(legacy[priority]?.[format]));
  });
});

describe('teams cards', () => {
  it('covers the 8 priorities', () => {
    expect(alerts.map((a) => a.priority)).toEqual([...PRIORITIES].reverse());
  });

  it('adaptive card, written out for Notice: styled header with the rule, the output line, the facts', () => {
    const content = adaptiveCardMessage(notice, options({ activityimage: '' })).attachments[0].content;
    expect(content).toEqual({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
      fallbackText: 'Notice: Terminal shell in container',
      body: [
        {
          type: 'Container',
          style: 'accent',
          bleed: true,
          items: [
            {
              type: 'ColumnSet',
              columns: [
                {
                  type: 'Column',
                  width: 'stretch',
                  verticalContentAlignment: 'center',
                  items: [
                    { type: 'TextBlock', text: 'Terminal shell in container', weight: 'bolder', size: 'medium', wrap: true },
                    { type: 'TextBlock', text: 'Notice · 2026-11-20T10:21:36.167531875Z', color: 'accent', weight: 'bolder', spacing: 'none', wrap: true },
                  ],
                },
              ],
            },
          ],
        },
        { type: 'TextBlock', text: notice.output, wrap: true },
        {
          type: 'FactSet',
          facts: [
            { title: 'rule', value: 'Terminal shell in container' },
            { title: 'priority', value: 'Notice' },
            { title: 'source', value: 'syscall' },
            { title: 'hostname', value: 'node-1' },
            { title: 'container.id', value: '1f0a2e5c8d3b' },
            { title: 'evt.time', value: '1700000000167531875' },
            { title: 'k8s.ns.name', value: 'default' },
            { title: 'k8s.pod.name', value: 'web-7d9' },
            { title: 'proc.cmdline', value: 'sh -c id' },
            { title: 'user.name', value: 'root' },
            { title: 'tags', value: 'T1059, container, mitre_execution, shell' },
          ],
          separator: true,
        },
      ],
    });
  });

  it('header style and priority colour follow the priority', () => {
    const styles = alerts.map((a) => {
      const header = adaptiveCardMessage(a, options()).attachments[0].content.body as { style: string; items: { columns: { items: { color?: string }[] }[] }[] }[];
      return [a.priority, header[0]?.style, header[0]?.items[0]?.columns[1]?.items[1]?.color];
    });
    expect(styles).toEqual([
      ['Emergency', 'attention', 'attention'],
      ['Alert', 'attention', 'attention'],
      ['Critical', 'attention', 'attention'],
      ['Error', 'attention', 'attention'],
      ['Warning', 'warning', 'warning'],
      ['Notice', 'accent', 'accent'],
      ['Informational', 'emphasis', 'default'],
      ['Debug', 'default', 'default'],
    ]);
  });

  it('messagecard, written out for Notice with outputformat facts: text empty, theme colour, no image when activityimage is ""', () => {
    expect(messageCard(notice, options({ format: 'messagecard', outputformat: 'facts', activityimage: '' }))).toEqual({
      '@type': 'MessageCard',
      summary: notice.output,
      themeColor: '5bffb5',
      sections: [
        {
          activityTitle: 'Falcosidekick',
          activitySubtitle: '2026-11-20 10:21:36.167531875 +0000 UTC',
          text: '',
          facts: expect.arrayContaining([{ name: 'rule', value: 'Terminal shell in container' }, { name: 'tags', value: 'T1059, container, mitre_execution, shell' }]),
        },
      ],
    });
  });

  it('the schema the receiver validates with refuses what Teams would refuse', () => {
    const good = adaptiveCardMessage(notice, options());
    const broken = structuredClone(good) as unknown as { attachments: { content: { body: Record<string, unknown>[] } }[] };
    broken.attachments[0]!.content.body[0]!.style = 'danger';
    expect(validateWorkflowsCard(broken)).toBe(false);
    const unknownKey = structuredClone(good) as unknown as { attachments: { content: Record<string, unknown> }[] };
    unknownKey.attachments[0]!.content.msteams = { width: 'Full' };
    expect(validateWorkflowsCard(unknownKey)).toBe(false);
  });
});

describe('teams options', () => {
  it('loads falcosidekick\'s keys from env vars; format defaults to adaptivecard', () => {
    const { config } = loadConfig({
      env: { TEAMS_WEBHOOKURL: URL, TEAMS_ACTIVITYIMAGE: '', TEAMS_OUTPUTFORMAT: 'Facts', TEAMS_MINIMUMPRIORITY: 'error' },
      plugins: outputs,
      cwd: tmpdir(),
    });
    // TEAMS_ACTIVITYIMAGE="" is unset, as in falcosidekick: the default image.
    expect(config).toMatchObject({ teams: { webhookurl: URL, activityimage: expect.stringContaining('falcosidekick_color.png'), outputformat: 'facts', format: 'adaptivecard', minimumpriority: 'error' } });
    expect(options({ format: 'MessageCard' }).format).toBe('messagecard');
    expect(teamsSchema.safeParse({ webhookurl: URL, format: 'o365' }).success).toBe(false);
    expect(teamsSchema.safeParse({ webhookurl: URL, outputformat: 'fields' }).success).toBe(false);
  });

  it('treats the webhook URL (it carries the signature) as a secret', () => {
    const loaded = loadConfig({ env: { TEAMS_WEBHOOKURL: URL }, plugins: outputs, cwd: tmpdir() });
    expect(JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>))).not.toContain('s3cr3tsig');
  });
});
