// Rocket.Chat messages against what falcosidekick 2.34.1 posted for the same alerts, for every
// priority and outputformat (recorded from its build); where Peregrine differs on purpose (text).
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { comparableAttachments, falcosidekickSent } from '../../test/support/falcosidekick-chat.ts';
import { outputs } from '../../test/support/outputs.ts';
import { slackMessage } from '../slack/payload.ts';
import { summaryMessage } from '../slack/summary.ts';
import { ROCKETCHAT } from './index.ts';
import { rocketchatSchema } from './options.ts';

const URL = 'https://rocketchat.example.com/hooks/iiiiiiiiiiiiiiiii/tttttttttttttttttttttttt';
const options = (extra: Record<string, unknown> = {}) => rocketchatSchema.parse({ webhookurl: URL, ...extra });
const alerts = priorityAlerts();

describe('rocketchat message: falcosidekick\'s, byte for byte', () => {
  describe.each(alerts.map((a) => [a.priority, a] as const))('%s', (priority, alert) => {
    it.each(['all', 'fields'])('outputformat %s: hostname last, no footer', (format) => {
      const [ours, theirs] = comparableAttachments(slackMessage(alert, options({ outputformat: format }), undefined, ROCKETCHAT) as never, falcosidekickSent('rocketchat', priority, format), priority);
      expect(ours).toBe(theirs);
    });

    it('icon "": falcosidekick\'s plain logo', () => {
      const [ours, theirs] = comparableAttachments(slackMessage(alert, options({ icon: '' }), undefined, ROCKETCHAT) as never, falcosidekickSent('rocketchat', priority, 'noicon'), priority);
      expect(ours).toBe(theirs);
    });

    it('outputformat text: the output line in a coloured attachment, where falcosidekick posts a message without content', () => {
      expect(falcosidekickSent('rocketchat', priority, 'text')).toEqual({ username: 'Falcosidekick', icon_url: expect.any(String) });
      expect(slackMessage(alert, options({ outputformat: 'text' }), undefined, ROCKETCHAT).attachments).toEqual([{ fallback: alert.output, color: expect.stringMatching(/^#/), ...(alert.output ? { text: alert.output } : {}) }]);
    });
  });

  it('a summary names Rocket.Chat\'s rate limit and has no footer, whatever rocketchat.footer says', () => {
    const [attachment] = summaryMessage(alerts, options({ footer: 'prod' }), ROCKETCHAT).attachments;
    expect(attachment?.text).toMatch(/\n_Folded into one message to stay within Rocket\.Chat's webhook rate limit \(10 messages a minute by default\)\._$/);
    expect(attachment).not.toHaveProperty('footer');
  });
});

describe('rocketchat options', () => {
  it('loads falcosidekick\'s keys from env vars', () => {
    const { config } = loadConfig({ env: { ROCKETCHAT_WEBHOOKURL: URL, ROCKETCHAT_ICON: 'https://x.example/i.png', ROCKETCHAT_OUTPUTFORMAT: 'fields' }, plugins: outputs, cwd: tmpdir() });
    expect(config).toMatchObject({ rocketchat: { webhookurl: URL, icon: 'https://x.example/i.png', outputformat: 'fields' } });
  });
});
