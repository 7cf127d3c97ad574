// A Google Chat incoming webhook on 127.0.0.1: validates each message against Google Chat's
// documented shape (test/fixtures/chat/googlechat-webhook.schema.json) and its 32,000 bytes,
// enforces one message per second per space on the test's clock, and answers as Google Chat does:
// 200 with the created message, 400 INVALID_ARGUMENT, 429 RESOURCE_EXHAUSTED, or whatever the test
// scripts next (404 NOT_FOUND, 403 PERMISSION_DENIED, 503 UNAVAILABLE …).
import { Ajv } from 'ajv';
import { fixtureJson } from './fixtures.ts';
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

const validate = new Ajv({ allErrors: true }).compile(fixtureJson('chat/googlechat-webhook.schema.json'));

const SPACE = 'AAAA1234567';

/** A Google API error answer (cloud.google.com/apis/design/errors). */
export function googleError(code: number, status: string, message: string): VendorAnswer {
  return { status: code, body: JSON.stringify({ error: { code, message, status } }) };
}

export class GooglechatReceiver extends VendorReceiver {
  private lastAcceptedAt = -Infinity;
  private readonly path = `/v1/spaces/${SPACE}/messages`;
  private readonly key: string;
  private readonly token: string;

  constructor(now: () => number, key = 'AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI', token = 'secretsecretsecret') {
    super(now, 'application/json; charset=UTF-8');
    this.key = key;
    this.token = token;
  }

  get url(): string {
    return this.urlFor(`${this.path}?key=${this.key}&token=${this.token}`);
  }

  protected decide(req: Received, clockAt: number): VendorAnswer {
    const url = new URL(req.url, 'http://chat');
    if (req.method !== 'POST' || url.pathname !== this.path) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    if (url.searchParams.get('key') !== this.key) return googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.');
    if (url.searchParams.get('token') !== this.token) return googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`content-type ${req.headers['content-type']}`);
    let message: unknown;
    try {
      message = JSON.parse(req.body);
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
    }
    if (!validate(message)) {
      this.violations.push(`schema: ${JSON.stringify(validate.errors)}`);
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unknown name or empty message.');
    }
    if (Buffer.byteLength(req.body) > 32_000) {
      this.violations.push(`size: ${Buffer.byteLength(req.body)} bytes, over 32000`);
      return googleError(400, 'INVALID_ARGUMENT', 'Message is too large.');
    }
    const next = this.nextScripted();
    if (next) return next;
    if (clockAt - this.lastAcceptedAt < 1000) {
      this.violations.push(`pace: ${clockAt - this.lastAcceptedAt} ms after the previous message`);
      return googleError(429, 'RESOURCE_EXHAUSTED', "Resource has been exhausted (e.g. check quota).");
    }
    this.lastAcceptedAt = clockAt;
    const created = new Date(clockAt).toISOString();
    const name = `spaces/${SPACE}/messages/${this.requests.length}.${this.requests.length}`;
    return {
      status: 200,
      body: JSON.stringify({
        name,
        sender: { name: 'users/114022495153014004089', displayName: 'Falco', avatarUrl: '', email: '', type: 'BOT' },
        createTime: created,
        ...(message as Record<string, unknown>),
        thread: { name: `spaces/${SPACE}/threads/${this.requests.length}` },
        space: { name: `spaces/${SPACE}`, type: 'ROOM', spaceType: 'SPACE' },
        argumentText: (message as { text?: string }).text ?? '',
      }),
    };
  }
}
