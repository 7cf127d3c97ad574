// The statsd output over a real UDP socket on 127.0.0.1: the datagrams as sent, and what
// "delivered" means when nothing listens (ICMP port unreachable on the connected socket).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { waitFor } from '../../test/support/receiver.ts';
import { UdpSender } from '../syslog/transport.ts';
import { sendCounts } from './output.ts';

const signal = new AbortController().signal;
const sockets: Socket[] = [];
const senders: UdpSender[] = [];

async function listener(): Promise<{ port: number; datagrams: string[] }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const datagrams: string[] = [];
  socket.on('message', (m) => datagrams.push(m.toString()));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, datagrams };
}

function client(port: number, tags: string[] = []) {
  const udp = new UdpSender({ host: '127.0.0.1', port });
  senders.push(udp);
  return { udp, counting: { namespace: 'falcosidekick.', tags }, where: `127.0.0.1:${port}` };
}

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
  for (const u of senders.splice(0)) u.close();
});

describe('statsd send', () => {
  it('sends the counts of a batch in as few datagrams as fit, and answers ok', async () => {
    const server = await listener();
    const alerts = [...testAlerts(1), ...testAlerts(1, {}, 'Critical')];
    expect(await sendCounts(alerts, client(server.port, ['env:prod']), signal)).toEqual({ kind: 'ok' });
    await waitFor(() => server.datagrams.length === 1, 5000, 'one datagram');
    expect(server.datagrams).toEqual([
      'falcosidekick.total:1|c|#env:prod\nfalcosidekick.inputs.requests.accepted:1|c|#env:prod\nfalcosidekick.falco.accepted:1|c|#env:prod,priority:Notice\n' +
        'falcosidekick.total:1|c|#env:prod\nfalcosidekick.inputs.requests.accepted:1|c|#env:prod\nfalcosidekick.falco.accepted:1|c|#env:prod,priority:Critical\n',
    ]);
  });

  it('nothing listens on the port: the port-unreachable answer makes the batch a retry, not a delivery', async () => {
    const closed = await listener();
    const port = closed.port;
    closed.datagrams.length = 0;
    sockets.pop()?.close();
    const c = client(port);
    const result = await sendCounts(testAlerts(3), c, signal);
    expect(result).toMatchObject({ kind: 'retry', reason: expect.stringMatching(new RegExp(`^udp 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*port unreachable: nothing listens there`)) });
    // Once the server is back on the port, the same client delivers.
    const socket = createSocket('udp4');
    sockets.push(socket);
    const back: string[] = [];
    socket.on('message', (m) => back.push(m.toString()));
    await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
    expect(await sendCounts(testAlerts(1), c, signal)).toEqual({ kind: 'ok' });
    await waitFor(() => back.length === 1, 5000, 'the datagram');
  });

  it('an abort at the deadline is thrown to the core', async () => {
    const server = await listener();
    await expect(sendCounts(testAlerts(1), client(server.port), AbortSignal.abort(new Error('timed out')))).rejects.toThrow('timed out');
  });
});
