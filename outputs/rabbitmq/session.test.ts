// The session's life: close() while a connect is under way leaves no connection open (a leaked one
// keeps the process alive at shutdown and adds one per reload), and a closed session opens nothing.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RabbitSession } from './session.ts';

const connect = vi.hoisted(() => vi.fn());
vi.mock('amqplib', () => ({ connect }));

/** An amqplib ChannelModel whose createConfirmChannel waits until the test releases it. */
function fakeModel() {
  const model = Object.assign(new EventEmitter(), { closed: 0, release: () => {} });
  const channelReady = new Promise<EventEmitter>((resolve) => (model.release = () => resolve(new EventEmitter())));
  return Object.assign(model, {
    createConfirmChannel: () => channelReady,
    close: async () => {
      model.closed++;
    },
  });
}

afterEach(() => connect.mockReset());

describe('rabbitmq session', () => {
  it('close() while the channel is being created closes the connection that connect made', async () => {
    const model = fakeModel();
    connect.mockResolvedValue(model);
    const session = new RabbitSession('amqp://127.0.0.1:5672', { timeout: 1000 });
    const opened = session.open(new AbortController().signal);
    await vi.waitFor(() => expect(connect).toHaveBeenCalled());
    const closing = session.close();
    model.release();
    await expect(opened).rejects.toThrow('the output is closing');
    await closing;
    expect(model.closed).toBe(1);
  });

  it('a closed session refuses to open a new connection', async () => {
    const session = new RabbitSession('amqp://127.0.0.1:5672', { timeout: 1000 });
    await session.close();
    await expect(session.open(new AbortController().signal)).rejects.toThrow('the output is closing');
    expect(connect).not.toHaveBeenCalled();
  });
});
