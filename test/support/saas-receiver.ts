// An in-process stand-in for a SaaS API (PagerDuty, Opsgenie): a real socket on 127.0.0.1 that
// validates every request against the vendor's documented shape (a VendorSpec), answers valid ones
// as the vendor documents, invalid ones with the vendor's own rejection, and can be told to answer
// faults (throttling, outages, revoked keys) for the next requests or for all of them.
import { Receiver, type Received } from './receiver.ts';

/** A fault the receiver answers instead of accepting. */
export type Fault =
  | { kind: 'throttle'; retryAfter?: string }
  | { kind: 'unavailable'; status?: 500 | 502 | 503 | 504 }
  | { kind: 'invalid'; errors?: string[] }
  | { kind: 'status'; status: 401 | 402 | 403 | 404 | 410 | 422 };

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface VendorSpec {
  /** The vendor's answer when the request's credentials are refused; undefined when they are good. */
  authorize?(req: Received): Answer | undefined;
  /** Everything wrong with the request by the vendor's documented schema; [] when it is valid. */
  validate(req: Received): string[];
  /** The vendor's answer to a valid request. */
  accept(req: Received): Answer;
  /** The vendor's answer to an invalid one (`problems` from validate, or the test's own). */
  reject(problems: string[]): Answer;
  /** The vendor's answer for a fault. */
  fault(fault: Fault): Answer;
}

export class SaasReceiver {
  /** Valid requests that were accepted. */
  readonly accepted: Received[] = [];
  /** Every request that broke the documented shape, with why: a test asserts this stays empty. */
  readonly invalid: { req: Received; problems: string[] }[] = [];
  /** Every request, whatever the answer, with the time of `now` (the test's fake clock) when it arrived. */
  readonly requests: (Received & { clockAt: number })[] = [];
  private readonly receiver = new Receiver();
  private readonly queued: Fault[] = [];
  private standing: Fault | undefined;

  private readonly spec: VendorSpec;
  private readonly now: () => number;

  constructor(spec: VendorSpec, now: () => number = Date.now) {
    this.spec = spec;
    this.now = now;
  }

  async start(port = 0): Promise<this> {
    this.receiver.setBehaviour((req) => this.answer(req));
    await this.receiver.start(port);
    return this;
  }

  stop(): Promise<void> {
    return this.receiver.stop();
  }

  get port(): number {
    return this.receiver.port;
  }

  url(path: string): string {
    return this.receiver.url(path);
  }

  /** The next requests get these faults, in order; then it accepts again. */
  failNext(...faults: Fault[]): this {
    this.queued.push(...faults);
    return this;
  }

  /** Every request gets this fault until `failAlways(undefined)`. */
  failAlways(fault: Fault | undefined): this {
    this.standing = fault;
    return this;
  }

  /** Accepted request bodies, parsed. */
  acceptedJson<T>(): T[] {
    return this.accepted.map((r) => JSON.parse(r.body) as T);
  }

  private answer(req: Received) {
    this.requests.push({ ...req, clockAt: this.now() });
    const refused = this.spec.authorize?.(req);
    if (refused) return this.reply(refused);
    const problems = this.spec.validate(req);
    let answer: Answer;
    if (problems.length > 0) {
      this.invalid.push({ req, problems });
      answer = this.spec.reject(problems);
    } else {
      const fault = this.queued.shift() ?? this.standing;
      if (fault) answer = this.spec.fault(fault);
      else {
        this.accepted.push(req);
        answer = this.spec.accept(req);
      }
    }
    return this.reply(answer);
  }

  private reply(answer: Answer) {
    return { kind: 'status' as const, status: answer.status, headers: answer.headers, body: JSON.stringify(answer.body) };
  }
}

/** Checks shared by the vendors' validators. */
export const check = {
  /** A JSON object body, or the problem. */
  object(body: string): Record<string, unknown> | string {
    try {
      const value = JSON.parse(body) as unknown;
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : 'the body is not a JSON object';
    } catch {
      return 'the body is not JSON';
    }
  },
  /** A string within [min, max] characters, when present (or always, when required). */
  text(problems: string[], where: string, value: unknown, { required = false, max = Infinity }: { required?: boolean; max?: number } = {}): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string') problems.push(`${where} must be a string`);
    else if (required && value.trim() === '') problems.push(`${where} is missing or blank`);
    else if (value.length > max) problems.push(`${where} is longer than ${max} characters (${value.length})`);
  },
  /** Keys the vendor does not document (a typo in a field name is silently ignored by the real API). */
  known(problems: string[], where: string, value: Record<string, unknown>, keys: readonly string[]): void {
    for (const key of Object.keys(value)) if (!keys.includes(key)) problems.push(`${where}${key} is not a documented field`);
  },
};
