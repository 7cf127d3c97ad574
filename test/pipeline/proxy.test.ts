// Outbound proxies and the system's CAs, as falcosidekick's Go client uses them: HTTP_PROXY /
// HTTPS_PROXY (NO_PROXY) carry the HTTP outputs' requests, and a CA in SSL_CERT_FILE (the system
// store) is trusted. Found running falcosidekick 2.34.1 beside Peregrine: behind an egress proxy or
// an internal CA, every output stopped delivering after the switch.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { startApp, type RunningApp } from '../support/app.ts';
import { makeCerts } from '../support/certs.ts';
import { freePort, startDaemon, writeConfig, type Daemon } from '../support/daemon.ts';
import { waitFor } from '../support/receiver.ts';

interface Seen {
  line: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A forward proxy on loopback: answers plain requests itself (recording them; `answer` gives the body), tunnels CONNECT to `tunnelTo`. */
async function forwardProxy(tunnelTo?: number, answer: (seen: Seen) => string = () => ''): Promise<{ server: Server; url: string; seen: Seen[]; connects: string[] }> {
  const seen: Seen[] = [];
  const connects: string[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const one = { line: `${req.method} ${req.url}`, headers: req.headers, body };
      seen.push(one);
      const text = answer(one);
      res.writeHead(200, text ? { 'content-type': 'application/json' } : {}).end(text);
    });
  });
  server.on('connect', (req, socket) => {
    connects.push(req.url ?? '');
    if (tunnelTo === undefined) return socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = connect(tunnelTo, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, connects };
}

/** An HTTPS server with a certificate of a throw-away CA (for 127.0.0.1 and webhook.peregrine.test), recording "METHOD host path". */
async function httpsReceiver() {
  const certs = makeCerts();
  const got: string[] = [];
  const https = createHttpsServer({ cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey) }, (req, res) => {
    req.resume();
    req.on('end', () => {
      got.push(`${req.method} ${(req.headers.host ?? '').replace(/:\d+$/, '')} ${req.url}`);
      res.end();
    });
  });
  https.listen(0, '127.0.0.1');
  await once(https, 'listening');
  servers.push(https);
  return { certs, got, https };
}

const saved = { HTTP_PROXY: process.env.HTTP_PROXY, HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
let app: RunningApp | undefined;
let daemon: Daemon | undefined;
const servers: Server[] = [];
afterEach(async () => {
  for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  await app?.close();
  app = undefined;
  if (daemon && daemon.child.exitCode === null) {
    daemon.child.kill('SIGKILL');
    await daemon.exited;
  }
  daemon = undefined;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

describe('HTTP_PROXY and HTTPS_PROXY', () => {
  it('an http output goes through HTTP_PROXY (absolute-form request, basic auth from the URL kept)', async () => {
    const proxy = await forwardProxy();
    servers.push(proxy.server);
    process.env.HTTP_PROXY = proxy.url;
    delete process.env.NO_PROXY;
    app = await startApp('webhook:\n  address: http://user:pw@webhook.peregrine.test/hook\nstdout:\n  enabled: false\n');
    expect((await app.post(falcoAlertJson(1))).status).toBe(200);
    await waitFor(() => proxy.seen.length === 1, 10_000, 'the request at the proxy');
    expect(proxy.seen[0]?.line).toBe('POST http://webhook.peregrine.test/hook');
    expect(proxy.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('user:pw').toString('base64')}`);
    expect(JSON.parse(proxy.seen[0]?.body ?? '{}')).toMatchObject({ uuid: 'alert-1' });
  });

  it('an https output tunnels through HTTPS_PROXY (CONNECT) and verifies the destination inside it', async () => {
    const { certs, got, https } = await httpsReceiver();
    const proxy = await forwardProxy((https.address() as AddressInfo).port);
    servers.push(proxy.server);
    process.env.HTTPS_PROXY = proxy.url;
    app = await startApp(`webhook:\n  address: https://webhook.peregrine.test/hook\n  cacertfile: ${certs.ca}\nstdout:\n  enabled: false\n`);
    expect((await app.post(falcoAlertJson(2))).status).toBe(200);
    await waitFor(() => got.length === 1, 10_000, 'the request through the tunnel');
    expect(proxy.connects).toEqual(['webhook.peregrine.test:443']);
    expect(got).toEqual(['POST webhook.peregrine.test /hook']);
  });

  it('the Elasticsearch output goes through it too (its official client cannot use a proxy: the plain _bulk transport does)', async () => {
    const bulk = (s: Seen) =>
      s.line.includes('/_bulk') ? JSON.stringify({ errors: false, items: s.body.trim().split('\n').filter((_, i) => i % 2 === 0).map(() => ({ create: { status: 201 } })) }) : '{}';
    const proxy = await forwardProxy(undefined, bulk);
    servers.push(proxy.server);
    process.env.HTTP_PROXY = proxy.url;
    app = await startApp('elasticsearch:\n  hostport: http://es.peregrine.test:9200\n  flavor: elasticsearch\nstdout:\n  enabled: false\n');
    expect((await app.post(falcoAlertJson(5))).status).toBe(200);
    await waitFor(() => proxy.seen.some((s) => s.line.startsWith('POST http://es.peregrine.test:9200/_bulk')), 10_000, 'the _bulk request at the proxy');
    await waitFor(() => app?.workers[0]?.healthSnapshot().delivered === 1, 10_000, 'the alert delivered');
  });

  it('a loopback destination is sent directly, as Go sends it (NO_PROXY is read too: test/unit/plugin/proxy.test.ts)', async () => {
    const proxy = await forwardProxy();
    servers.push(proxy.server);
    const direct: string[] = [];
    const receiver = createHttpServer((req, res) => {
      direct.push(`${req.method} ${req.url}`);
      req.resume();
      res.end();
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    servers.push(receiver);
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'other.example';
    app = await startApp(`webhook:\n  address: http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook\nstdout:\n  enabled: false\n`);
    expect((await app.post(falcoAlertJson(3))).status).toBe(200);
    await waitFor(() => direct.length === 1, 10_000, 'the direct request');
    expect(proxy.seen).toEqual([]);
  });
});

describe('the system CAs', () => {
  it('a CA given in SSL_CERT_FILE (the system store) is trusted by an https output, with no cacertfile', async () => {
    const { certs, got, https } = await httpsReceiver();
    const port = await freePort();
    const file = writeConfig(
      `listenaddress: 127.0.0.1\nlistenport: ${port}\nspool:\n  enabled: false\nstdout:\n  enabled: false\nwebhook:\n  address: https://127.0.0.1:${(https.address() as AddressInfo).port}/hook\n`,
    );
    daemon = startDaemon(['-c', file], { SSL_CERT_FILE: certs.ca });
    await waitFor(() => daemon?.stderr.some((l) => l.includes('listening on')) ?? false, 20_000, 'the daemon to listen');
    const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: falcoAlertJson(4) });
    expect(res.status).toBe(200);
    await waitFor(() => got.length === 1, 15_000, `the alert over TLS (daemon log: ${daemon?.stderr.slice(-3).join(' | ')})`);
    expect(got).toEqual(['POST 127.0.0.1 /hook']);
  });
});
