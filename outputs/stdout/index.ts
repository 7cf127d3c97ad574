// One JSON line per alert on standard output (logs go to stderr): the embedded default output,
// and a way to pipe alerts into anything that reads lines.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { defineOutput, ok, serializeAlert, z } from '../../src/plugin/index.ts';

export default defineOutput({
  name: 'stdout',
  description: 'Print each alert as one JSON line on standard output (logs go to standard error); the lines of up to 20 ms go out in one write.',
  schema: z.object({
    enabled: z.boolean().default(false).describe('Turn the output on (it is on in the embedded default config).'),
  }),
  example: { enabled: true },
  enabled: (options) => options.enabled,
  // Lines gather for up to 20 ms and go out in one write: one write per alert cost the default
  // config's Falco-like load ~10 µs of the event loop per alert, 5 % of it (docs/performance.md).
  batch: { maxevents: 1000, maxbytes: 1_000_000, flushms: 20 },
  connect: (): Writable => process.stdout,
  async sendBatch(alerts, { client }) {
    let text = '';
    for (const alert of alerts) text += `${serializeAlert(alert)}\n`;
    // Respect the pipe's backpressure instead of buffering without bound.
    if (!client.write(text)) await once(client, 'drain');
    return ok();
  },
});
