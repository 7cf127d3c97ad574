// A Mattermost incoming webhook on 127.0.0.1: validates each request against Mattermost's documented
// payload (test/fixtures/chat/mattermost-webhook.schema.json) and answers as its server does: 200
// "ok" (text/plain), or an AppError as JSON (400 web.incoming_webhook.invalid.app_error for an
// unknown hook, 400 parse/text errors for a bad message), or whatever the test scripts next.
import { Ajv } from 'ajv';
import { fixtureJson } from './fixtures.ts';
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

const validate = new Ajv({ allErrors: true }).compile(fixtureJson('chat/mattermost-webhook.schema.json'));

/** An AppError body as Mattermost writes it. */
export function mattermostError(status: number, id: string, message: string): VendorAnswer {
  return { status, body: JSON.stringify({ id, message, detailed_error: '', request_id: 'tr6mz7hb1jnwfpdxoayuzbg9mw', status_code: status }), headers: { 'content-type': 'application/json' } };
}

export class MattermostReceiver extends VendorReceiver {
  /** A hook id as Mattermost makes them: 26 lower-case letters and digits. */
  readonly hookId = 'q3k8x9w1t7bfgmz5yhr6cjd4ea';

  constructor(now: () => number) {
    super(now, 'text/plain');
  }

  get url(): string {
    return this.urlFor(`/hooks/${this.hookId}`);
  }

  protected decide(req: Received, _clockAt: number): VendorAnswer {
    if (req.method !== 'POST' || !/^\/hooks\/[a-z0-9]+$/.test(req.url)) return { status: 404, body: '404 page not found' };
    if (req.url !== `/hooks/${this.hookId}`) return mattermostError(400, 'web.incoming_webhook.invalid.app_error', 'Invalid webhook.');
    let message: unknown;
    try {
      message = JSON.parse(req.body);
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return mattermostError(400, 'web.incoming_webhook.parse.app_error', 'Unable to parse incoming data.');
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`content-type ${req.headers['content-type']}`);
    if (!validate(message)) {
      this.violations.push(`schema: ${JSON.stringify(validate.errors)}`);
      return mattermostError(400, 'web.incoming_webhook.text.app_error', 'No text specified.');
    }
    return this.nextScripted() ?? { status: 200, body: 'ok' };
  }
}
