// Mattermost messages against what falcosidekick 2.34.1 posted for the same alerts, for every
// priority and outputformat (recorded from its build), and the keys as users write them.
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { redactConfig } from '../../src/config/redact.ts';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { comparableAttachments, falcosidekickSent } from '../../test/support/falcosidekick-chat.ts';
import { outputs } from '../../test/support/outputs.ts';
import { slackMessage } from '../slack/payload.ts';
import { summaryMessage } from '../slack/summary.ts';
import { MATTERMOST } from './index.ts';
import { mattermostSchema } from './options.ts';

const URL = 'https://mattermost.example.com/hooks/abcdefghijklmnopqrstuvwxyz';
const options = (extra: Record<string, unknown> = {}) => mattermostSchema.parse({ webhookurl: URL, ...extra });
const alerts = priorityAlerts();

describe('mattermost message: falcosidekick\'s, byte for byte', () => {
  describe.each(alerts.map((a) => [a.priority, a] as const))('%s', (priority, alert) => {
    it.each(['all', 'text', 'fields'])('outputformat %s', (format) => {
      const [ours, theirs] = comparableAttachments(slackMessage(alert, options({ outputformat: format }), undefined, MATTERMOST) as never, falcosidekickSent('mattermost', priority, format), priority);
      expect(ours).toBe(theirs);
    });

    it('icon "" and footer "": falcosidekick\'s plain logo and its footer', () => {
      const [ours, theirs] = comparableAttachments(slackMessage(alert, options({ icon: '', footer: '' }), undefined, MATTERMOST) as never, falcosidekickSent('mattermost', priority, 'noicon'), priority);
      expect(ours).toBe(theirs);
    });
  });

  it('puts the hostname second, as falcosidekick does for Mattermost (Slack: after source)', () => {
    const notice = alerts.find((a) => a.priority === 'Notice')!;
    expect(slackMessage(notice, options(), undefined, MATTERMOST).attachments[0]?.fields?.slice(0, 4).map((f) => f.title)).toEqual(['rule', 'hostname', 'priority', 'source']);
  });

  it('a summary says why it folded, in Mattermost\'s words', () => {
    const [attachment] = summaryMessage(alerts, options(), MATTERMOST).attachments;
    expect(attachment?.text).toBe(`and 8 more: ${alerts.map((a) => `${a.rule} ×1`).join(', ')}\n_Folded into one message so that a burst does not flood the channel (mattermost.summaryafter)._`);
    expect(attachment?.footer).toBe('https://github.com/falcosecurity/falcosidekick');
  });
});

describe('mattermost options', () => {
  it('loads falcosidekick\'s keys from env vars; the webhook URL is a secret', () => {
    const loaded = loadConfig({ env: { MATTERMOST_WEBHOOKURL: URL, MATTERMOST_USERNAME: 'Falco', MATTERMOST_OUTPUTFORMAT: 'Text', MATTERMOST_MINIMUMPRIORITY: 'warning' }, plugins: outputs, cwd: tmpdir() });
    expect(loaded.config).toMatchObject({ mattermost: { webhookurl: URL, username: 'Falco', outputformat: 'text', minimumpriority: 'warning' } });
    const shown = JSON.stringify(redactConfig(loaded.schema, loaded.config as unknown as Record<string, unknown>));
    expect(shown).not.toContain('abcdefghijklmnopqrstuvwxyz');
  });

});
