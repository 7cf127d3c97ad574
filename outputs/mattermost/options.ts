// The mattermost output's options: falcosidekick's keys and defaults (its config.go "Mattermost"),
// the same as Slack's without `channel`, plus how a burst is summarised.
import { z } from '../../src/plugin/index.ts';
import { chatKeys } from '../slack/options.ts';

export const mattermostSchema = z.object(
  chatKeys({
    webhookurl: 'Mattermost incoming webhook URL (https://<server>/hooks/<id>).',
    example: 'https://mattermost.example.com/hooks/xxx-generatedkey-xxx',
    emptyIcon: '"" sends falcosidekick\'s plain logo, as falcosidekick does.',
    footer: 'Attachment footer (shown with outputformat all or fields); "" is the default, as in falcosidekick.',
    summary:
      'Of a batch (a burst: see batch.maxevents/flushms) this many alerts are posted as their own message; the rest of the batch becomes one summary message ("and 37 more: …"), each of its alerts counted as delivered, so a burst does not flood the channel.',
  }),
);
