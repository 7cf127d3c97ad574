// Google Chat incoming webhooks: falcosidekick's card, one message per batch at Google Chat's pace
// (the core's sendrate: one message per second per space), a burst folded into a summary card, a
// deleted webhook dead-lettered.
import { defineMessageOutput } from '../webhook/message.ts';
import { classifyGooglechat } from './classify.ts';
import { googlechatSchema, validateGooglechat } from './options.ts';
import { googlechatMessage } from './payload.ts';

export default defineMessageOutput({
  name: 'googlechat',
  description: 'Post alerts to a Google Chat incoming webhook (falcosidekick\'s card), paced to Google Chat\'s rate limit, a burst summarised.',
  schema: googlechatSchema,
  example: { webhookurl: 'https://chat.googleapis.com/v1/spaces/XXXX/messages?key=YYYY&token=ZZZZ' },
  validate: validateGooglechat,
  // Google Chat: 60 messages a minute per space, one a second for incoming webhooks.
  sendrate: { requestspersecond: 1, burst: 1 },
  contentType: 'application/json; charset=utf-8',
  messageformat: (options) => options.messageformat,
  message: googlechatMessage,
  classify: classifyGooglechat,
});
