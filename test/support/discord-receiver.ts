// A Discord webhook on 127.0.0.1: validates each "Execute Webhook" body against Discord's documented
// shape (test/fixtures/chat/discord-webhook.schema.json) and the 6,000 characters of a message's
// embeds, enforces Discord's pace on the test's clock (5 requests per 2 s per webhook, 30 messages
// per minute per channel), and answers as Discord does: 204 No Content (200 with the message when
// ?wait=true), 400 Invalid Form Body, 429 with retry_after, or whatever the test scripts next
// (404 Unknown Webhook, 401 Invalid Webhook Token, 503 …).
import { Ajv } from 'ajv';
import { fixtureJson } from './fixtures.ts';
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

const validate = new Ajv({ allErrors: true }).compile(fixtureJson('chat/discord-webhook.schema.json'));

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string }; author?: { name: string } };

export const DISCORD_UNKNOWN_WEBHOOK: VendorAnswer = { status: 404, body: '{"message": "Unknown Webhook", "code": 10015}' };
export const DISCORD_INVALID_TOKEN: VendorAnswer = { status: 401, body: '{"message": "Invalid Webhook Token", "code": 50027}' };

export function discordRateLimited(retryAfterSeconds: number): VendorAnswer {
  return {
    status: 429,
    body: JSON.stringify({ message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false }),
    headers: { 'retry-after': String(Math.ceil(retryAfterSeconds)), 'x-ratelimit-scope': 'shared' },
  };
}

export class DiscordReceiver extends VendorReceiver {
  private readonly acceptedAt: number[] = [];
  private readonly path: string;

  constructor(now: () => number, token = 'secretsecretsecret') {
    super(now, 'application/json');
    this.path = `/api/webhooks/1100000000000000001/${token}`;
  }

  get url(): string {
    return this.urlFor(this.path);
  }

  protected decide(req: Received, clockAt: number): VendorAnswer {
    const url = new URL(req.url, 'http://discord');
    if (req.method !== 'POST' || url.pathname !== this.path) return DISCORD_UNKNOWN_WEBHOOK;
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`content-type ${req.headers['content-type']}`);
    let message: { embeds?: Embed[] };
    try {
      message = JSON.parse(req.body) as typeof message;
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return { status: 400, body: '{"message": "The request body contains invalid JSON.", "code": 50109}' };
    }
    if (!validate(message)) {
      this.violations.push(`schema: ${JSON.stringify(validate.errors)}`);
      return { status: 400, body: '{"code": 50035, "errors": {}, "message": "Invalid Form Body"}' };
    }
    const chars = (message.embeds ?? []).reduce((n, e) => n + embedChars(e), 0);
    if (chars > 6000) {
      this.violations.push(`embeds: ${chars} characters, over 6000`);
      return {
        status: 400,
        body: JSON.stringify({ code: 50035, errors: { embeds: { _errors: [{ code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' }] } }, message: 'Invalid Form Body' }),
      };
    }
    const next = this.nextScripted();
    if (next) return next;
    const within = (ms: number) => this.acceptedAt.filter((t) => clockAt - t < ms).length;
    if (within(2000) >= 5 || within(60_000) >= 30) {
      this.violations.push(`pace: ${within(2000)} messages in 2 s, ${within(60_000)} in 60 s before this one`);
      return discordRateLimited(1);
    }
    this.acceptedAt.push(clockAt);
    if (url.searchParams.get('wait') === 'true') {
      return { status: 200, body: JSON.stringify({ id: String(1200000000000000000n + BigInt(this.acceptedAt.length)), type: 0, channel_id: '1000000000000000001', webhook_id: '1100000000000000001', ...message }) };
    }
    return { status: 204, body: '' };
  }
}

function embedChars(e: Embed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}
