// The teams output's options: falcosidekick's keys and defaults, plus the card format.
import { FALCOSIDEKICK_ICON, optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';

export const teamsSchema = z.object({
  webhookurl: secret(
    optionalHttpUrl('https://prod-00.westeurope.logic.azure.com/workflows/…/triggers/manual/paths/invoke?…&sig=…').describe(
      'Teams webhook URL: a Workflows (Power Automate) "post to a channel when a webhook request is received" URL, or an old Office 365 connector URL (with format: messagecard). It carries its own signature: redacted everywhere. Setting it turns the output on.',
    ),
  ),
  activityimage: z
    .string()
    .default(FALCOSIDEKICK_ICON)
    .describe('Image shown beside the title (falcosidekick\'s default); "" shows none (in the file or a named instance: an empty TEAMS_ACTIVITYIMAGE, like an empty value in the chart\'s teams section, is unset, as in falcosidekick).'),
  outputformat: z
    .string()
    .default('all')
    .transform((v) => (v === '' ? 'all' : v.toLowerCase()))
    .pipe(z.enum(['all', 'text', 'facts'], { error: 'must be all, text or facts' }))
    .describe('What the card shows below its title: all (the output line and the facts), text (the output line) or facts (rule, priority, source, hostname, output fields, tags).'),
  format: z
    .string()
    .default('adaptivecard')
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(['adaptivecard', 'messagecard'], { error: 'must be adaptivecard or messagecard' }))
    .describe(
      'adaptivecard (default): an Adaptive Card 1.4 in the message envelope that Teams Workflows webhooks take. messagecard: falcosidekick\'s O365 connector MessageCard, for connectors Microsoft has not yet retired.',
    ),
  ...tlsShape,
});

export type TeamsOptions = z.output<typeof teamsSchema>;
