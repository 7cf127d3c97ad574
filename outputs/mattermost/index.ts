// Mattermost incoming webhooks: falcosidekick's message (Slack's attachment, the hostname second),
// a burst folded into one summary message, a webhook that is gone held and then dead-lettered.
import { FALCOSIDEKICK_PLAIN_ICON } from '../../src/plugin/index.ts';
import { defineChatOutput } from '../slack/chat.ts';
import { holdOn429, type ChatFlavour } from '../slack/flavour.ts';
import { classifyMattermost } from './classify.ts';
import { mattermostSchema } from './options.ts';

export const MATTERMOST: ChatFlavour = {
  service: 'Mattermost',
  section: 'mattermost',
  hostname: 'after-rule',
  footer: true,
  iconWhenEmpty: FALCOSIDEKICK_PLAIN_ICON,
  foldNote: 'Folded into one message so that a burst does not flood the channel (mattermost.summaryafter).',
  // Mattermost limits no webhook by default; with the server's rate limit on, a 429 holds the webhook.
  paceMs: 0,
  classify: classifyMattermost,
  holdAfter: holdOn429,
};

export default defineChatOutput({
  name: 'mattermost',
  description: 'Post alerts to a Mattermost incoming webhook (falcosidekick\'s layout), a burst summarised.',
  schema: mattermostSchema,
  example: { webhookurl: 'https://mattermost.example.com/hooks/xxx-generatedkey-xxx' },
  flavour: MATTERMOST,
});
