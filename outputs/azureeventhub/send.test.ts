// A worker batch → EventDataBatch sends, with a producer that records what it is given: the
// bodies are the alerts' JSON, batches are cut where the hub's size says, an alert too big alone is
// refused without a call, and a failed send is classified for the alerts it carried.
import { MessagingError, type EventData, type EventDataBatch } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { serializeAlert } from '../../src/alert/serialize.ts';
import { testAlerts } from '../../test/support/alerts.ts';
import type { Target } from './classify.ts';
import { sendEvents, type Producer } from './send.ts';

const target: Target = { name: 'falco', namespace: 'ns.servicebus.windows.net', auth: 'connectionstring' };
const OVERHEAD = 50;

class FakeProducer implements Producer {
  readonly sent: string[][] = [];
  readonly errors: (Error | undefined)[] = [];
  createError: Error | undefined;
  readonly maxSizeInBytes: number;
  constructor(maxSizeInBytes: number) {
    this.maxSizeInBytes = maxSizeInBytes;
  }
  createBatch(): Promise<EventDataBatch> {
    if (this.createError) return Promise.reject(this.createError);
    const bodies: string[] = [];
    let size = 0;
    const max = this.maxSizeInBytes;
    return Promise.resolve({
      maxSizeInBytes: max,
      get count() {
        return bodies.length;
      },
      tryAdd(event: EventData) {
        const body = Buffer.from(event.body as Buffer).toString();
        if (size + body.length + OVERHEAD > max) return false;
        size += body.length + OVERHEAD;
        bodies.push(body);
        return true;
      },
      bodies,
    } as unknown as EventDataBatch);
  }
  sendBatch(batch: EventDataBatch): Promise<void> {
    const err = this.errors.shift();
    if (err) return Promise.reject(err);
    this.sent.push([...(batch as unknown as { bodies: string[] }).bodies]);
    return Promise.resolve();
  }
}

const answered = (code: string, description: string) => Object.assign(new MessagingError(description), { code });
const signal = new AbortController().signal;

describe('sendEvents', () => {
  const alerts = testAlerts(3);
  const json = alerts.map(serializeAlert);
  const size = (json[0] as string).length + OVERHEAD;

  it('one send for what fits, each body exactly the alert JSON', async () => {
    const producer = new FakeProducer(1_048_576);
    expect(await sendEvents(alerts, producer, target, signal)).toEqual({ kind: 'ok' });
    expect(producer.sent).toEqual([json]);
  });

  it('cuts the batch where the hub size says', async () => {
    const producer = new FakeProducer(size * 2);
    expect(await sendEvents(alerts, producer, target, signal)).toEqual({ kind: 'ok' });
    expect(producer.sent).toEqual([json.slice(0, 2), json.slice(2)]);
  });

  it('an alert too big for an event on its own is refused without a call; the others go', async () => {
    const big = testAlerts(1, { output: 'x'.repeat(2000) });
    const producer = new FakeProducer(size + 10);
    const result = await sendEvents([alerts[0], big[0], alerts[1]].map((a) => a as (typeof alerts)[0]), producer, target, signal);
    const bigBytes = serializeAlert(big[0] as (typeof big)[0]).length;
    expect(result).toEqual({
      kind: 'partial',
      items: [{ kind: 'ok' }, { kind: 'fail', reason: `the alert is ${bigBytes} bytes, too big for event hub falco's maximum message size (${size + 10} bytes with the event's envelope)` }, { kind: 'ok' }],
    });
    expect(producer.sent).toEqual([[json[0]], [json[1]]]);
  });

  it('a server-busy answer to the second send: the first delivered, the rest wait the throttle', async () => {
    const producer = new FakeProducer(size);
    producer.errors.push(undefined, answered('ServerBusyError', 'busy'));
    const busy = { kind: 'retry', reason: 'Event Hubs answered ServerBusyError: busy', afterMs: 4000 };
    expect(await sendEvents(alerts, producer, target, signal)).toEqual({ kind: 'partial', items: [{ kind: 'ok' }, busy, busy] });
    expect(producer.sent).toEqual([[json[0]]]);
  });

  it('a message-size refusal of a send of several alerts is theirs together: the core halves it', async () => {
    const producer = new FakeProducer(1_048_576);
    producer.errors.push(answered('MessageTooLargeError', 'too large'));
    expect(await sendEvents(alerts, producer, target, signal)).toEqual({ kind: 'fail', reason: 'Event Hubs answered MessageTooLargeError: too large', wholeCall: true });
  });

  it('refused credentials when the batch is made: one outcome for the batch', async () => {
    const producer = new FakeProducer(1_048_576);
    producer.createError = answered('UnauthorizedError', 'InvalidSignature');
    expect(await sendEvents(alerts, producer, target, signal)).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringMatching(/^Event Hubs answered UnauthorizedError: InvalidSignature \(the credentials were refused/) as unknown });
    expect(producer.sent).toEqual([]);
  });

  it('at the deadline the error goes to the core as thrown', async () => {
    const producer = new FakeProducer(1_048_576);
    const aborted = new AbortController();
    aborted.abort(new Error('timeout'));
    producer.createError = new Error('The operation was aborted.');
    await expect(sendEvents(alerts, producer, target, aborted.signal)).rejects.toThrow('The operation was aborted.');
  });
});
