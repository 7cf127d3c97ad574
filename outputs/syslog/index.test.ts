// The transports against real sockets on 127.0.0.1: what arrives, byte for byte, and how every
// failure a syslog server can cause is classified.
import { createSocket, type Socket as DatagramSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import type { Outcome, SendResult } from '../../src/dispatch/result.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { connectPlugin, type PluginHarness } from '../../test/support/plugin-harness.ts';
import { waitFor } from '../../test/support/receiver.ts';
import syslog from './index.ts';
import { syslogLine } from './message.ts';
import { TcpStream } from './transport.ts';

const alerts = (n: number, from = 0): Alert[] => Array.from({ length: n }, (_, i) => freezeAlert(toAlert(parseJson(falcoAlertJson(from + i)) as AlertInput)));
const big = (chars: number): Alert => freezeAlert(toAlert({ uuid: 'big', priority: 'Warning', rule: 'R', time: '2026-11-20T10:21:36Z', output: 'x'.repeat(chars) } as AlertInput));
const header = (client: unknown) => (client as { header: { hostname: string; pid: number } }).header;

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function plugin(section: Record<string, unknown>): Promise<PluginHarness & { line(a: Alert): string }> {
  const h = await connectPlugin(syslog, { host: '127.0.0.1', ...section });
  open.push(h);
  const hdr = { hostname: (await import('node:os')).hostname(), pid: process.pid };
  return Object.assign(h, { line: (a: Alert) => syslogLine(a, (section.format as 'json' | 'cef' | undefined) ?? 'json', hdr) });
}

/** A TCP syslog server: every byte received, the connections it accepted. */
async function tcpServer(port = 0, opts: { paused?: boolean } = {}): Promise<{ server: Server; port: number; text(): string; texts: string[]; sockets: Socket[]; close(): Promise<void> }> {
  const texts: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    const i = sockets.push(socket) - 1;
    texts[i] = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (texts[i] += chunk));
    socket.on('error', () => {});
    if (opts.paused) socket.pause(); // reads nothing: the kernel buffers fill, then the client's write waits
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const s = {
    server,
    port: (server.address() as AddressInfo).port,
    text: () => texts.join(''),
    texts,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  open.push(s);
  return s;
}

async function udpServer(port = 0): Promise<{ socket: DatagramSocket; port: number; received: string[]; close(): void }> {
  const received: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (msg) => received.push(msg.toString('utf8')));
  socket.bind(port, '127.0.0.1');
  await once(socket, 'listening');
  const s = { socket, port: socket.address().port, received, close: () => socket.close() };
  open.push(s);
  return s;
}

async function closedPort(): Promise<number> {
  const s = await tcpServer();
  await s.close();
  return s.port;
}

const kinds = (result: SendResult): string[] => (result.kind === 'partial' ? result.items.map((o) => o.kind) : [result.kind]);
const reasons = (result: SendResult): string[] => (result.kind === 'partial' ? result.items : [result]).map((o: Outcome) => (o.kind === 'ok' ? '' : o.reason));

