// A Slack-compatible chat output (Slack, Mattermost, Rocket.Chat) from its name, schema and flavour:
// one pool to the webhook, the message template compiled once, each batch planned into messages
// (a burst folded into a summary) and posted at the flavour's pace.
import type { Dispatcher } from 'undici';
import { createHttpPool, defineOutput, loadTls, messageFormat, messageFormatProblems, type OptionProblem, type OutputPlugin, type RenderText, type TlsOptions, type z } from '../../src/plugin/index.ts';
import type { ChatFlavour } from './flavour.ts';
import type { ChatOptions } from './options.ts';
import { Pacer } from './pacer.ts';
import { postMessages, type ChatTarget } from './send.ts';
import { planMessages } from './summary.ts';

interface ChatClient extends ChatTarget {
  renderText: RenderText | undefined;
}

/** A chat output's schema: any object schema whose options have the chat keys (chatKeys()). */
type ChatSchema = z.ZodObject & z.ZodType<ChatOptions & TlsOptions & { webhookurl: string; messageformat: string }>;

export interface ChatOutput<S extends ChatSchema> {
  name: string;
  description: string;
  schema: S;
  example: Record<string, unknown>;
  flavour: ChatFlavour;
  validate?: (options: z.output<S>) => OptionProblem[];
}

export function defineChatOutput<S extends ChatSchema>(chat: ChatOutput<S>): OutputPlugin<S, ChatClient> {
  const { flavour } = chat;
  return defineOutput({
    name: chat.name,
    description: chat.description,
    schema: chat.schema,
    example: chat.example,
    enabled: (options) => options.webhookurl !== '',
    validate: (options) => [...messageFormatProblems(options.messageformat), ...(chat.validate?.(options) ?? [])],
    // A burst arrives as one batch (up to 50 alerts gathered for a second) and leaves as
    // summaryafter messages plus one summary.
    batch: { maxevents: 50, maxbytes: 1_000_000, flushms: 1000 },
    connect(options, ctx): ChatClient {
      const url = new URL(options.webhookurl);
      const pool: Dispatcher = createHttpPool(url, { tls: loadTls(options, ctx.tls), connections: 1, timeoutMs: ctx.timeoutMs });
      return {
        pool,
        path: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': ctx.userAgent },
        pacer: new Pacer(ctx.clock, flavour.paceMs),
        flavour,
        renderText: messageFormat(options.messageformat, chat.name, ctx.log),
      };
    },
    sendBatch(alerts, { client, options, signal, clock }) {
      return postMessages(planMessages(alerts, options, client.renderText, flavour, client.pacer.room()), alerts.length, client, signal, () => clock.now());
    },
    async close(client) {
      await client.pool.close();
    },
  });
}
