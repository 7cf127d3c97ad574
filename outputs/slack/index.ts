// Slack incoming webhooks: falcosidekick's message layout, posted at Slack's pace of about one
// message per second, a burst folded into one summary message, a revoked webhook dead-lettered.
import { defineChatOutput } from './chat.ts';
import { SLACK } from './flavour.ts';
import { slackSchema } from './options.ts';

export default defineChatOutput({
  name: 'slack',
  description: 'Post alerts to a Slack incoming webhook (falcosidekick\'s layout), paced to Slack\'s rate limit, a burst summarised.',
  schema: slackSchema,
  example: { webhookurl: 'https://hooks.slack.com/services/T000/B000/XXXX', channel: '#falco' },
  flavour: SLACK,
});
