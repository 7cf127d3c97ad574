// The slack output's options: falcosidekick's keys and defaults, plus how a burst is summarised.
// Mattermost and Rocket.Chat have the same keys (less `channel`): chatKeys() writes them once.
import { FALCOSIDEKICK_ICON, optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';

/** falcosidekick's footer, also what an empty footer means there (outputs/slack.go). */
export const DEFAULT_FOOTER = 'https://github.com/falcosecurity/falcosidekick';

// falcosidekick treats "" as "all"; any other unknown value silently shows neither text nor fields.
const outputFormat = z
  .string()
  .default('all')
  .transform((v) => (v === '' ? 'all' : v.toLowerCase()))
  .pipe(z.enum(['all', 'text', 'fields'], { error: 'must be all, text or fields' }));

interface ChatKeysText {
  /** "Slack incoming webhook URL." */
  webhookurl: string;
  example: string;
  /** What `icon: ""` does. */
  emptyIcon: string;
  footer: string;
  /** Why and when a burst is folded, for summaryafter. */
  summary: string;
}

/** The keys every Slack-compatible chat output has, in falcosidekick's order, described for one service. */
export function chatKeys(text: ChatKeysText) {
  return {
    webhookurl: secret(optionalHttpUrl(text.example).describe(`${text.webhookurl} It is a credential (anyone holding it can post): redacted everywhere. Setting it turns the output on.`)),
    username: z.string().default('Falcosidekick').describe('Sender name shown on the message (falcosidekick\'s default, so existing screenshots stay true).'),
    icon: z.string().default(FALCOSIDEKICK_ICON).describe(`URL of the sender avatar (icon_url); ${text.emptyIcon}`),
    footer: z.string().default(DEFAULT_FOOTER).describe(text.footer),
    outputformat: outputFormat.describe('What the attachment shows: all (the output line and the fields), text (the output line) or fields (the fields).'),
    messageformat: z
      .string()
      .default('')
      .describe(
        'Template for the message text above the attachment, Go text/template (as in falcosidekick: {{ .Rule }}, {{ index .OutputFields "k8s.ns.name" }}) or Handlebars ({{rule}}); "" sends no text. Checked at startup.',
      ),
    summaryafter: z.number().int().min(1).max(20).default(5).describe(text.summary),
    ...tlsShape,
  };
}

const { webhookurl, ...slackKeys } = chatKeys({
  webhookurl: 'Slack incoming webhook URL.',
  example: 'https://hooks.slack.com/services/T000/B000/XXXX',
  emptyIcon:
    '"" leaves the webhook\'s own (in the file or a named instance: an empty SLACK_ICON, like an empty value in the chart\'s slack section, is unset, as in falcosidekick).',
  footer: 'Attachment footer (shown with outputformat all or fields); "" is the default, as in falcosidekick.',
  summary:
    'Slack accepts about one message per second per webhook. Of a batch (a burst: see batch.maxevents/flushms) this many alerts are posted as their own message; the rest of the batch becomes one summary message ("and 37 more: …"), each of its alerts counted as delivered.',
});

export const slackSchema = z.object({
  webhookurl,
  channel: z.string().default('').describe('Channel override ("#alerts"); "" posts to the webhook\'s own channel. Webhooks of Slack apps ignore it.'),
  ...slackKeys,
});

export type SlackOptions = z.output<typeof slackSchema>;

/** What the message builders read: the chat keys, and Slack's channel. */
export type ChatOptions = Pick<SlackOptions, 'username' | 'icon' | 'footer' | 'outputformat' | 'summaryafter'> & { channel?: string };
