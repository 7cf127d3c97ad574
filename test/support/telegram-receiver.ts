// The Telegram Bot API's sendMessage on 127.0.0.1: checks each request as the Bot API does (the
// token in the path, chat_id, message_thread_id, parse_mode, MarkdownV2's entity and escaping rules,
// 4,096 characters after entity parsing), enforces Telegram's pace on the test's clock (one message
// a second per chat, 20 a minute in a group), and answers as the Bot API documents
// (core.telegram.org/bots/api#making-requests): 200 {"ok":true,"result":<Message>}, or
// {"ok":false,"error_code","description","parameters"} with 400/401/404/429, or whatever the test
// scripts next (403 bot blocked, 400 migrated, 502 …).
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

export function telegramError(status: number, description: string, parameters?: Record<string, unknown>): VendorAnswer {
  return { status, body: JSON.stringify({ ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) }) };
}

export const TELEGRAM_BLOCKED = telegramError(403, 'Forbidden: bot was blocked by the user');
export const TELEGRAM_KICKED = telegramError(403, 'Forbidden: bot was kicked from the supergroup chat');
export const telegramRateLimited = (seconds: number) => telegramError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
export const telegramMigrated = (newChatId: number) => telegramError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: newChatId });

/** Characters MarkdownV2 reserves outside entities (core.telegram.org/bots/api#markdownv2-style). */
const RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));
const ENTITY: Record<string, string> = { '*': 'Bold', _: 'Italic', __: 'Underline', '~': 'Strikethrough', '||': 'Spoiler' };

/**
 * MarkdownV2 as the Bot API parses it, for what Peregrine writes (bold, italic, underline,
 * strikethrough, spoiler, inline code; links, pre blocks and quotes are refused here, as unused):
 * the text without markup, or the Bot API's "can't parse entities" error.
 */
export function parseMarkdownV2(text: string): { plain: string; error?: string } {
  let plain = '';
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 1 && next <= 126)) return { plain, error: `can't parse entities: Character '\\' is reserved and must be escaped with the preceding '\\'` };
      plain += text[++i];
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end < 0) return { plain, error: `can't parse entities: Can't find end of Code entity at byte offset ${Buffer.byteLength(text.slice(0, i))}` };
      plain += text.slice(i + 1, end);
      i = end;
      continue;
    }
    const two = text.slice(i, i + 2);
    const marker = two === '__' || two === '||' ? two : c === '*' || c === '_' || c === '~' ? c : undefined;
    if (marker) {
      if (open.at(-1) === marker) open.pop();
      else if (open.includes(marker)) return { plain, error: `can't parse entities: Can't find end of ${ENTITY[marker]} entity` };
      else open.push(marker);
      i += marker.length - 1;
      continue;
    }
    if (RESERVED.has(c)) return { plain, error: `can't parse entities: Character '${c}' is reserved and must be escaped with the preceding '\\'` };
    plain += c;
  }
  const unclosed = open.at(-1);
  if (unclosed) return { plain, error: `can't parse entities: Can't find end of ${ENTITY[unclosed]} entity at byte offset ${Buffer.byteLength(text)}` };
  return { plain };
}

const DOCUMENTED = ['chat_id', 'message_thread_id', 'text', 'parse_mode', 'entities', 'disable_web_page_preview', 'link_preview_options', 'disable_notification', 'protect_content', 'reply_parameters', 'reply_markup'];

export class TelegramReceiver extends VendorReceiver {
  readonly token: string;
  readonly chatId: string;
  private readonly threads: Set<string>;
  private readonly acceptedAt: number[] = [];

  constructor(now: () => number, { token = '123456:AAsecretsecret', chatId = '-1001234567890', threads = ['42'] }: { token?: string; chatId?: string; threads?: string[] } = {}) {
    super(now, 'application/json');
    this.token = token;
    this.chatId = chatId;
    this.threads = new Set(threads);
  }

  /** The Bot API server's URL (telegram.apiurl). */
  get url(): string {
    return this.urlFor('');
  }

  protected decide(req: Received, clockAt: number): VendorAnswer {
    const path = new URL(req.url, 'http://telegram').pathname;
    const m = /^\/bot([^/]+)\/sendMessage$/i.exec(path);
    if (!m) return telegramError(404, 'Not Found');
    if (m[1] !== this.token) return telegramError(401, 'Unauthorized');
    if (req.method !== 'POST') this.violations.push(`method ${req.method}`);
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`content-type ${req.headers['content-type']}`);
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return telegramError(400, 'Bad Request: message text is empty');
    }
    for (const key of Object.keys(message)) if (!DOCUMENTED.includes(key)) this.violations.push(`${key} is not a sendMessage parameter`);
    if (String(message.chat_id) !== this.chatId) return telegramError(400, 'Bad Request: chat not found');
    const thread = message.message_thread_id;
    if (thread !== undefined && !this.threads.has(String(thread))) return telegramError(400, 'Bad Request: message thread not found');
    if (message.parse_mode !== 'MarkdownV2') this.violations.push(`parse_mode ${String(message.parse_mode)}`);
    if (typeof message.text !== 'string') return telegramError(400, 'Bad Request: message text is empty');
    const parsed = parseMarkdownV2(message.text);
    if (parsed.error) {
      this.violations.push(parsed.error);
      return telegramError(400, `Bad Request: ${parsed.error}`);
    }
    if (parsed.plain.trim() === '') return telegramError(400, 'Bad Request: message text is empty');
    if (parsed.plain.length > 4096) {
      this.violations.push(`text: ${parsed.plain.length} characters after parsing, over 4096`);
      return telegramError(400, 'Bad Request: message is too long');
    }
    const next = this.nextScripted();
    if (next) return next;
    const within = (ms: number) => this.acceptedAt.filter((t) => clockAt - t < ms).length;
    if (within(1000) >= 1 || (this.chatId.startsWith('-') && within(60_000) >= 20)) {
      this.violations.push(`pace: ${within(1000)} messages in 1 s, ${within(60_000)} in 60 s before this one`);
      return telegramRateLimited(5);
    }
    this.acceptedAt.push(clockAt);
    const result = {
      message_id: this.acceptedAt.length,
      from: { id: Number(this.token.split(':')[0]), is_bot: true, first_name: 'Falco', username: 'falco_alerts_bot' },
      chat: { id: Number(this.chatId), title: 'Security', type: 'supergroup' },
      date: Math.floor(clockAt / 1000),
      ...(thread === undefined ? {} : { message_thread_id: Number(thread), is_topic_message: true }),
      text: parsed.plain,
    };
    return { status: 200, body: JSON.stringify({ ok: true, result }) };
  }
}
