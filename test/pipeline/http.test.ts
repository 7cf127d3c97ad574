// sendHttp (every HTTP output's request) against a real receiver: the response as read, and the
// deadline in each place it can fire — before sending, while queued for a connection, mid-request.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPool, sendHttp } from '../../src/plugin/http.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

describe('sendHttp', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await receiver.stop();
  });
  const pool = (connections = 2) => createHttpPool(receiver.url(), { tls: { rejectUnauthorized: true }, connections, timeoutMs: 5_000 });
  const post = (p: ReturnType<typeof pool>, signal: AbortSignal, path = '/events') =>
    sendHttp(p, { path, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}', signal });

  it('returns the status, the headers and the whole body, however many chunks it came in', async () => {
    const big = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ create: { _id: `id-${i}`, status: 201 } })) });
    receiver.setBehaviour(() => ({ kind: 'status', status: 429, headers: { 'retry-after': '7' }, body: big }));
    const p = pool();
    const res = await post(p, new AbortController().signal);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.text.length).toBe(big.length);
    expect(res.text).toBe(big);
    expect(receiver.received.length).toBe(0); // a 'status' answer is not recorded as accepted
    await p.close();
  });

  it('rejects with the signal reason without sending when the signal has already fired', async () => {
    receiver.setBehaviour(() => ({ kind: 'ok' }));
    const before = receiver.attempts;
    const seen = receiver.received.length;
    const p = pool(1); // one connection, first in first out: had the aborted request been sent, it would arrive first
    const c = new AbortController();
    c.abort(new Error('deadline passed'));
    await expect(post(p, c.signal, '/aborted')).rejects.toThrow('deadline passed');
    expect((await post(p, new AbortController().signal, '/after')).status).toBe(200);
    expect(receiver.attempts).toBe(before + 1);
    expect(receiver.received.slice(seen).map((r) => r.url)).toEqual(['/after']);
    await p.close();
  });

  it('aborts a request that hangs, and one still waiting for a connection; the pool keeps working', async () => {
    receiver.setBehaviour((req) => (req.url === '/hang' ? { kind: 'hang' } : { kind: 'ok' }));
    const p = pool(1); // one connection: the second request queues behind the hanging one
    const first = new AbortController();
    const second = new AbortController();
    const before = receiver.attempts;
    const hanging = post(p, first.signal, '/hang');
    const queued = post(p, second.signal, '/queued');
    await waitFor(() => receiver.attempts === before + 1, 5000, 'the hanging request to arrive');
    second.abort(new Error('timed out after 100 ms'));
    await expect(queued).rejects.toThrow('timed out after 100 ms');
    first.abort(new Error('timed out after 200 ms'));
    await expect(hanging).rejects.toThrow('timed out after 200 ms');
    const after = await post(p, new AbortController().signal, '/after');
    expect(after.status).toBe(200);
    // One connection, first in first out: had the aborted request been sent, it would be here by now.
    expect(receiver.received.map((r) => r.url)).toContain('/after');
    expect(receiver.received.map((r) => r.url)).not.toContain('/queued');
    await p.close();
  });

  it('skips a 103 Early Hints answer, strips a UTF-8 BOM, and rejects on a closed pool', async () => {
    const server = createServer((_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.writeHead(201, { 'content-type': 'application/json' }).end('\uFEFF{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const p = createHttpPool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { tls: { rejectUnauthorized: true }, connections: 1, timeoutMs: 5_000 });
    const res = await post(p, new AbortController().signal);
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.text)).toEqual({ ok: true });
    await p.close();
    await expect(post(p, new AbortController().signal)).rejects.toThrow(/destroyed|closed/i);
    await new Promise((resolve) => server.close(resolve));
  });

  it('rejects with a network error when the receiver resets the connection', async () => {
    receiver.setBehaviour(() => ({ kind: 'reset' }));
    const p = pool();
    await expect(post(p, new AbortController().signal)).rejects.toThrow();
    await p.close();
  });
});
