// Silences at run time: the API (ingest.token, any-case Bearer) and the `peregrine silence` CLI
// against a running app; silenced alerts are counted and never reach the output.
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { Alert } from '../../src/alert/alert.ts';
import { runSilence } from '../../src/noise/silence-cli.ts';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { makeCerts } from '../support/certs.ts';
import { configFromYaml } from '../support/config.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.stop();
  app = receiver = undefined;
});

const TOKEN = 's3cret';
const auth = { authorization: `Bearer ${TOKEN}` };

async function cli(...args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runSilence([...args, '--url', (app as RunningApp).url, '--token', TOKEN], { listenport: 1 } as never, { out: (l) => lines.push(l), err: (l) => lines.push(l) }, {});
  return { code, lines };
}

describe('silences API and CLI', () => {
  it('adds, lists and expires silences; what they match is counted, not delivered', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`ingest:\n  token: ${TOKEN}\nwebhook:\n  address: ${receiver.url()}\n`);

    const added = await cli('add', '--match', '{rule: "Terminal shell*", hostname: node-1}', '--for', '2h', '--reason', 'maintenance of node-1');
    expect(added.code).toBe(0);
    const id = /silence (s-[0-9a-f]{12}) in force until/.exec(added.lines[0] ?? '')?.[1] as string;
    expect(id).toBeDefined();

    for (let i = 0; i < 3; i++) expect((await app.post(falcoAlertJson(i), auth)).status).toBe(200);
    expect((await app.post(falcoAlertJson(3).replace('"hostname":"node-1"', '"hostname":"node-2"'), auth)).status).toBe(200);
    await waitFor(() => receiver?.received.length === 1);
    await Promise.all(app.workers.map((w) => w.idle()));
    expect(receiver.acceptedJson<Alert>().map((a) => a.uuid)).toEqual(['alert-3']);
    expect(await metricValue(app, 'peregrine_suppressed_total', { output: 'webhook', reason: 'silence' })).toBe(3);

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    expect(listed.lines[0]).toMatch(new RegExp(`^${id}\tuntil \\S+Z\tall\thits 3\tmaintenance of node-1\t\\{"rule":"Terminal shell\\*","hostname":"node-1"\\}$`));
    expect(listed.lines[1]).toBe('1 silence(s) in force');

    expect(await cli('expire', id)).toEqual({ code: 0, lines: [`silence ${id} expired`] });
    expect(await cli('expire', id)).toMatchObject({ code: 1, lines: [expect.stringMatching(/^error 404: no active silence with id/)] });
    expect((await app.post(falcoAlertJson(4), auth)).status).toBe(200);
    await waitFor(() => receiver?.received.length === 2);
    expect((await cli('list')).lines).toEqual(['0 silence(s) in force']);
  });

  it('protects the API with ingest.token (scheme in any case) and explains bad silences', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`ingest:\n  token: ${TOKEN}\nwebhook:\n  address: ${receiver.url()}\n`);
    const api = async (method: 'GET' | 'POST', headers: Record<string, string>, body?: unknown) => {
      const res = await request(`${app?.url}/api/v1/silences`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
    };
    expect((await api('GET', {})).status).toBe(401);
    expect((await api('GET', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(await api('GET', { authorization: `bEaReR ${TOKEN}` })).toEqual({ status: 200, body: { silences: [] } });
    expect(await api('POST', auth, { match: { priorty: 'critical' }, for: '1h', reason: 'x' })).toMatchObject({
      status: 400,
      body: { error: { code: 'ERR_SILENCE_INVALID', message: expect.stringMatching(/unknown match operator "priorty"/) } },
    });
    expect(await api('POST', auth, { match: { rule: 'x' }, for: 'soon', reason: 'x' })).toMatchObject({ status: 400, body: { error: { path: 'for' } } });
    expect(await api('POST', auth, { match: { rule: 'x' }, for: '1h', reason: 'x', outputs: ['nope'] })).toMatchObject({
      status: 400,
      body: { error: { message: 'unknown output "nope"; outputs: webhook', path: 'outputs' } },
    });
    expect(await api('POST', auth, { match: { rule: 'x' }, until: '2020-01-01T00:00:00Z', reason: 'x' })).toMatchObject({ status: 400, body: { error: { path: 'until' } } });
    const ok = await api('POST', auth, { match: { rule: 'x' }, until: '2099-01-01T00:00:00Z', reason: 'x', outputs: ['webhook'] });
    expect(ok).toMatchObject({ status: 201, body: { silence: { until: '2099-01-01T00:00:00.000Z', outputs: ['webhook'], origin: 'api', hits: 0 } } });
    expect(await cli('add', '--match', '{rule: x}', '--reason', 'r')).toMatchObject({ code: 2 });
  });

  it('refuses a silence longer than 365 days with 400, stores nothing, and keeps listing', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`ingest:\n  token: ${TOKEN}\nwebhook:\n  address: ${receiver.url()}\n`);
    const post = (body: unknown) => app?.server.inject({ method: 'POST', url: '/api/v1/silences', headers: auth, payload: body as Record<string, unknown> });
    for (const long of ['1000000000d', '366d']) {
      const res = await post({ match: { rule: 'x' }, for: long, reason: 'x' });
      expect(res?.statusCode).toBe(400);
      expect(res?.json()).toMatchObject({ error: { code: 'ERR_SILENCE_INVALID', path: 'for', message: expect.stringMatching(/^for must be at most 365d/) } });
    }
    expect((await post({ match: { rule: 'x' }, for: '365d', reason: 'x' }))?.statusCode).toBe(201);
    const listed = await app.server.inject({ url: '/api/v1/silences', headers: auth });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().silences).toHaveLength(1);
    expect(app.noise.silences.active(Date.now())).toHaveLength(1);
  });

  it('is never open: without ingest.token it needs the console tokens (read for GET, admin for changes), else it says what to set', async () => {
    receiver = await new Receiver().start();
    const call = async (target: RunningApp, method: 'GET' | 'POST', token?: string) => {
      const res = await request(`${target.url}/api/v1/silences`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(method === 'POST' ? { body: JSON.stringify({ match: { rule: 'x' }, for: '1h', reason: 'maintenance' }) } : {}),
      });
      return { status: res.statusCode, body: (await res.body.json()) as { error?: { message: string } } };
    };
    app = await startApp(`webhook:\n  address: ${receiver.url()}\n`);
    const closed = await call(app, 'POST');
    expect(closed.status).toBe(401);
    expect(closed.body.error?.message).toMatch(/set ingest\.token .* or turn the console on with console\.token/);
    await app.stop();
    app = await startApp(`console:\n  enabled: true\n  token: admin-token-0123456789\n  readtoken: read-token-0123456789\nwebhook:\n  address: ${receiver.url()}\n`);
    expect((await call(app, 'GET')).status).toBe(401);
    expect((await call(app, 'GET', 'read-token-0123456789')).status).toBe(200);
    expect((await call(app, 'POST', 'read-token-0123456789')).status).toBe(403);
    expect((await call(app, 'POST', 'admin-token-0123456789')).status).toBe(201);
  });

  it('guards the route, not the URL\'s text: a percent-encoded or odd path to the silences is refused too', async () => {
    app = await startApp(`ingest:\n  token: ${TOKEN}\nstdout:\n  enabled: false\n`);
    const body = JSON.stringify({ match: { rule: '/.*/' }, for: '1h', reason: 'mute everything' });
    for (const path of ['/api/v1/%73ilences', '/api/v1/silence%73', '/api/v1//silences', '/api/v1/silences/']) {
      const post = await request(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect([401, 404], `POST ${path}: ${await post.body.text()}`).toContain(post.statusCode);
      const list = await request(`${app.url}${path}`);
      expect([401, 404], `GET ${path}`).toContain(list.statusCode);
      await list.body.dump();
    }
    const del = await request(`${app.url}/api/v1/%73ilences/s-000000000000`, { method: 'DELETE' });
    expect([401, 404]).toContain(del.statusCode);
    await del.body.dump();
    const listed = await request(`${app.url}/api/v1/silences`, { headers: auth });
    expect(await listed.body.json()).toEqual({ silences: [] });
  });

  it('on the ingest port, the console\'s trusted header counts only when the console is served there', async () => {
    const post = (url: string) =>
      request(`${url}/api/v1/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-email': 'admin@example.com' },
        body: JSON.stringify({ match: { rule: 'x' }, for: '1h', reason: 'r' }),
      });
    const console = 'console:\n  enabled: true\n  token: admin-token-0123456789\n  trustedheader: X-Forwarded-Email\n  trustedadmins: [admin@example.com]\n';
    app = await startApp(`${console}  port: 0\nstdout:\n  enabled: false\n`);
    expect((await post(app.url)).statusCode).toBe(201);
    await app.stop();
    app = await startApp(`${console}  port: 18931\nstdout:\n  enabled: false\n`);
    const refused = await post(app.url);
    expect(refused.statusCode).toBe(401);
    await refused.body.dump();
    const reload = await request(`${app.url}/api/v1/reload`, { method: 'POST', headers: { 'x-forwarded-email': 'admin@example.com' } });
    expect(reload.statusCode).toBe(401);
    await reload.body.dump();
  });

  it('peregrine silence reaches the config\'s own TLS listener whose certificate is self-signed', async () => {
    const certs = makeCerts();
    const tls = `tlsserver:\n  deploy: true\n  certfile: ${certs.serverCert}\n  keyfile: ${certs.serverKey}\n`;
    app = await startApp(`${tls}ingest:\n  token: ${TOKEN}\nstdout:\n  enabled: false\n`);
    const port = Number(new URL(app.url).port);
    const { config } = configFromYaml(`${tls}listenaddress: 127.0.0.1\nlistenport: ${port}\ningest:\n  token: ${TOKEN}\n`);
    const lines: string[] = [];
    const say = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(await runSilence(['list'], config, say, {}), lines.join('\n')).toBe(0);
    expect(lines).toEqual(['0 silence(s) in force']);
    // a --url of the user's own is verified: the test CA is not trusted
    lines.length = 0;
    expect(await runSilence(['list', '--url', `https://127.0.0.1:${port}`], config, say, {})).toBe(1);
    expect(lines.join('\n')).toContain('cannot reach the daemon');
  });
});
