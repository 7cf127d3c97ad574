// A Gotify server's POST /message on 127.0.0.1, for the fault cases the real server
// (test/infra/gotify) cannot be made to give: checks each request as gotify/server does (an application token from
// ?token=, X-Gotify-Key or "Authorization: Bearer", the JSON body bound to {title, message
// (required), priority (an integer), extras (an object of namespaces)}; client::display's
// contentType as Gotify documents it, text/plain or text/markdown), and answers as it does: 200
// with the created message, or {"error","errorCode","errorDescription"} with 400/401/403/404, or
// whatever the test scripts next (503 from a proxy …).
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

export function gotifyError(status: number, error: string, description: string): VendorAnswer {
  return { status, body: JSON.stringify({ error, errorCode: status, errorDescription: description }) };
}

export const GOTIFY_UNAUTHORIZED = gotifyError(401, 'Unauthorized', 'you need to provide a valid access token or user credentials to access this api');
export const GOTIFY_FORBIDDEN = gotifyError(403, 'Forbidden', 'you are not allowed to access this api');
export const GOTIFY_NOT_FOUND = gotifyError(404, 'Not Found', 'page not found');

export class GotifyReceiver extends VendorReceiver {
  readonly token: string;
  private readonly clientToken: string;
  private readonly base: string;
  private id = 0;

  constructor(now: () => number, { token = 'AbCdEf.secret1', clientToken = 'CxYz.client1', base = '' }: { token?: string; clientToken?: string; base?: string } = {}) {
    super(now, 'application/json; charset=utf-8');
    this.token = token;
    this.clientToken = clientToken;
    this.base = base;
  }

  /** gotify.hostport. */
  get url(): string {
    return this.urlFor(this.base);
  }

  protected decide(req: Received, clockAt: number): VendorAnswer {
    const url = new URL(req.url, 'http://gotify');
    if (url.pathname !== `${this.base}/message`) return GOTIFY_NOT_FOUND;
    if (req.method !== 'POST') return gotifyError(404, 'Not Found', 'page not found');
    const bearer = /^bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    const token = url.searchParams.get('token') || String(req.headers['x-gotify-key'] ?? '') || bearer || '';
    if (token === this.clientToken) return GOTIFY_FORBIDDEN;
    if (token !== this.token) return GOTIFY_UNAUTHORIZED;
    if (!String(req.headers['content-type']).startsWith('application/json')) this.violations.push(`content-type ${req.headers['content-type']}`);
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return gotifyError(400, 'Bad Request', 'invalid character in the body');
    }
    const problems: string[] = [];
    for (const key of Object.keys(message)) if (!['title', 'message', 'priority', 'extras', 'appid', 'postponedAt'].includes(key)) problems.push(`${key} is not a message field`);
    if (typeof message.message !== 'string' || message.message === '') return gotifyError(400, 'Bad Request', "Field 'message' is required");
    if (message.title !== undefined && typeof message.title !== 'string') problems.push('title must be a string');
    if (message.priority !== undefined && !Number.isInteger(message.priority)) return gotifyError(400, 'Bad Request', "json: cannot unmarshal into Go struct field CreateMessage.priority of type int");
    const extras = message.extras as Record<string, unknown> | undefined;
    if (extras !== undefined && (extras === null || typeof extras !== 'object' || Array.isArray(extras))) return gotifyError(400, 'Bad Request', 'json: cannot unmarshal into Go struct field CreateMessage.extras');
    const display = extras?.['client::display'] as { contentType?: unknown } | undefined;
    if (display && !['text/plain', 'text/markdown'].includes(String(display.contentType))) problems.push(`client::display contentType ${String(display.contentType)}: clients know text/plain and text/markdown`);
    if (problems.length > 0) this.violations.push(...problems);
    const next = this.nextScripted();
    if (next) return next;
    this.id += 1;
    return {
      status: 200,
      body: JSON.stringify({
        id: this.id,
        appid: 1,
        message: message.message,
        title: typeof message.title === 'string' && message.title.trim() !== '' ? message.title : 'Falco',
        priority: message.priority ?? 0,
        ...(extras ? { extras } : {}),
        date: new Date(clockAt).toISOString(),
      }),
    };
  }
}
