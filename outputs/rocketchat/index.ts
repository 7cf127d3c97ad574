// Rocket.Chat incoming webhooks: falcosidekick's message (Slack's attachment, the hostname last, no
// footer), a burst folded into one summary message, posted within Rocket.Chat's rate window.
import { FALCOSIDEKICK_PLAIN_ICON } from '../../src/plugin/index.ts';
import { defineChatOutput } from '../slack/chat.ts';
import type { ChatFlavour } from '../slack/flavour.ts';
import { classifyRocketchat, rateWindow, windowWait } from './classify.ts';
import { rocketchatSchema } from './options.ts';

export const ROCKETCHAT: ChatFlavour = {
  service: 'Rocket.Chat',
  section: 'rocketchat',
  hostname: 'last',
  footer: false,
  iconWhenEmpty: FALCOSIDEKICK_PLAIN_ICON,
  foldNote: "Folded into one message to stay within Rocket.Chat's webhook rate limit (10 messages a minute by default).",
  // No fixed pace: Rocket.Chat says on every answer how many calls its window has left. A batch is
  // planned into what is left, and when the window is spent nothing more is posted until it resets.
  paceMs: 0,
  classify: classifyRocketchat,
  holdAfter: windowWait,
  window: rateWindow,
};

export default defineChatOutput({
  name: 'rocketchat',
  description: 'Post alerts to a Rocket.Chat incoming webhook (falcosidekick\'s layout), within its rate limit, a burst summarised.',
  schema: rocketchatSchema,
  example: { webhookurl: 'https://rocketchat.example.com/hooks/XXXXXXXX/YYYYYYYY' },
  flavour: ROCKETCHAT,
});
