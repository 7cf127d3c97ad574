// TLS both ways: ingest over TLS/mTLS (falcosidekick's tlsserver.*), and the shared client TLS of
// HTTP outputs (checkcert, cacertfile, mutualtls) against an HTTPS receiver.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { startApp, type RunningApp } from '../support/app.ts';
import { makeCerts, type TestCerts } from '../support/certs.ts';
import { configFromYaml } from '../support/config.ts';
import { freePort } from '../support/daemon.ts';
import { waitFor } from '../support/receiver.ts';

let certs: TestCerts;
beforeAll(() => {
  certs = makeCerts();
});

describe('ingest over TLS (tlsserver.*)', () => {
  let app: RunningApp;
  let plainPort: number;
  afterAll(async () => app?.stop());

  it('serves HTTPS with mutual TLS, and only notlspaths on the plain port', async () => {
    plainPort = await freePort();
    app = await startApp(
      `tlsserver:\n  deploy: true\n  certfile: ${certs.serverCert}\n  keyfile: ${certs.serverKey}\n  mutualtls: true\n  cacertfile: ${certs.ca}\n  notlsport: ${plainPort}\n  notlspaths: /ping,/healthz\nstdout:\n  enabled: false\n`,
    );
    await app.statusServer?.listen({ host: '127.0.0.1', port: plainPort });
    const url = app.url.replace('http://', 'https://');
    const ca = readFileSync(certs.ca);
    const withClientCert = new Agent({ connect: { ca, cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey) } });
    const res = await request(`${url}/`, { method: 'POST', dispatcher: withClientCert, headers: { 'content-type': 'application/json' }, body: falcoAlertJson(1) });
    expect(res.statusCode).toBe(200);
    await res.body.dump();

    const noClientCert = new Agent({ connect: { ca } });
    await expect(request(`${url}/ping`, { dispatcher: noClientCert })).rejects.toThrow();

    const plainPing = await request(`http://127.0.0.1:${plainPort}/ping`);
    expect(await plainPing.body.text()).toBe('pong\n');
    // As in falcosidekick, a notlspaths route moves to the plain port: the TLS server no longer serves it.
    const tlsPing = await request(`${url}/ping`, { dispatcher: withClientCert });
    expect(tlsPing.statusCode).toBe(404);
    await tlsPing.body.dump();
    const tlsMetrics = await request(`${url}/metrics`, { dispatcher: withClientCert });
    expect(tlsMetrics.statusCode).toBe(200);
    await tlsMetrics.body.dump();
    const plainPost = await request(`http://127.0.0.1:${plainPort}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: falcoAlertJson(2) });
    expect(plainPost.statusCode).toBe(404);
    await plainPost.body.dump();
    await Promise.all([withClientCert.close(), noClientCert.close()]);
  });

  it('defaults to falcosidekick\'s plain port 2810, and no plain server without notlspaths', async () => {
    const tls = `tlsserver:\n  deploy: true\n  certfile: ${certs.serverCert}\n  keyfile: ${certs.serverKey}\n`;
    const without = await startApp(`${tls}stdout:\n  enabled: false\n`);
    const withPaths = await startApp(`${tls}  notlspaths: "/ping"\nstdout:\n  enabled: false\n`);
    try {
      expect(without.statusServer).toBeUndefined();
      expect(withPaths.statusServer).toBeDefined();
      expect((configFromYaml('').config.tlsserver as { notlsport: number }).notlsport).toBe(2810);
    } finally {
      await Promise.all([without.stop(), withPaths.stop()]);
    }
  });

  it('the plain port keeps ingest\'s limits: a body up to ingest.maxbodybytes, not the HTTP library\'s 1 MiB', async () => {
    const port = await freePort();
    const app = await startApp(
      `tlsserver:\n  deploy: true\n  certfile: ${certs.serverCert}\n  keyfile: ${certs.serverKey}\n  notlsport: ${port}\n  notlspaths: "/"\n` +
        `ingest:\n  maxbodybytes: 4000000\nstdout:\n  enabled: false\n`,
    );
    try {
      await app.statusServer?.listen({ host: '127.0.0.1', port });
      const alerts = Array.from({ length: 2500 }, (_, i) => falcoAlertJson(i));
      const body = `[${alerts.join(',')}]`;
      expect(body.length).toBeGreaterThan(1024 * 1024);
      const post = async (text: string) => {
        const res = await request(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
        return [res.statusCode, await res.body.text()] as const;
      };
      expect(await post(body)).toEqual([200, JSON.stringify({ accepted: 2500 })]);
      const [status, refused] = await post(`[${Array.from({ length: 7600 }, (_, i) => falcoAlertJson(i)).join(',')}]`);
      expect(status).toBe(413);
      expect(refused).toContain('ingest.maxbodybytes (4000000 bytes)');
    } finally {
      await app.stop();
    }
  });

  // The console's page calls its API on the origin it came from: /ui and /api/v1 move as one.
  const consoleOver = async (notlspaths: string, body: (tls: (path: string) => Promise<[number, string]>, plain: (path: string, method?: 'GET' | 'POST') => Promise<[number, string]>) => Promise<void>) => {
    const port = await freePort();
    const app = await startApp(
      `tlsserver:\n  deploy: true\n  certfile: ${certs.serverCert}\n  keyfile: ${certs.serverKey}\n  notlsport: ${port}\n  notlspaths: ${notlspaths}\n` +
        `console:\n  enabled: true\n  token: console-admin-token\nstdout:\n  enabled: false\n`,
    );
    await app.statusServer?.listen({ host: '127.0.0.1', port });
    const agent = new Agent({ connect: { ca: readFileSync(certs.ca) } });
    const get = async (url: string, dispatcher?: Agent, method: 'GET' | 'POST' = 'GET'): Promise<[number, string]> => {
      const res = await request(url, { method, headers: { authorization: 'Bearer console-admin-token' }, ...(dispatcher ? { dispatcher } : {}) });
      return [res.statusCode, await res.body.text()];
    };
    try {
      await body(
        (path) => get(`${app.url.replace('http://', 'https://')}${path}`, agent),
        (path, method) => get(`http://127.0.0.1:${port}${path}`, undefined, method),
      );
    } finally {
      await agent.close();
      await app.stop();
    }
  };

  it('notlspaths /ui: the console (page, assets, API, silences) over plain HTTP only, alerts still over TLS', async () => {
    await consoleOver('/ui,/ping', async (tls, plain) => {
      const [page, html] = await plain('/ui/');
      expect(page).toBe(200);
      expect(html).toContain('<html');
      expect((await plain('/ui/app.js'))[0]).toBe(200);
      const [whoami, who] = await plain('/api/v1/whoami');
      expect(whoami).toBe(200);
      expect(JSON.parse(who)).toMatchObject({ role: 'admin' });
      expect((await plain('/api/v1/silences'))[0]).toBe(200);
      expect((await plain('/api/v1/reload', 'POST'))[0]).toBe(200);
      const [refused, why] = await tls('/api/v1/alerts');
      expect(refused).toBe(404);
      expect(why).toContain('/api/v1/alerts is served over plain HTTP on port');
      expect((await tls('/ui/app.js'))[0]).toBe(404);
      expect((await tls('/metrics'))[0]).toBe(200);
      expect((await plain('/metrics'))[0]).toBe(404);
    });
  });

  it('notlspaths "/" moves alert paths only: the console stays on TLS', async () => {
    await consoleOver('/', async (tls, plain) => {
      expect((await tls('/ui/'))[0]).toBe(200);
      expect((await tls('/api/v1/whoami'))[0]).toBe(200);
      const [refused, why] = await plain('/api/v1/whoami');
      expect(refused).toBe(404);
      expect(why).toContain('is served over TLS only');
    });
  });

  it('refuses a notlspaths entry that names one part of the console, or the console on its own port', async () => {
    const tls = `tlsserver:\n  deploy: true\n  certfile: ${certs.serverCert}\n  keyfile: ${certs.serverKey}\n`;
    await expect(startApp(`${tls}  notlspaths: /api/v1/alerts\n`)).rejects.toMatchObject({
      problems: [expect.objectContaining({ path: 'tlsserver.notlspaths', message: expect.stringContaining('list /ui or /api/v1 instead') })],
    });
    await expect(startApp(`${tls}  notlspaths: /ui\nconsole:\n  enabled: true\n  token: t\n  port: 18080\n`)).rejects.toMatchObject({
      problems: [expect.objectContaining({ path: 'tlsserver.notlspaths', message: expect.stringContaining('own plain-HTTP listener (console.port 18080)') })],
    });
  });

  it('refuses to start when a certificate file cannot be read, naming the key', async () => {
    await expect(startApp('tlsserver:\n  deploy: true\n  certfile: /nonexistent/server.crt\n')).rejects.toMatchObject({ problems: expect.arrayContaining([expect.objectContaining({ path: 'tlsserver.certfile' })]) });
  });
});

