// The telegram output's options: falcosidekick's keys (token, chatid, messagethreadid, checkcert),
// the Bot API server (a local telegram-bot-api, or a test), and how a burst is summarised.
import { httpUrl, secret, tlsShape, z, type OptionProblem } from '../../src/plugin/index.ts';

export const telegramSchema = z.object({
  token: secret(z.string().default('').describe('Bot token from @BotFather ("123456:ABC-DEF…"). It is a credential: redacted everywhere. With chatid it turns the output on.')),
  // A number in YAML (chatid: -1001234567890) as falcosidekick's weakly typed config reads it; ids stay below 2^53.
  chatid: z
    .union([z.string(), z.number().int()])
    .default('')
    .transform(String)
    .describe('Chat to post to: a user or group id ("-1001234567890" for a supergroup or channel, a number or a string) or "@channelusername". With token it turns the output on.'),
  messagethreadid: z
    .union([z.string(), z.number().int()])
    .default('')
    .transform(String)
    .pipe(z.string().regex(/^(\d+)?$/, 'must be a topic id (digits)'))
    .describe('Topic (forum thread) of a supergroup to post to, as its id; "" posts to the chat\'s main thread.'),
  apiurl: httpUrl('https://api.telegram.org')
    .default('https://api.telegram.org')
    .describe('Bot API server. Peregrine\'s own key: set it for a local Bot API server (telegram-bot-api); falcosidekick always posts to api.telegram.org.'),
  summaryafter: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe(
      'Telegram takes about 20 messages a minute in a group (one a second in a private chat) and 4,096 characters a message, so a batch (a burst: see batch.maxevents/flushms) goes as one message: this many of its alerts in full, the rest folded into one summary ("and 37 more: …"), each of its alerts counted as delivered. Fewer are shown in full when they would not fit in 4,096 characters.',
    ),
  ...tlsShape,
});

export type TelegramOptions = z.output<typeof telegramSchema>;

/** A token that cannot be one (a pasted space, a quote) would only ever get 404s: refused at start. */
export function validateTelegram(options: TelegramOptions): OptionProblem[] {
  return /^\d+:[\w-]+$/.test(options.token) ? [] : [{ path: 'token', message: 'is not a bot token (digits, ":", then letters, digits, "_" or "-")' }];
}
