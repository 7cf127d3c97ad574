// The output against an in-process json_lines receiver on 127.0.0.1: a batch in one connection,
// TLS (checkcert, cacertfile, mutualtls) and how each connection failure is classified.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { makeCerts } from '../../test/support/certs.ts';
import { LogstashReceiver } from '../../test/support/logstash-receiver.ts';
import { connectPlugin, type PluginHarness } from '../../test/support/plugin-harness.ts';
import { waitFor } from '../../test/support/receiver.ts';
import logstash from './index.ts';

const certs = makeCerts();
const serverTls = (requestCert = false) => ({
  key: readFileSync(certs.serverKey),
  cert: readFileSync(certs.serverCert),
  ...(requestCert ? { requestCert: true, rejectUnauthorized: true, ca: readFileSync(certs.ca) } : {}),
});
const tlsCtx = { tls: { cacertfile: '', certfile: certs.clientCert, keyfile: certs.clientKey, mutualcacertfile: certs.ca } };

const open: { close?(): unknown; stop?(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await (o.close ?? o.stop)?.call(o);
});

async function receiver(tls?: Parameters<typeof serverTls>[0]): Promise<LogstashReceiver> {
  const r = await new LogstashReceiver(tls === undefined ? undefined : serverTls(tls)).start();
  open.push(r);
  return r;
}

async function plugin(section: Record<string, unknown>, ctx: Record<string, unknown> = {}): Promise<PluginHarness> {
  const h = await connectPlugin(logstash, { address: '127.0.0.1', ...section }, ctx);
  open.push(h);
  return h;
}

const uuids = (r: LogstashReceiver) => r.events.map((e) => e.event.uuid);

describe('logstash output', () => {
  it('a batch goes as one line per alert, in order, on one connection kept for the next batch', async () => {
    const r = await receiver();
    const h = await plugin({ port: r.port });
    const alerts = testAlerts(5);
    expect(await h.send(alerts.slice(0, 3))).toEqual({ kind: 'ok' });
    expect(await h.send(alerts.slice(3))).toEqual({ kind: 'ok' });
    await waitFor(() => r.events.length === 5, 5000, '5 events');
    expect(uuids(r)).toEqual(alerts.map((a) => a.uuid));
    expect(r.events.map((e) => e.connection)).toEqual([0, 0, 0, 0, 0]);
    expect([r.parseFailures, r.cutLines]).toEqual([[], []]);
  });

  it('Logstash closed the connection (a restart): the next batch opens a new one', async () => {
    const r = await receiver();
    const h = await plugin({ port: r.port });
    const [a, b] = testAlerts(2);
    expect((await h.send([a!])).kind).toBe('ok');
    await waitFor(() => r.events.length === 1, 5000, 'first event');
    await r.stop();
    await r.start();
    expect((await h.send([b!])).kind).toBe('ok');
    await waitFor(() => r.events.length === 2, 5000, 'second event');
    expect(r.events.map((e) => [e.event.uuid, e.connection])).toEqual([
      [a!.uuid, 0],
      [b!.uuid, 1],
    ]);
  });

  it('connection refused: retried (not a credential problem), naming host and port', async () => {
    const r = await receiver();
    const port = r.port;
    await r.stop();
    const h = await plugin({ port });
    const result = await h.send(testAlerts(1));
    expect(result).toMatchObject({ kind: 'retry', reason: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`)) });
    expect((result as { auth?: boolean }).auth).toBeFalsy();
  });

  it("tls with falcosidekick's default checkcert false: an untrusted certificate is accepted", async () => {
    const r = await receiver(false);
    const h = await plugin({ port: r.port, tls: true });
    expect(await h.send(testAlerts(1))).toEqual({ kind: 'ok' });
    await waitFor(() => r.events.length === 1, 5000, 'event over TLS');
  });

  it('tls with checkcert: refused without the CA (retried as a credential problem), accepted with cacertfile', async () => {
    const r = await receiver(false);
    const refused = await (await plugin({ port: r.port, tls: true, checkcert: true })).send(testAlerts(1));
    expect(refused).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringMatching(/certificate/i) });
    const h = await plugin({ port: r.port, tls: true, checkcert: true, cacertfile: certs.ca });
    expect(await h.send(testAlerts(1))).toEqual({ kind: 'ok' });
    await waitFor(() => r.events.length === 1, 5000, 'event over verified TLS');
  });

  it('mutualtls: the client certificate from mutualtlsclient.* (or certfile/keyfile), the server verified with its CA', async () => {
    const r = await receiver(true);
    expect(await (await plugin({ port: r.port, mutualtls: true }, tlsCtx)).send(testAlerts(1))).toEqual({ kind: 'ok' });
    const own = { tls: { cacertfile: '', certfile: '/nonexistent.crt', keyfile: '/nonexistent.key', mutualcacertfile: '/nonexistent-ca.crt' } };
    expect(await (await plugin({ port: r.port, mutualtls: true, certfile: certs.clientCert, keyfile: certs.clientKey, cacertfile: certs.ca }, own)).send(testAlerts(1))).toEqual({ kind: 'ok' });
    await waitFor(() => r.events.length === 2, 5000, 'events over mutual TLS');
  });

  it('a Logstash that requires a client certificate and gets none: the batch is retried, never counted delivered', async () => {
    const r = await receiver(true); // requestCert + rejectUnauthorized, TLS 1.3 offered as Logstash's input does
    const result = await (await plugin({ port: r.port, tls: true, checkcert: true, cacertfile: certs.ca })).send(testAlerts(2));
    expect(result).toMatchObject({ kind: 'retry' });
    expect(r.events).toHaveLength(0);
  });

  it('mutualtls with an unreadable certificate file: connect() throws naming the file (the core retries it)', async () => {
    const own = { tls: { cacertfile: '', certfile: '/nonexistent.crt', keyfile: '/nonexistent.key', mutualcacertfile: certs.ca } };
    await expect(connectPlugin(logstash, { address: '127.0.0.1', port: 1, mutualtls: true }, own)).rejects.toThrow(/\/nonexistent\.crt/);
  });

  it('healthcheck: ok when Logstash takes the connection, a message naming it when refused', async () => {
    const r = await receiver();
    const options = logstash.schema.parse({ address: '127.0.0.1', port: r.port });
    const client = logstash.connect!(options, {} as never) as Awaited<ReturnType<NonNullable<typeof logstash.connect>>>;
    const signal = AbortSignal.timeout(5000);
    expect(await logstash.healthcheck!({ client, options, signal } as never)).toEqual({ ok: true });
    logstash.close!(client);
    await r.stop();
    const again = logstash.connect!(options, {} as never) as typeof client;
    expect(await logstash.healthcheck!({ client: again, options, signal } as never)).toMatchObject({ ok: false, message: expect.stringMatching(/^cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/) });
    logstash.close!(again);
  });
});