describe('syslog over TCP', () => {
  it('a batch is one write of newline-terminated lines, on one connection kept for the next batch', async () => {
    const server = await tcpServer();
    const h = await plugin({ port: server.port, protocol: 'tcp' });
    const [a, b, c] = alerts(3);
    expect(await h.send([a as Alert, b as Alert])).toEqual({ kind: 'ok' });
    expect(await h.send([c as Alert])).toEqual({ kind: 'ok' });
    const expected = [a, b, c].map((x) => h.line(x as Alert)).join('');
    await waitFor(() => server.text().length >= expected.length, 5000, 'three lines');
    expect(server.text()).toBe(expected);
    expect(server.sockets).toHaveLength(1);
  });

  it('close() while a connection is being made ends the wait for it (shutdown does not hang on a connect)', async () => {
    const server = await tcpServer();
    const stream = new TcpStream({ host: '127.0.0.1', port: server.port });
    const opening = stream.open(new AbortController().signal);
    stream.close();
    await expect(opening).rejects.toThrow('the connection was closed before it was established');
  });

  it('cef lines, same framing', async () => {
    const server = await tcpServer();
    const h = await plugin({ port: server.port, protocol: 'tcp', format: 'cef' });
    const [a] = alerts(1);
    expect(await h.send([a as Alert])).toEqual({ kind: 'ok' });
    await waitFor(() => server.text().endsWith('\n'), 5000, 'the line');
    expect(server.text()).toBe(h.line(a as Alert));
    expect(server.text()).toMatch(/^<5>2026-11-20T10:21:36Z \S+ Falco\[\d+\]: CEF:0\|Falcosecurity\|Falco\|1\.0\|Falco Event\|Terminal shell in container\|4\|uuid=alert-0 /);
  });

  it('the server closing the connection (a restart): the next batch goes on a new connection, nothing lost', async () => {
    const server = await tcpServer();
    const h = await plugin({ port: server.port, protocol: 'tcp' });
    const batch = alerts(4);
    expect(await h.send(batch.slice(0, 2))).toEqual({ kind: 'ok' });
    await waitFor(() => server.text().split('\n').length === 3, 5000, 'two lines');
    server.sockets[0]?.end();
    await waitFor(() => server.sockets[0]?.closed === true, 5000, 'the close');
    await new Promise((resolve) => setImmediate(resolve)); // the client reads the FIN
    expect(await h.send(batch.slice(2))).toEqual({ kind: 'ok' });
    const expected = batch.map((x) => h.line(x)).join('');
    await waitFor(() => server.text().length >= expected.length, 5000, 'four lines');
    expect(server.text()).toBe(expected);
    expect(server.sockets).toHaveLength(2);
  });

  it('connection refused: retried with the address and the reason; delivered once the server listens', async () => {
    const port = await closedPort();
    const h = await plugin({ port, protocol: 'tcp' });
    const [a] = alerts(1);
    const result = await h.send([a as Alert]);
    expect(result).toEqual({ kind: 'retry', reason: `tcp 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}` });
    const server = await tcpServer(port);
    expect(await h.send([a as Alert])).toEqual({ kind: 'ok' });
    await waitFor(() => server.text() === h.line(a as Alert), 5000, 'the line');
  });

  it('a server that stops reading: the write times out, is retried, and the next send opens a new connection', async () => {
    const paused = { paused: true };
    const server = await tcpServer(0, paused);
    const huge = big(64 << 20); // more than the kernel buffers of both ends
    const options = { format: 'json' } as never;
    const client = (await syslog.connect?.({ host: '127.0.0.1', port: server.port, protocol: 'tcp', format: 'json' } as never, {} as never)) as never;
    open.push({ close: () => syslog.close?.(client) });
    const result = await syslog.sendBatch([huge], { options, client, signal: AbortSignal.timeout(300), log: undefined as never, clock: undefined as never });
    expect(result).toMatchObject({ kind: 'retry', reason: expect.stringMatching(new RegExp(`^tcp 127\\.0\\.0\\.1:${server.port}: .*(timeout|aborted)`, 'i')) });
    paused.paused = false;
    server.sockets.forEach((s) => s.resume());
    const [a] = alerts(1);
    expect(await syslog.sendBatch([a as Alert], { options, client, signal: AbortSignal.timeout(5000), log: undefined as never, clock: undefined as never })).toEqual({ kind: 'ok' });
    await waitFor(() => server.texts[1] === syslogLine(a as Alert, 'json', header(client)), 10_000, 'the line on a new connection');
  });

  it('healthcheck: a message to act on while the server refuses, ok once it listens', async () => {
    const port = await closedPort();
    const client = (await syslog.connect?.({ host: '127.0.0.1', port, protocol: 'tcp', format: 'json' } as never, {} as never)) as never;
    open.push({ close: () => syslog.close?.(client) });
    const check = () => syslog.healthcheck?.({ options: {} as never, client, signal: AbortSignal.timeout(2000), clock: undefined as never });
    expect(await check()).toEqual({ ok: false, message: `cannot connect to tcp 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}` });
    await tcpServer(port);
    expect(await check()).toEqual({ ok: true });
  });
});

describe('syslog over UDP', () => {
  it('one datagram per alert, each exactly its line', async () => {
    const server = await udpServer();
    const h = await plugin({ port: String(server.port), protocol: 'udp' });
    const batch = alerts(3);
    expect(kinds(await h.send(batch))).toEqual(['ok', 'ok', 'ok']);
    await waitFor(() => server.received.length === 3, 5000, 'three datagrams');
    expect(server.received).toEqual(batch.map((a) => h.line(a)));
  });

  it('an alert too large for a datagram is dead-lettered with the reason; the others go', async () => {
    const server = await udpServer();
    const h = await plugin({ port: server.port, protocol: 'udp' });
    const [a, b] = alerts(2);
    const result = await h.send([a as Alert, big(70_000), b as Alert]);
    expect(kinds(result)).toEqual(['ok', 'fail', 'ok']);
    expect(reasons(result)[1]).toMatch(/^the syslog line is 70\d{3} bytes, more than a UDP datagram holds \(65507\): use protocol tcp for alerts this large$/);
    await waitFor(() => server.received.length === 2, 5000, 'two datagrams');
    expect(server.received).toEqual([h.line(a as Alert), h.line(b as Alert)]);
    // The largest line that fits goes.
    const fits = big(65_507 - h.line(big(0)).length);
    expect(Buffer.byteLength(h.line(fits))).toBe(65_507);
    expect(kinds(await h.send([fits]))).toEqual(['ok']);
    await waitFor(() => server.received.length === 3, 5000, 'the largest datagram');
  });

  it('a closed port ("port unreachable"): retried, not counted delivered; delivered once the server is there', async () => {
    const probe = await udpServer();
    const port = probe.port;
    probe.close();
    open.splice(open.indexOf(probe), 1);
    const h = await plugin({ port, protocol: 'udp' });
    const batch = alerts(2);
    // One datagram: the refusal comes back after the send (settle); two: on the second send.
    expect(kinds(await h.send(batch.slice(0, 1)))).toEqual(['retry']);
    const refused = await h.send(batch);
    expect(kinds(refused)).toEqual(['retry', 'retry']);
    expect(reasons(refused)[0]).toMatch(new RegExp(`^udp 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    const server = await udpServer(port);
    expect(kinds(await h.send(batch))).toEqual(['ok', 'ok']);
    await waitFor(() => server.received.length === 2, 5000, 'two datagrams');
    expect(server.received).toEqual(batch.map((a) => h.line(a)));
  });
});
