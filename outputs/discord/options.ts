// The discord output's options: falcosidekick's keys and defaults, plus how a burst is summarised.
import { FALCOSIDEKICK_ICON, optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';

export const discordSchema = z.object({
  webhookurl: secret(
    optionalHttpUrl('https://discord.com/api/webhooks/000000000000000000/XXXX').describe(
      'Discord webhook URL (Server Settings > Integrations > Webhooks). It is a credential (anyone holding it can post): redacted everywhere. Setting it turns the output on.',
    ),
  ),
  icon: z
    .string()
    .default(FALCOSIDEKICK_ICON)
    .describe('URL of the sender avatar (avatar_url). "" sends falcosidekick\'s plain logo, as falcosidekick does.'),
  summaryafter: z
    .number()
    .int()
    .min(1)
    .max(9)
    .default(5)
    .describe(
      'Discord takes about 30 messages a minute per channel, so a batch (a burst: see batch.maxevents/flushms) goes as one message: this many of its alerts as embeds of their own, the rest folded into one summary embed ("and 37 more: …"), each of its alerts counted as delivered. At most 9 (Discord allows 10 embeds per message).',
    ),
  ...tlsShape,
});

export type DiscordOptions = z.output<typeof discordSchema>;
