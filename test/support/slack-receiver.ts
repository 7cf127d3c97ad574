// A Slack incoming webhook on 127.0.0.1: validates each message against Slack's documented shape
// (test/fixtures/chat/slack-webhook.schema.json), enforces the one-message-per-second pace on the
// test's clock, and answers as Slack does: 200 "ok", 400 invalid_payload, 429 rate_limited with
// Retry-After, or whatever the test scripts next (404 no_service, 410 channel_is_archived, 503 …).
import { Ajv } from 'ajv';
import { fixtureJson } from './fixtures.ts';
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

const validate = new Ajv({ allErrors: true }).compile(fixtureJson('chat/slack-webhook.schema.json'));

export class SlackReceiver extends VendorReceiver {
  private lastAcceptedAt = -Infinity;
  private readonly path: string;

  constructor(now: () => number, pathToken = 'T0001/B0001/secretsecretsecret') {
    super(now, 'text/html');
    this.path = `/services/${pathToken}`;
  }

  get url(): string {
    return this.urlFor(this.path);
  }

  protected decide(req: Received, clockAt: number): VendorAnswer {
    if (req.method !== 'POST' || req.url !== this.path) return { status: 404, body: 'no_service' };
    let message: unknown;
    try {
      message = JSON.parse(req.body);
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return { status: 400, body: 'invalid_payload' };
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`content-type ${req.headers['content-type']}`);
    if (!validate(message)) {
      this.violations.push(`schema: ${JSON.stringify(validate.errors)}`);
      return { status: 400, body: 'invalid_payload' };
    }
    const next = this.nextScripted();
    if (next) return next;
    if (clockAt - this.lastAcceptedAt < 1000) {
      this.violations.push(`pace: ${clockAt - this.lastAcceptedAt} ms after the previous message`);
      return { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } };
    }
    this.lastAcceptedAt = clockAt;
    return { status: 200, body: 'ok' };
  }
}
