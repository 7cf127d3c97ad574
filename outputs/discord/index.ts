// Discord webhooks: falcosidekick's embed, one message per batch at Discord's pace (the core's
// sendrate: 30 messages a minute per channel), a burst folded into a summary embed, a deleted
// webhook dead-lettered.
import { defineMessageOutput } from '../webhook/message.ts';
import { classifyDiscord } from './classify.ts';
import { discordSchema } from './options.ts';
import { discordMessage } from './payload.ts';

export default defineMessageOutput({
  name: 'discord',
  description: 'Post alerts to a Discord webhook (falcosidekick\'s embed), paced to Discord\'s rate limit, a burst summarised.',
  schema: discordSchema,
  example: { webhookurl: 'https://discord.com/api/webhooks/000000000000000000/XXXX' },
  // Discord: 5 requests per 2 s per webhook, and about 30 messages a minute per channel.
  sendrate: { requestspersecond: 0.5, burst: 1 },
  contentType: 'application/json; charset=utf-8',
  message: discordMessage,
  classify: classifyDiscord,
});
