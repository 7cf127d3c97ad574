// Zoho Cliq channel webhooks: falcosidekick's message (text, bot, output slide and fields table),
// one message per batch at Cliq's pace (the core's sendrate: 20 messages a minute), a burst folded
// into a summary table.
import { defineMessageOutput } from '../webhook/message.ts';
import { classifyCliq } from './classify.ts';
import { cliqSchema, validateCliq } from './options.ts';
import { cliqMessage } from './payload.ts';

export default defineMessageOutput({
  name: 'cliq',
  description: 'Post alerts to a Zoho Cliq channel through its incoming webhook (falcosidekick\'s message and fields table), paced to Cliq\'s rate limit, a burst summarised.',
  schema: cliqSchema,
  example: { webhookurl: 'https://cliq.zoho.com/api/v2/channelsbyname/alerts/message?zapikey=XXXX' },
  validate: validateCliq,
  // Cliq: 20 requests a minute, then the webhook is locked for 10 minutes.
  sendrate: { requestspersecond: 0.33, burst: 1 },
  contentType: 'application/json',
  messageformat: (options) => options.messageformat,
  message: cliqMessage,
  classify: classifyCliq,
});
