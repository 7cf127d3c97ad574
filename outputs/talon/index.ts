// Falco Talon, the Falco project's response engine: its `/` endpoint takes the Falco event JSON
// (falcosidekick's webhook body) and answers 200, 400 for a body it cannot decode, 500 when it
// cannot queue the event. No auth: Talon has none.
import { optionalHttpUrl, tlsShape, z } from '../../src/plugin/index.ts';
import { defineJsonPostOutput } from '../webhook/post.ts';

export default defineJsonPostOutput({
  name: 'talon',
  description: 'POST each alert as JSON to Falco Talon, the Falco response engine.',
  schema: z.object({
    address: optionalHttpUrl('http://falco-talon:2803').describe('Falco Talon URL, e.g. http://falco-talon:2803 (its `/` endpoint). Setting it turns the output on.'),
    ...tlsShape,
  }),
  example: { address: 'http://falco-talon:2803' },
  url: (options) => options.address,
  contentType: 'application/json; charset=utf-8',
  headers: () => ({}),
  // Talon reads the body and the trace headers only; the key lets a proxy in front drop a replay.
  idempotencyKey: true,
  // Talon queues each event on NATS and answers at once; 32 in flight keep up with a burst
  // (outputs/webhook/index.ts on requests in flight).
  concurrency: 32,
});
