// The slack output's options: falcosidekick's keys and defaults, plus how a burst is summarised.
import { compileTemplateSource, optionalHttpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';

/** falcosidekick's footer, also what an empty footer means there (outputs/slack.go). */
export const DEFAULT_FOOTER = 'https://github.com/falcosecurity/falcosidekick';

// falcosidekick treats "" as "all"; any other unknown value silently shows neither text nor fields.
const outputFormat = z
  .string()
  .default('all')
  .transform((v) => (v === '' ? 'all' : v.toLowerCase()))
  .pipe(z.enum(['all', 'text', 'fields'], { error: 'must be all, text or fields' }));

export const slackSchema = z.object({
  webhookurl: secret(
    optionalHttpUrl('https://hooks.slack.com/services/T000/B000/XXXX').describe(
      'Slack incoming webhook URL. It is a credential (anyone holding it can post): redacted everywhere. Setting it turns the output on.',
    ),
  ),
  channel: z.string().default('').describe('Channel override ("#alerts"); "" posts to the webhook\'s own channel. Webhooks of Slack apps ignore it.'),
  username: z.string().default('Falcosidekick').describe('Sender name shown on the message (falcosidekick\'s default, so existing screenshots stay true).'),
  icon: z
    .string()
    .default('https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png')
    .describe('URL of the sender avatar (icon_url); "" leaves the webhook\'s own (in the file or a named instance: an empty SLACK_ICON, like an empty value in the chart\'s slack section, is unset, as in falcosidekick).'),
  footer: z.string().default(DEFAULT_FOOTER).describe('Attachment footer (shown with outputformat all or fields); "" is the default, as in falcosidekick.'),
  outputformat: outputFormat.describe('What the attachment shows: all (the output line and the fields), text (the output line) or fields (the fields).'),
  messageformat: z
    .string()
    .default('')
    .describe(
      'Template for the message text above the attachment, Go text/template (as in falcosidekick: {{ .Rule }}, {{ index .OutputFields "k8s.ns.name" }}) or Handlebars ({{rule}}); "" sends no text. Checked at startup.',
    ),
  summaryafter: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe(
      'Slack accepts about one message per second per webhook. Of a batch (a burst: see batch.maxevents/flushms) this many alerts are posted as their own message; the rest of the batch becomes one summary message ("and 37 more: …"), each of its alerts counted as delivered.',
    ),
  ...tlsShape,
});

export type SlackOptions = z.output<typeof slackSchema>;

/** A message template that does not compile is a configuration error (--check-config reports it). */
export function validateSlack(options: SlackOptions): OptionProblem[] {
  if (options.messageformat === '') return [];
  const compiled = compileTemplateSource(options.messageformat);
  return compiled.ok ? [] : [{ path: 'messageformat', message: compiled.message }];
}
