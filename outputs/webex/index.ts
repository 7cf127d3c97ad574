// Webex incoming webhooks: falcosidekick's markdown, one message per batch at a steady pace (the
// core's sendrate: one message a second), a burst folded into a summary, a deleted webhook
// dead-lettered.
import { defineMessageOutput } from '../webhook/message.ts';
import { classifyWebex } from './classify.ts';
import { webexSchema } from './options.ts';
import { webexMessage } from './payload.ts';

export default defineMessageOutput({
  name: 'webex',
  description: 'Post alerts to a Webex space through an incoming webhook (falcosidekick\'s markdown), paced, a burst summarised.',
  schema: webexSchema,
  example: { webhookurl: 'https://webexapis.com/v1/webhooks/incoming/XXXX' },
  // Webex documents no number for incoming webhooks, only 429 with Retry-After: one message a second.
  sendrate: { requestspersecond: 1, burst: 1 },
  contentType: 'application/json; charset=utf-8',
  message: webexMessage,
  classify: classifyWebex,
});
