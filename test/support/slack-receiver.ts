// A Slack incoming webhook on 127.0.0.1: validates each message against Slack's documented shape
// (test/fixtures/chat/slack-webhook.schema.json), enforces the one-message-per-second pace on the
// test's clock, and answers as Slack does: 200 "ok", 400 invalid_payload, 429 rate_limited with
// Retry-After, or whatever the test scripts next (404 no_service, 410 channel_is_archived, 503 …).
import { Ajv } from 'ajv';
import { fixtureJson } from './fixtures.ts';
import { Receiver, type Behaviour, type Received } from './receiver.ts';

export interface SlackAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface SlackRequest extends Received {
  /** The test clock's time when it arrived. */
  clockAt: number;
  answer: SlackAnswer;
}

const validate = new Ajv({ allErrors: true }).compile(fixtureJson('chat/slack-webhook.schema.json'));

export class SlackReceiver {
  readonly requests: SlackRequest[] = [];
  /** Schema violations and pace violations seen; a test expects none. */
  readonly violations: string[] = [];
  private readonly receiver = new Receiver();
  private readonly scripted: SlackAnswer[] = [];
  private lastAcceptedAt = -Infinity;
  private readonly now: () => number;
  private readonly pathToken: string;

  /** `now`: the clock the app runs on, to judge the pace. */
  constructor(now: () => number, pathToken = 'T0001/B0001/secretsecretsecret') {
    this.now = now;
    this.pathToken = pathToken;
  }

  async start(): Promise<this> {
    await this.receiver.start();
    this.receiver.setBehaviour((req) => this.answer(req));
    return this;
  }

  stop(): Promise<void> {
    return this.receiver.stop();
  }

  get url(): string {
    return this.receiver.url(`/services/${this.pathToken}`);
  }

  /** Answers the next requests with these, in order (after them, Slack's normal behaviour). */
  script(...answers: SlackAnswer[]): void {
    this.scripted.push(...answers);
  }

  /** Messages Slack accepted (200 ok), parsed. */
  accepted(): Record<string, unknown>[] {
    return this.requests.filter((r) => r.answer.status === 200).map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  private answer(req: Received): Behaviour {
    const clockAt = this.now();
    const answer = this.decide(req, clockAt);
    this.requests.push({ ...req, clockAt, answer });
    return { kind: 'status', status: answer.status, headers: { 'content-type': 'text/html', ...answer.headers }, body: answer.body };
  }

  private decide(req: Received, clockAt: number): SlackAnswer {
    if (req.method !== 'POST' || req.url !== `/services/${this.pathToken}`) return { status: 404, body: 'no_service' };
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
    const next = this.scripted.shift();
    if (next) return next;
    if (clockAt - this.lastAcceptedAt < 1000) {
      this.violations.push(`pace: ${clockAt - this.lastAcceptedAt} ms after the previous message`);
      return { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } };
    }
    this.lastAcceptedAt = clockAt;
    return { status: 200, body: 'ok' };
  }
}
