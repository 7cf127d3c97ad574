// The webex output's options: falcosidekick's keys (webhookurl and its HTTP client's checkcert,
// mutualtls), and how a burst is summarised.
import { optionalHttpUrl, secret, tlsShape, z } from '../../src/plugin/index.ts';

export const webexSchema = z.object({
  webhookurl: secret(
    optionalHttpUrl('https://webexapis.com/v1/webhooks/incoming/XXXX').describe(
      'Webex incoming webhook URL (the Incoming Webhooks app of the Webex App Hub). It is a credential (anyone holding it can post): redacted everywhere. Setting it turns the output on.',
    ),
  ),
  summaryafter: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(3)
    .describe(
      'A batch (a burst: see batch.maxevents/flushms) goes as one Webex message, at most 7,439 bytes: this many of its alerts in full, the rest folded into one summary ("and 37 more: …"), each of its alerts counted as delivered. Fewer are shown in full when they would not fit.',
    ),
  ...tlsShape,
});

export type WebexOptions = z.output<typeof webexSchema>;
