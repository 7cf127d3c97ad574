// A Rocket.Chat incoming webhook on 127.0.0.1: validates each request against Rocket.Chat's
// documented payload (test/fixtures/chat/rocketchat-webhook.schema.json), enforces its default API
// rate limit (10 calls per 60 s window, on the test's clock) with the X-RateLimit-* headers it puts
// on every answer, and answers as it does: 200 {"success":true}, 429 error-too-many-requests, or
// whatever the test scripts next (400 invalid-channel, 503 Service Unavailable, …).
import { Ajv } from 'ajv';
import { fixtureJson } from './fixtures.ts';
import type { Received } from './receiver.ts';
import { VendorReceiver, type VendorAnswer } from './vendor-receiver.ts';

const validate = new Ajv({ allErrors: true }).compile(fixtureJson('chat/rocketchat-webhook.schema.json'));

export const rocketchatAnswer = (status: number, body: Record<string, unknown>): VendorAnswer => ({ status, body: JSON.stringify(body) });

export class RocketchatReceiver extends VendorReceiver {
  readonly path = '/hooks/67a1b2c3d4e5f6a7b8c9d0e1/kT9xWq3ZpL7vN2mR8sY4uB6cJ1hF5gD0aE3iO7tQ9wXz';
  private windowStart = -Infinity;
  private calls = 0;
  /** The window was spent by another sender (spendWindow): its 429s are not ours to avoid. */
  private spentByOthers = false;
  private readonly limit: number;
  private readonly windowMs: number;

  /** `limit` calls per `windowMs`: Rocket.Chat's defaults (API_Enable_Rate_Limiter_Limit_Calls_Default / _Time_Default). */
  constructor(now: () => number, limit = 10, windowMs = 60_000) {
    super(now, 'application/json');
    this.limit = limit;
    this.windowMs = windowMs;
  }

  get url(): string {
    return this.urlFor(this.path);
  }

  /** Another sender on the same address spends the current window now. */
  spendWindow(): void {
    this.windowStart = this.now();
    this.calls = this.limit;
    this.spentByOthers = true;
  }

  protected decide(req: Received, clockAt: number): VendorAnswer {
    if (req.method !== 'POST' || req.url !== this.path) return { status: 401, body: JSON.stringify({ status: 'error', message: 'You must be logged in to do this.' }) };
    if (clockAt - this.windowStart >= this.windowMs) {
      this.windowStart = clockAt;
      this.calls = 0;
      this.spentByOthers = false;
    }
    this.calls++;
    const reset = this.windowStart + this.windowMs;
    const headers = {
      date: new Date(clockAt).toUTCString(),
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - this.calls)),
      'x-ratelimit-reset': String(reset),
    };
    if (this.calls > this.limit) {
      if (!this.spentByOthers) this.violations.push(`rate limit: call ${this.calls} in the window that resets at ${reset}`);
      const seconds = Math.ceil((reset - clockAt) / 1000);
      return { ...rocketchatAnswer(429, { success: false, error: `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying this endpoint again. [error-too-many-requests]` }), headers };
    }
    let message: unknown;
    try {
      message = JSON.parse(req.body);
    } catch {
      this.violations.push(`not JSON: ${req.body.slice(0, 80)}`);
      return { ...rocketchatAnswer(400, { success: false, error: 'Unexpected token' }), headers };
    }
    if (!validate(message)) {
      this.violations.push(`schema: ${JSON.stringify(validate.errors)}`);
      return { ...rocketchatAnswer(400, { success: false, error: 'unknown-error' }), headers };
    }
    const scripted = this.nextScripted();
    return { ...(scripted ?? rocketchatAnswer(200, { success: true })), headers: { ...headers, ...scripted?.headers } };
  }
}
