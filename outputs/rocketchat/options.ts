// The rocketchat output's options: falcosidekick's keys and defaults (its config.go "Rocketchat"),
// the same as Slack's without `channel`, plus how a burst is summarised.
import { z } from '../../src/plugin/index.ts';
import { chatKeys } from '../slack/options.ts';

export const rocketchatSchema = z.object(
  chatKeys({
    webhookurl: 'Rocket.Chat incoming webhook URL (https://<server>/hooks/<integration id>/<token>).',
    example: 'https://rocketchat.example.com/hooks/XXXXXXXX/YYYYYYYY',
    emptyIcon: '"" sends falcosidekick\'s plain logo, as falcosidekick does.',
    footer: 'Read for falcosidekick\'s key, not sent: falcosidekick\'s Rocket.Chat message has no footer, and neither has Peregrine\'s.',
    summary:
      'Rocket.Chat takes 10 webhook messages a minute by default (its API rate limiter). Of a batch (a burst: see batch.maxevents/flushms) this many alerts are posted as their own message; the rest of the batch becomes one summary message ("and 37 more: …"), each of its alerts counted as delivered.',
  }),
);
