// close() while a connection is being opened (the output stopped by a reload or at shutdown): the
// connection that opens afterwards is closed at once, never kept (a kept one holds the process open
// at exit), and the link opens nothing again.
import { describe, expect, it } from 'vitest';
import type { connect as Connect } from '@nats-io/transport-node';
import { NatsLink } from './link.ts';

function fakeConnect() {
  const made: { closed: number }[] = [];
  let release: () => void = () => {};
  const connect = (() =>
    new Promise((resolve) => {
      release = () => {
        const nc = { closed: 0, isClosed: () => false, close: async () => void nc.closed++, status: async function* () {} };
        made.push(nc);
        resolve(nc);
      };
    })) as unknown as typeof Connect;
  return { connect, made, release: () => release() };
}

describe('nats link', () => {
  it('close() during a connect: the connection it makes is closed, open() refuses afterwards', async () => {
    const fake = fakeConnect();
    const link = new NatsLink(fake.connect, { servers: [{ server: '127.0.0.1:4222', tls: false }], tls: undefined, connectTimeoutMs: 1000 });
    const opened = link.open(new AbortController().signal);
    link.close();
    fake.release();
    await expect(opened).rejects.toThrow('the output is closing');
    expect(fake.made.map((nc) => nc.closed)).toEqual([1]);
    await expect(link.open(new AbortController().signal)).rejects.toThrow('the output is closing');
  });
});
