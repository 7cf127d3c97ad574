// The googlechat output's options: falcosidekick's keys and defaults, plus how a burst is summarised.
import { messageFormatProblems, optionalHttpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';

// falcosidekick sends the cards unless outputformat is exactly "text": "" and "fields" (Slack's
// spelling, often copied) mean all; another value is a typo, refused.
const outputFormat = z
  .string()
  .default('all')
  .transform((v) => (v === '' || v.toLowerCase() === 'fields' ? 'all' : v.toLowerCase()))
  .pipe(z.enum(['all', 'text'], { error: 'must be all or text' }));

export const googlechatSchema = z.object({
  webhookurl: secret(
    optionalHttpUrl('https://chat.googleapis.com/v1/spaces/XXXX/messages?key=YYYY&token=ZZZZ').describe(
      'Google Chat incoming webhook URL (its key and token are a credential: redacted everywhere). Setting it turns the output on.',
    ),
  ),
  outputformat: outputFormat.describe('all: the message text (messageformat) and a card with the alert\'s fields; text: the message text only. "" and fields mean all, as in falcosidekick.'),
  messageformat: z
    .string()
    .default('')
    .describe(
      'Template for the message text above the card, Go text/template (as in falcosidekick: {{ .Rule }}, {{ index .OutputFields "k8s.ns.name" }}) or Handlebars ({{rule}}); "" sends no text. Required with outputformat text. Checked at startup.',
    ),
  summaryafter: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe(
      'Google Chat takes one message per second per space, so a batch (a burst: see batch.maxevents/flushms) goes as one message: this many of its alerts as cards of their own, the rest folded into one summary card ("and 37 more: …"), each of its alerts counted as delivered.',
    ),
  ...tlsShape,
});

export type GooglechatOptions = z.output<typeof googlechatSchema>;

/**
 * A template that does not compile is a configuration error, and so is outputformat text without
 * one: falcosidekick then posts an empty message, which Google Chat refuses (every alert lost).
 */
export function validateGooglechat(options: GooglechatOptions): OptionProblem[] {
  if (options.messageformat === '' && options.outputformat === 'text') return [{ path: 'messageformat', message: 'is required with outputformat text (the message would be empty)' }];
  return messageFormatProblems(options.messageformat);
}
