// A Webex incoming webhook on 127.0.0.1: checks each request as Webex documents a message
// (developer.webex.com/docs/api/v1/messages/create-a-message: a JSON body with "text" or
// "markdown", at most 7,439 bytes), records the pace on the test's clock (Webex documents no number
// for incoming webhooks: more than one message a second is answered 429 with Retry-After and listed
// as a violation), and answers as Webex does: 204 No Content, or its JSON error
// {"message","errors":[{"description"}],"trackingId"} with 400/404/429, or whatever the test
// scripts next (410, 401, 503 …).
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

let tracking = 0;

export function webexError(status: number, message: string, headers?: Record<string, string>): VendorAnswer {
  tracking += 1;
  return { status, body: JSON.stringify({ message, errors: [{ description: message }], trackingId: `ROUTER_6571B2F8-${String(tracking).padStart(4, '0')}` }), ...(headers ? { headers } : {}) };
}

export const WEBEX_NOT_FOUND = webexError(404, 'The requested resource could not be found.');
export const webexRateLimited = (seconds: number) => webexError(429, 'Too many requests have been made. Please slow down.', { 'retry-after': String(seconds) });

export class WebexReceiver extends VendorReceiver {
  private readonly path: string;
  private lastAcceptedAt = -Infinity;

  constructor(now: () => number, id = 'Y2lzY29zcGFyazovL3VzL1dFQkhPT0svc2VjcmV0c2VjcmV0') {
    super(now, 'application/json;charset=UTF-8');
    this.path = `/v1/webhooks/incoming/${id}`;
  }

  get url(): string {
    return this.urlFor(this.path);
  }

  protected decide(req: Received, clockAt: number): VendorAnswer {
    if (req.method !== 'POST' || new URL(req.url, 'http://webex').pathname !== this.path) return WEBEX_NOT_FOUND;
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`content-type ${req.headers['content-type']}`);
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return webexError(400, 'Unable to parse the request body.');
    }
    for (const key of Object.keys(message)) if (key !== 'text' && key !== 'markdown') this.violations.push(`${key} is not an incoming-webhook field`);
    const text = typeof message.markdown === 'string' ? message.markdown : message.text;
    if (typeof text !== 'string' || text.trim() === '') {
      this.violations.push('neither text nor markdown');
      return webexError(400, 'Message must contain text, markdown, or files.');
    }
    if (Buffer.byteLength(text) > 7439) {
      this.violations.push(`markdown: ${Buffer.byteLength(text)} bytes, over 7439`);
      return webexError(400, 'Message length must not exceed 7439 bytes.');
    }
    const next = this.nextScripted();
    if (next) return next;
    if (clockAt - this.lastAcceptedAt < 1000) {
      this.violations.push(`pace: ${clockAt - this.lastAcceptedAt} ms after the previous message`);
      return webexRateLimited(1);
    }
    this.lastAcceptedAt = clockAt;
    return { status: 204, body: '' };
  }
}
