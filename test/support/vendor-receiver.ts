// The common part of the recording receivers that stand in for SaaS webhooks (Slack, Teams): a real
// socket on 127.0.0.1, every request recorded with the test clock's time and the answer given, a
// queue of scripted answers for fault cases, and a list of the problems the vendor would have
// refused. Each vendor decides the answer in decide().
import { Receiver, type Received } from './receiver.ts';

export interface VendorAnswer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface VendorRequest extends Received {
  /** The test clock's time when it arrived. */
  clockAt: number;
  answer: VendorAnswer;
}

export abstract class VendorReceiver {
  readonly requests: VendorRequest[] = [];
  /** What the vendor would have refused (schema, pace, headers); a test expects none. */
  readonly violations: string[] = [];
  protected readonly now: () => number;
  private readonly receiver = new Receiver();
  private readonly scripted: VendorAnswer[] = [];
  private readonly contentType: string;

  /** `now`: the clock the app runs on; `contentType` of the vendor's answers. */
  constructor(now: () => number, contentType: string) {
    this.now = now;
    this.contentType = contentType;
  }

  async start(): Promise<this> {
    await this.receiver.start();
    this.receiver.setBehaviour((req) => {
      const clockAt = this.now();
      const answer = this.decide(req, clockAt);
      this.requests.push({ ...req, clockAt, answer });
      return { kind: 'status', status: answer.status, headers: { 'content-type': this.contentType, ...answer.headers }, body: answer.body };
    });
    return this;
  }

  stop(): Promise<void> {
    return this.receiver.stop();
  }

  /** Answers the next valid requests with these, in order; then the vendor's normal answer. */
  script(...answers: VendorAnswer[]): void {
    this.scripted.push(...answers);
  }

  /** Bodies the vendor took (2xx), parsed. */
  accepted(): Record<string, unknown>[] {
    return this.requests.filter((r) => r.answer.status >= 200 && r.answer.status < 300).map((r) => JSON.parse(r.body) as Record<string, unknown>);
  }

  protected urlFor(path: string): string {
    return this.receiver.url(path);
  }

  protected nextScripted(): VendorAnswer | undefined {
    return this.scripted.shift();
  }

  protected abstract decide(req: Received, clockAt: number): VendorAnswer;
}