describe('output client TLS (webhook over HTTPS)', () => {
  let received: string[];
  let server: ReturnType<typeof createServer>;
  let port: number;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    received = [];
    server = createServer(
      { cert: readFileSync(certs.serverCert), key: readFileSync(certs.serverKey), ca: readFileSync(certs.ca), requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const clientCert = (req.socket as TLSSocket).getPeerCertificate();
        received.push(String(clientCert?.subject?.CN ?? 'anonymous'));
        req.resume();
        req.on('end', () => res.writeHead(200).end());
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const a of apps) await a.stop();
    server.close();
  });

  const webhook = (extra: string) => `webhook:\n  address: https://127.0.0.1:${port}/events\n  timeoutms: 1000\n  retry:\n    initialbackoffms: 50\n    maxbackoffms: 200\n${extra}`;

  it('refuses an unknown server certificate by default (checkcert: true) and says why', async () => {
    const app = await startApp(webhook(''));
    apps.push(app);
    await app.post(falcoAlertJson(1));
    await waitFor(() => app.workers[0]?.healthSnapshot().lastError !== undefined, 5000);
    expect(app.workers[0]?.healthSnapshot().lastError).toMatch(/certificate/i);
    const health = app.workers[0]?.healthSnapshot();
    expect((health?.queued ?? 0) + (health?.inflight ?? 0)).toBe(1);
  });

  it('trusts the server with cacertfile, and presents the client certificate with mutualtls', async () => {
    const before = received.length;
    const app = await startApp(
      `mutualtlsclient:\n  certfile: ${certs.clientCert}\n  keyfile: ${certs.clientKey}\n  cacertfile: ${certs.ca}\n` +
        webhook(`  cacertfile: ${certs.ca}\n  mutualtls: true\n`),
    );
    apps.push(app);
    await app.post(falcoAlertJson(2));
    await waitFor(() => received.length === before + 1, 5000);
    expect(received.at(-1)).toBe('peregrine-test-client');
  });

  it('mutualtls verifies the server whatever checkcert says, as falcosidekick does', async () => {
    const other = makeCerts(); // a CA that did not sign the server's certificate
    const app = await startApp(
      `mutualtlsclient:\n  certfile: ${other.clientCert}\n  keyfile: ${other.clientKey}\n  cacertfile: ${other.ca}\n` + webhook('  mutualtls: true\n  checkcert: false\n'),
    );
    apps.push(app);
    await app.post(falcoAlertJson(4));
    await waitFor(() => app.workers[0]?.healthSnapshot().lastError !== undefined, 5000);
    expect(app.workers[0]?.healthSnapshot().lastError).toMatch(/certificate/i);
    expect(app.workers[0]?.healthSnapshot().delivered).toBe(0);
  });

  it('checkcert: false skips verification', async () => {
    const before = received.length;
    const app = await startApp(webhook('  checkcert: false\n'));
    apps.push(app);
    await app.post(falcoAlertJson(3));
    await waitFor(() => received.length === before + 1, 5000);
    expect(received.at(-1)).toBe('anonymous');
  });
});
