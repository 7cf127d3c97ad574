// Chat services that take one JSON message per call to a webhook URL (Discord, Google Chat, Webex,
// Cliq): one message per batch, a burst folded into it by the output's own builder, at the
// service's pace (the core's sendrate), over one connection. Each output gives only what differs:
// its keys, its pace, its message and how its service's answers read.
import type { Dispatcher } from 'undici';
import {
  createHttpPool,
  defineOutput,
  loadTls,
  messageFormat,
  sendHttp,
  type Alert,
  type HttpResponse,
  type OptionProblem,
  type OutputPlugin,
  type RenderText,
  type SendResult,
  type TlsOptions,
  type z,
} from '../../src/plugin/index.ts';

type MessageSchema = z.ZodObject & z.ZodType<TlsOptions & { webhookurl: string }>;

export interface MessageOutput<S extends MessageSchema> {
  name: string;
  description: string;
  schema: S;
  example: Record<string, unknown>;
  validate?: (options: z.output<S>) => OptionProblem[];
  /** The service's pace: a message at most this often (its documented rate limit). */
  sendrate: { requestspersecond: number; burst: number };
  /** Content-Type as falcosidekick sends it for this service. */
  contentType: string;
  /** The output's `messageformat` key, for a service whose message can carry one. */
  messageformat?: (options: z.output<S>) => string;
  /** The message for a batch (JSON-encoded as the body); `render` is the compiled messageformat. */
  message: (alerts: readonly Alert[], options: z.output<S>, render: RenderText | undefined) => unknown;
  /** The service's answers. */
  classify: (res: HttpResponse, now: number) => SendResult;
}

interface MessageClient {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  render: RenderText | undefined;
}

export function defineMessageOutput<S extends MessageSchema>(output: MessageOutput<S>): OutputPlugin<S, MessageClient> {
  return defineOutput({
    name: output.name,
    description: output.description,
    schema: output.schema,
    example: output.example,
    enabled: (options) => options.webhookurl !== '',
    ...(output.validate ? { validate: output.validate } : {}),
    // A burst arrives as one batch (up to 50 alerts gathered for a second) and leaves as one message.
    batch: { maxevents: 50, maxbytes: 1_000_000, flushms: 1000 },
    sendrate: output.sendrate,
    connect(options, ctx): MessageClient {
      const url = new URL(options.webhookurl);
      return {
        pool: createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: 1, timeoutMs: ctx.timeoutMs }),
        path: `${url.pathname}${url.search}`,
        headers: { 'content-type': output.contentType, 'user-agent': ctx.userAgent },
        render: output.messageformat ? messageFormat(output.messageformat(options), output.name, ctx.log) : undefined,
      };
    },
    async sendBatch(alerts, { client, options, signal, clock }) {
      const body = JSON.stringify(output.message(alerts, options, client.render));
      const res = await sendHttp(client.pool, { path: client.path, method: 'POST', headers: client.headers, body, signal });
      return output.classify(res, clock.now());
    },
    async close(client) {
      await client.pool.close();
    },
  });
}
