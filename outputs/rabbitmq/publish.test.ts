// One publish's outcome from what amqplib reports on the confirm channel: the broker's ack (after a
// return when the message was unroutable, one return per copy), its nack, or the channel closing
// under the publish (a broker restart: 320 CONNECTION_FORCED, which amqplib reports on the confirm
// callbacks before it says why the connection closed).
import { describe, expect, it } from 'vitest';
import type { ConfirmChannel } from 'amqplib';
import { priorityAlerts } from '../../test/support/alerts.ts';
import { publish } from './index.ts';
import type { Session } from './session.ts';

type Callback = (err: Error | null) => void;

/** A session whose channel keeps each publish's callback, for the test to answer. */
function fakeSession() {
  const pending: { id: string; cb: Callback }[] = [];
  const channel = {
    publish: (_exchange: string, _key: string, _body: Buffer, props: { messageId: string }, cb: Callback) => {
      pending.push({ id: props.messageId, cb });
      return true;
    },
  } as unknown as ConfirmChannel;
  const session: Session = { channel, returned: new Map(), blocked: undefined, closed: undefined };
  return { session, pending };
}

const [alert] = priorityAlerts();

describe('rabbitmq publish', () => {
  it('an ack is delivered; a nack is the broker refusing the message', async () => {
    const { session, pending } = fakeSession();
    const acked = publish(session, 'falco', alert!);
    const nacked = publish(session, 'falco', alert!);
    pending[0]!.cb(null);
    pending[1]!.cb(new Error('message nacked'));
    expect(await acked).toEqual({ kind: 'ok' });
    expect(await nacked).toMatchObject({ kind: 'retry', notOwn: true, reason: expect.stringContaining('basic.nack') });
  });

  it('two copies of one alert, both returned as unroutable, then confirmed by one ack: both unroutable', async () => {
    const { session, pending } = fakeSession();
    const copies = [publish(session, 'falco', alert!), publish(session, 'falco', alert!)];
    session.returned.set(alert!.uuid, 2); // two basic.return, then one ack with multiple=true
    for (const p of pending) p.cb(null);
    for (const outcome of await Promise.all(copies)) expect(outcome).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('no queue "falco"') });
    expect(session.returned.size).toBe(0);
  });

  it('the channel closing under a publish is not reported as a nack', async () => {
    const { session, pending } = fakeSession();
    const outcome = publish(session, 'falco', alert!);
    pending[0]!.cb(new Error('channel closed')); // before the connection's close event names the cause
    expect(await outcome).toMatchObject({ kind: 'retry', reason: 'channel closed' });
    session.closed = new Error('Connection closed: 320 (CONNECTION-FORCED) with message "CONNECTION_FORCED - broker forced connection closure with reason \'shutdown\'"');
    const later = publish(session, 'falco', alert!);
    pending[1]!.cb(new Error('channel closed'));
    expect(await later).toMatchObject({ kind: 'retry', reason: expect.stringContaining('CONNECTION_FORCED') });
  });
});
