// The cliq output's options: falcosidekick's keys and defaults (webhookurl, icon, outputformat,
// messageformat, useemoji and its HTTP client's checkcert, mutualtls), and how a burst is summarised.
import { FALCOSIDEKICK_ICON, messageFormatProblems, optionalHttpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';

// falcosidekick: "" means all; another value than all, text or fields sends the text alone (a typo
// silently drops the table): refused here.
const outputFormat = z
  .string()
  .default('all')
  .transform((v) => (v === '' ? 'all' : v.toLowerCase()))
  .pipe(z.enum(['all', 'text', 'fields'], { error: 'must be all, text or fields' }));

export const cliqSchema = z.object({
  webhookurl: secret(
    optionalHttpUrl('https://cliq.zoho.com/api/v2/channelsbyname/alerts/message?zapikey=XXXX').describe(
      'Zoho Cliq incoming webhook URL of a channel, with its webhook token (zapikey): a credential, redacted everywhere. Setting it turns the output on.',
    ),
  ),
  icon: z
    .string()
    .default(FALCOSIDEKICK_ICON)
    .describe('URL of the bot\'s picture (bot.image). "" sends falcosidekick\'s plain logo, as falcosidekick does.'),
  outputformat: outputFormat.describe(
    'all: the message text, the output line (with messageformat) and a table of the alert\'s fields; text: the text (and the output line with messageformat); fields: the text and the table. "" means all, as in falcosidekick.',
  ),
  messageformat: z
    .string()
    .default('')
    .describe(
      'Template for the message text, Go text/template (as in falcosidekick: {{ .Rule }}, {{ index .OutputFields "k8s.ns.name" }}) or Handlebars ({{rule}}); "" sends the output line as the text. With it, the output line goes in a text slide. Checked at startup.',
    ),
  useemoji: z.boolean().default(false).describe('Start the text with an emoji for the priority (🚨 🟠 🟡 🔵 🟢 ⚪), as falcosidekick does.'),
  summaryafter: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe(
      'Zoho Cliq takes 20 messages a minute (and then locks the webhook for 10 minutes), so a batch (a burst: see batch.maxevents/flushms) goes as one message: this many of its alerts in full, the rest folded into one summary table ("and 37 more"), each of its alerts counted as delivered.',
    ),
  ...tlsShape,
});

export type CliqOptions = z.output<typeof cliqSchema>;

export function validateCliq(options: CliqOptions): OptionProblem[] {
  return messageFormatProblems(options.messageformat);
}
