// A Zoho Cliq channel's incoming webhook on 127.0.0.1: checks each request as Cliq documents "Post
// message in a channel" (www.zoho.com/cliq/help/restapi/v2/: /api/v2/channelsbyname/<channel>/message
// with the webhook token as ?zapikey=, a JSON body whose "text" is required and at most 5,000
// characters, "bot" {name, image}, "slides" of type text/table/list/label/images, a table's rows
// keyed by its headers), enforces Cliq's 20 requests a minute on the test's clock (past it Cliq
// locks the webhook for 10 minutes: answered 429 until then), and answers as Cliq does: 204 No
// Content, or {"message": …} with 400/401/404, or whatever the test scripts next (403, 429, 503 …).
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

export function cliqError(status: number, message: string, headers?: Record<string, string>): VendorAnswer {
  return { status, body: JSON.stringify({ message }), ...(headers ? { headers } : {}) };
}

export const CLIQ_BAD_REQUEST = cliqError(400, 'The request cannot be performed. Usually because of malformed parameter or missing parameter.');
export const CLIQ_UNAUTHORIZED = cliqError(401, 'Request was rejected because of invalid AuthToken.');
export const CLIQ_NOT_FOUND = cliqError(404, 'Invalid URL.');
export const CLIQ_LOCKED = cliqError(429, 'Threshold limit exceeded. Locked for 10 minutes.');

const SLIDE_TYPES = ['text', 'table', 'list', 'label', 'images'];

export class CliqReceiver extends VendorReceiver {
  private readonly path: string;
  private readonly token: string;
  private readonly acceptedAt: number[] = [];
  private lockedUntil = -Infinity;

  constructor(now: () => number, token = '1001.secretsecretsecret.abcdef') {
    super(now, 'application/json;charset=UTF-8');
    this.path = '/api/v2/channelsbyname/alerts/message';
    this.token = token;
  }

  get url(): string {
    return this.urlFor(`${this.path}?zapikey=${this.token}`);
  }

  protected decide(req: Received, clockAt: number): VendorAnswer {
    const url = new URL(req.url, 'http://cliq');
    if (req.method !== 'POST' || url.pathname !== this.path) return CLIQ_NOT_FOUND;
    if (url.searchParams.get('zapikey') !== this.token) return CLIQ_UNAUTHORIZED;
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`content-type ${req.headers['content-type']}`);
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return CLIQ_BAD_REQUEST;
    }
    const problems = validateCliqMessage(message);
    if (problems.length > 0) {
      this.violations.push(...problems);
      return CLIQ_BAD_REQUEST;
    }
    const next = this.nextScripted();
    if (next) return next;
    if (clockAt < this.lockedUntil) {
      this.violations.push(`locked: a request ${this.lockedUntil - clockAt} ms before the lock ends`);
      return CLIQ_LOCKED;
    }
    if (this.acceptedAt.filter((t) => clockAt - t < 60_000).length >= 20) {
      this.violations.push('pace: a 21st request within 60 s');
      this.lockedUntil = clockAt + 600_000;
      return CLIQ_LOCKED;
    }
    this.acceptedAt.push(clockAt);
    return { status: 204, body: '' };
  }
}

/** Everything wrong with a message by Cliq's documented format; [] when valid. */
export function validateCliqMessage(message: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(message)) if (!['text', 'bot', 'card', 'slides', 'buttons', 'broadcast', 'sync_message', 'reply_to'].includes(key)) problems.push(`${key} is not a message field`);
  if (typeof message.text !== 'string' || message.text.trim() === '') problems.push('text is required');
  else if (message.text.length > 5000) problems.push(`text: ${message.text.length} characters, over 5000`);
  const bot = message.bot as Record<string, unknown> | undefined;
  if (bot !== undefined && (typeof bot.name !== 'string' || (bot.image !== undefined && typeof bot.image !== 'string'))) problems.push('bot must be {name, image}');
  if (message.slides !== undefined) {
    if (!Array.isArray(message.slides)) problems.push('slides must be an array');
    else
      for (const [i, slide] of (message.slides as Record<string, unknown>[]).entries()) {
        if (!SLIDE_TYPES.includes(String(slide.type))) problems.push(`slides[${i}].type ${String(slide.type)}`);
        if (slide.type === 'text' && (typeof slide.data !== 'string' || slide.data === '' || slide.data.length > 5000)) problems.push(`slides[${i}].data must be a text of 1 to 5000 characters`);
        if (slide.type === 'table') {
          const data = slide.data as { headers?: unknown; rows?: unknown } | undefined;
          const headers = Array.isArray(data?.headers) ? (data.headers as unknown[]) : undefined;
          if (!headers || headers.some((h) => typeof h !== 'string')) problems.push(`slides[${i}].data.headers must be strings`);
          else if (!Array.isArray(data?.rows)) problems.push(`slides[${i}].data.rows must be an array`);
          else
            for (const row of data.rows as Record<string, unknown>[]) {
              if (Object.keys(row).some((k) => !headers.includes(k)) || Object.values(row).some((v) => typeof v !== 'string')) problems.push(`slides[${i}]: a row ${JSON.stringify(row).slice(0, 80)} not keyed by the headers with text values`);
            }
        }
      }
  }
  return problems;
}
