// The console API (/api/v1/) over real sockets, with the trail in memory (spool off) and in the
// spool's SQLite file: every endpoint, every filter, both roles, the audit log of admin actions.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { retry, fail, ok } from '../../src/dispatch/result.ts';
import { startApp, type RunningApp } from '../support/app.ts';
import { ADMIN, READER, CONSOLE_YAML, alertJson, api, scriptedOutput } from '../support/console.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.stop();
  app = receiver = undefined;
});

interface Summary {
  uuid: string;
  seq: number;
  rule: string;
  priority: string;
  hostname: string;
  namespace: string;
  source: string;
  from: string;
  receivedAt: string;
  states: Record<string, string>;
}
type Page = { alerts: Summary[]; next: number | null };

const ALERTS = [
  { uuid: 'a-notice', priority: 'Notice', rule: 'Terminal shell in container', hostname: 'node-1', namespace: 'default', output: 'A shell was spawned (user=root)' },
  { uuid: 'b-critical', priority: 'Critical', rule: 'Write below etc', hostname: 'node-2', namespace: 'kube-system', output: 'File below /etc opened for writing (file=/etc/passwd)' },
  { uuid: 'c-warning', priority: 'Warning', rule: 'Reject me', hostname: 'node-1', namespace: 'default', output: 'rejected by the scripted output', source: 'k8s_audit' },
  { uuid: 'd-error', priority: 'Error', rule: 'Flaky', hostname: 'node-3', namespace: 'payments', output: 'Flaky destination, then fine' },
];

async function setup(store: 'memory' | 'spool', extra = '') {
  receiver = await new Receiver().start();
  const scripted = scriptedOutput();
  scripted.decide((alert, attempt) => (alert.rule === 'Reject me' ? fail('HTTP 400: mapping error') : alert.rule === 'Flaky' && attempt === 1 ? retry('HTTP 503: busy') : ok()));
  const spool = store === 'spool' ? `spool:\n  enabled: true\n  dir: ${mkdtempSync(join(tmpdir(), 'peregrine-console-'))}\n` : '';
  const lines: unknown[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  app = await startApp(
    `${spool}${CONSOLE_YAML}webhook:\n  address: ${receiver.url()}\n  minimumpriority: warning\nscripted:\n  enabled: true\n  retry:\n    initialbackoffms: 10\n    maxbackoffms: 20\n    probems: 0\n${extra}`,
    { extraPlugins: [scripted.plugin], logger },
  );
  for (const a of ALERTS) expect((await app.post(alertJson(a))).status).toBe(200);
  const a = app;
  await waitFor(async () => {
    const d = (await api<{ trail: { outputs: { output: string; state: string }[] } }>(a.url, '/api/v1/alerts/d-error', { token: READER })).body;
    return d.trail?.outputs.find((o) => o.output === 'scripted')?.state === 'delivered';
  });
  await waitFor(() => receiver?.received.length === 3);
  return { app, lines, scripted };
}

const uuids = (page: Page) => page.alerts.map((a) => a.uuid);

describe.each(['memory', 'spool'] as const)('console API, trail in %s', (store) => {
  it('refuses anonymous requests and wrong tokens, lets the read-only token look but not act', async () => {
    const { app: a } = await setup(store);
    expect((await api(a.url, '/api/v1/alerts')).status).toBe(401);
    expect((await api(a.url, '/api/v1/alerts')).headers['www-authenticate']).toContain('Bearer');
    expect((await api(a.url, '/api/v1/alerts', { token: 'nope' })).status).toBe(401);
    expect((await api(a.url, '/api/v1/whoami', { token: READER })).body).toEqual({ role: 'read', who: 'readtoken' });
    expect((await api(a.url, '/api/v1/whoami', { token: ADMIN })).body).toEqual({ role: 'admin', who: 'token' });
    const replay = await api(a.url, '/api/v1/deadletters/replay', { token: READER, method: 'POST', body: {} });
    expect(replay.status).toBe(403);
    expect(replay.body).toMatchObject({ error: { code: 'ERR_FORBIDDEN' } });
    expect((await api(a.url, '/api/v1/deadletters/purge', { token: READER, method: 'POST', body: { all: true } })).status).toBe(403);
  });

  it('lists recent alerts newest first with their per-output states, and pages through them', async () => {
    const { app: a } = await setup(store);
    const all = (await api<Page>(a.url, '/api/v1/alerts', { token: READER })).body;
    expect(uuids(all)).toEqual(['d-error', 'c-warning', 'b-critical', 'a-notice']);
    expect(all.next).toBeNull();
    const byUuid = Object.fromEntries(all.alerts.map((s) => [s.uuid, s]));
    expect(byUuid['a-notice']).toMatchObject({ rule: 'Terminal shell in container', priority: 'Notice', hostname: 'node-1', namespace: 'default', from: '127.0.0.1', states: { scripted: 'delivered' } });
    expect(byUuid['a-notice']?.states).toEqual({ scripted: 'delivered', webhook: 'not_routed' });
    expect(byUuid['c-warning']?.states).toEqual({ webhook: 'delivered', scripted: 'dead_lettered' });
    expect(Date.parse(byUuid['a-notice']?.receivedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    const first = (await api<Page>(a.url, '/api/v1/alerts?limit=3', { token: READER })).body;
    expect(uuids(first)).toEqual(['d-error', 'c-warning', 'b-critical']);
    expect(first.next).toBe(first.alerts[2]?.seq);
    const second = (await api<Page>(a.url, `/api/v1/alerts?limit=3&before=${first.next}`, { token: READER })).body;
    expect(uuids(second)).toEqual(['a-notice']);
    expect(second.next).toBeNull();
    const tail = (await api<Page>(a.url, `/api/v1/alerts?after=${first.alerts[1]?.seq}`, { token: READER })).body;
    expect(uuids(tail)).toEqual(['d-error']);
  });

  it('filters by rule, priority, source, hostname, namespace, output, state, text and time', async () => {
    const { app: a } = await setup(store);
    const q = async (query: string) => uuids((await api<Page>(a.url, `/api/v1/alerts?${query}`, { token: READER })).body);
    expect(await q('rule=Write%20below%20etc')).toEqual(['b-critical']);
    expect(await q('priority=critical')).toEqual(['b-critical']);
    expect(await q('priority=Warning,Error')).toEqual(['d-error', 'c-warning']);
    expect(await q('source=k8s_audit')).toEqual(['c-warning']);
    expect(await q('hostname=node-1')).toEqual(['c-warning', 'a-notice']);
    expect(await q('namespace=payments')).toEqual(['d-error']);
    expect(await q('output=webhook')).toEqual(['d-error', 'c-warning', 'b-critical']);
    expect(await q('output=scripted&state=dead_lettered')).toEqual(['c-warning']);
    expect(await q('output=webhook&state=dead_lettered')).toEqual([]);
    expect(await q('state=dead_lettered')).toEqual(['c-warning']);
    expect(await q('state=not_routed')).toEqual(['a-notice']);
    expect(await q('q=ETC%2FPASSWD')).toEqual(['b-critical']);
    expect(await q('hostname=node-1&rule=Reject%20me')).toEqual(['c-warning']);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await q(`since=${encodeURIComponent(future)}`)).toEqual([]);
    expect(await q(`until=${encodeURIComponent(future)}&since=${Date.now() - 60_000}`)).toHaveLength(4);
    expect(await q(`until=${Date.now() - 60_000}`)).toEqual([]);
    const bad = await api(a.url, '/api/v1/alerts?priority=loud', { token: READER });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'ERR_QUERY_INVALID', path: 'priority' } });
    expect((await api(a.url, '/api/v1/alerts?since=yesterday', { token: READER })).status).toBe(400);
    expect((await api(a.url, '/api/v1/alerts?state=lost', { token: READER })).status).toBe(400);
    expect((await api(a.url, '/api/v1/alerts?limit=0', { token: READER })).status).toBe(400);
  });

  it('refuses a query parameter given twice with a 400 that names it and says how to give it', async () => {
    const { app: a } = await setup(store);
    const twice = async (path: string, param: string, method: 'GET' | 'POST' = 'GET') => {
      const answer = await api<{ error: { code: string; path: string; message: string } }>(a.url, path, { token: ADMIN, method, ...(method === 'POST' ? { body: {} } : {}) });
      expect(answer.status, path).toBe(400);
      expect(answer.body.error, path).toMatchObject({ code: 'ERR_QUERY_INVALID', path: param });
      return answer.body.error.message;
    };
    expect(await twice('/api/v1/alerts?priority=warning&priority=critical', 'priority')).toBe('priority: given 2 times; give it once, as a comma-separated list (priority=warning,critical)');
    for (const param of ['rule', 'output', 'namespace', 'hostname', 'source', 'state', 'q', 'since', 'until', 'limit', 'before', 'after']) {
      expect(await twice(`/api/v1/alerts?${param}=1&${param}=2`, param)).toBe(`${param}: given 2 times; give it once`);
    }
    await twice('/api/v1/stats/alerts?by=rule&by=priority', 'by');
    await twice('/api/v1/deadletters?output=scripted&output=webhook', 'output');
    await twice('/api/v1/deadletters?limit=1&limit=2', 'limit');
    await twice('/api/v1/deadletters/replay?rule=a&rule=b', 'rule', 'POST');
    await twice('/api/v1/deadletters/purge?all=true&all=true', 'all', 'POST');
    // Once each, every one of them still answers.
    expect((await api<Page>(a.url, '/api/v1/alerts?priority=warning,critical&rule=Reject%20me', { token: READER })).body.alerts.map((x) => x.uuid)).toEqual(['c-warning']);
  });

  it('returns one alert with its trail: routing decision, attempts and final state per output', async () => {
    const { app: a } = await setup(store);
    const res = await api<{ alert: Record<string, unknown>; trail: { uuid: string; from: string; outputs: Record<string, unknown>[] } }>(a.url, '/api/v1/alerts/d-error', { token: READER });
    expect(res.status).toBe(200);
    expect(res.body.alert).toMatchObject({ uuid: 'd-error', rule: 'Flaky', priority: 'Error', output: 'Flaky destination, then fine' });
    expect(res.body.trail).toMatchObject({ uuid: 'd-error', from: '127.0.0.1' });
    const scripted = res.body.trail.outputs.find((o) => o.output === 'scripted');
    expect(scripted).toMatchObject({
      routed: true,
      state: 'delivered',
      attemptCount: 2,
      attempts: [
        { outcome: 'retry', detail: 'HTTP 503: busy', batch: 1, latencyMs: expect.any(Number), at: expect.stringMatching(/Z$/) },
        { outcome: 'ok', detail: 'ok', batch: 1 },
      ],
    });
    const notice = (await api<{ trail: { outputs: Record<string, unknown>[] } }>(a.url, '/api/v1/alerts/a-notice', { token: READER })).body;
    expect(notice.trail.outputs.find((o) => o.output === 'webhook')).toMatchObject({
      routed: false,
      state: 'not_routed',
      reason: 'minimumpriority: Notice is below Warning',
      attempts: [],
    });
    const rejected = (await api<{ trail: { outputs: Record<string, unknown>[] } }>(a.url, '/api/v1/alerts/c-warning', { token: READER })).body;
    expect(rejected.trail.outputs.find((o) => o.output === 'scripted')).toMatchObject({ state: 'dead_lettered', reason: 'rejected: HTTP 400: mapping error', attemptCount: 1 });
    const missing = await api(a.url, '/api/v1/alerts/never-seen', { token: READER });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'ERR_NOT_FOUND' } });
  });

  it('counts alerts by priority, rule and namespace over time', async () => {
    const { app: a } = await setup(store);
    type Stats = { by: string; bucketMs: number; buckets: { at: string; counts: Record<string, number> }[] };
    const sum = (s: Stats) => s.buckets.reduce<Record<string, number>>((acc, b) => {
      for (const [k, n] of Object.entries(b.counts)) acc[k] = (acc[k] ?? 0) + n;
      return acc;
    }, {});
    const byPriority = (await api<Stats>(a.url, '/api/v1/stats/alerts?by=priority', { token: READER })).body;
    expect(byPriority.bucketMs).toBe(60_000);
    expect(byPriority.buckets.length).toBeGreaterThanOrEqual(60);
    expect(sum(byPriority)).toEqual({ Notice: 1, Critical: 1, Warning: 1, Error: 1 });
    const byNamespace = (await api<Stats>(a.url, '/api/v1/stats/alerts?by=namespace&bucketms=10000&since=' + (Date.now() - 120_000), { token: READER })).body;
    expect(byNamespace.bucketMs).toBe(10_000);
    expect(sum(byNamespace)).toEqual({ default: 2, 'kube-system': 1, payments: 1 });
    expect(sum((await api<Stats>(a.url, '/api/v1/stats/alerts?by=rule', { token: READER })).body)).toMatchObject({ Flaky: 1, 'Reject me': 1 });
    expect((await api(a.url, '/api/v1/stats/alerts?by=host', { token: READER })).status).toBe(400);
    expect((await api(a.url, '/api/v1/stats/alerts?bucketms=1000&since=0', { token: READER })).status).toBe(400);
  });

  it('reports every output with its health, per-minute counts and recent errors', async () => {
    const { app: a } = await setup(store);
    type Output = { name: string; state: string; queued: number; oldestAgeMs: number; delivered: number; deadLettered: number; minutes: Record<string, number | string>[]; recentErrors: { detail: string; alerts: number }[] };
    const body = (await api<{ outputs: Output[]; trail: { store: string; alerts: number }; deadLetters: number }>(a.url, '/api/v1/outputs', { token: READER })).body;
    expect(body.trail).toMatchObject({ store, alerts: 4 });
    expect(body.deadLetters).toBe(1);
    const scripted = body.outputs.find((o) => o.name === 'scripted') as Output;
    expect(scripted).toMatchObject({ queued: 0, oldestAgeMs: 0, delivered: 3, deadLettered: 1 });
    expect(scripted.minutes).toHaveLength(60);
    const last = scripted.minutes[59] as Record<string, number>;
    expect(last).toMatchObject({ routed: 4, delivered: 3, failed: 2, deadLettered: 1, dropped: 0 });
    expect(scripted.recentErrors.map((e) => e.detail).sort()).toEqual(['HTTP 400: mapping error', 'HTTP 503: busy']);
    const webhook = body.outputs.find((o) => o.name === 'webhook') as Output;
    expect(webhook.minutes[59]).toMatchObject({ routed: 3, delivered: 3, failed: 0 });
  });

  it('lists dead letters with filters, replays one on the running daemon and purges, logging who did it', async () => {
    const { app: a, lines, scripted } = await setup(store);
    type Dl = { total: number; entries: { id: number; output: string; reason: string; alert: { uuid: string; rule: string } }[] };
    const list = (await api<Dl>(a.url, '/api/v1/deadletters', { token: READER })).body;
    expect(list.total).toBe(1);
    expect(list.entries).toMatchObject([{ output: 'scripted', reason: 'rejected', alert: { uuid: 'c-warning', rule: 'Reject me' } }]);
    expect((await api<Dl>(a.url, '/api/v1/deadletters?rule=Flaky', { token: READER })).body.entries).toEqual([]);
    expect((await api<Dl>(a.url, '/api/v1/deadletters?output=webhook', { token: READER })).body.entries).toEqual([]);
    expect((await api<Dl>(a.url, `/api/v1/deadletters?since=${Date.now() + 60_000}`, { token: READER })).body.entries).toEqual([]);

    // The destination accepts it now: the replay goes out on the running daemon.
    scripted.decide(() => ok());
    const unknown = await api(a.url, '/api/v1/deadletters/replay', { token: ADMIN, method: 'POST', body: { output: 'nowhere' } });
    expect(unknown.status).toBe(400);
    const none = await api(a.url, '/api/v1/deadletters/replay', { token: ADMIN, method: 'POST', body: { rule: 'Flaky' } });
    expect(none.body).toEqual({ replayed: 0 });
    const id = list.entries[0]?.id;
    const replayed = await api(a.url, '/api/v1/deadletters/replay', { token: ADMIN, method: 'POST', body: { id } });
    expect(replayed.body).toEqual({ replayed: 1 });
    await waitFor(async () => {
      const t = (await api<{ trail: { outputs: { output: string; state: string }[] } }>(a.url, '/api/v1/alerts/c-warning', { token: READER })).body;
      return t.trail.outputs.find((o) => o.output === 'scripted')?.state === 'delivered';
    });
    expect(scripted.sent.filter((s) => s.uuid === 'c-warning')).toHaveLength(2);
    expect((await api<Dl>(a.url, '/api/v1/deadletters', { token: READER })).body.total).toBe(0);
    expect(lines).toContainEqual(expect.objectContaining({ console: true, action: 'replay', role: 'admin', who: 'token', count: 1, filter: { id } }));
    // A dead letter of an output this config no longer has stays, and the answer says so.
    const [orphan] = scripted.sent.filter((s) => s.uuid === 'c-warning');
    a.deadLetters.add({ output: 'gone', alert: orphan as NonNullable<typeof orphan>, reason: 'rejected', detail: 'HTTP 400', attempts: 1, at: Date.now() });
    expect((await api(a.url, '/api/v1/deadletters/replay', { token: ADMIN, method: 'POST', body: {} })).body).toEqual({ replayed: 0, notConfigured: { gone: 1 } });
    expect((await api(a.url, '/api/v1/deadletters/purge', { token: ADMIN, method: 'POST', body: { output: 'gone' } })).body).toEqual({ purged: 1 });

    // Purge needs a filter or all: true.
    scripted.decide(() => fail('HTTP 422: no'));
    expect((await a.post(alertJson({ uuid: 'e-purge', priority: 'Notice', rule: 'Purge me' }))).status).toBe(200);
    await waitFor(async () => (await api<Dl>(a.url, '/api/v1/deadletters', { token: READER })).body.total === 1);
    expect((await api(a.url, '/api/v1/deadletters/purge', { token: ADMIN, method: 'POST', body: {} })).status).toBe(400);
    expect((await api(a.url, '/api/v1/deadletters/purge', { token: ADMIN, method: 'POST', body: { rule: 'Other' } })).body).toEqual({ purged: 0 });
    expect((await api(a.url, '/api/v1/deadletters/purge', { token: ADMIN, method: 'POST', body: { rule: 'Purge me' } })).body).toEqual({ purged: 1 });
    expect((await api<Dl>(a.url, '/api/v1/deadletters', { token: READER })).body.total).toBe(0);
    expect(lines).toContainEqual(expect.objectContaining({ console: true, action: 'purge', who: 'token', count: 1, filter: { rule: 'Purge me' } }));
  });

});

describe('console access and listeners', () => {
  it('is off by default: no /api/v1, no /ui', async () => {
    app = await startApp('');
    expect((await api(app.url, '/api/v1/alerts', { token: ADMIN })).status).toBe(404);
    expect((await api(app.url, '/ui/')).status).toBe(404);
  });

  it('refuses to start enabled without a credential', async () => {
    await expect(startApp('console:\n  enabled: true\n')).rejects.toThrow(/console\.token: console\.enabled needs a credential/);
  });

  it('rate-limits console requests per client address (429 with Retry-After) while ingest keeps accepting', async () => {
    app = await startApp(`console:\n  enabled: true\n  token: ${ADMIN}\n  ratelimit: 1\n`);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await api(app.url, '/api/v1/outputs', { token: ADMIN })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.at(-1)).toBe(429);
    const limited = await api(app.url, '/api/v1/outputs', { token: ADMIN });
    expect(limited.body).toMatchObject({ error: { code: 'ERR_RATE_LIMITED' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 20; i++) expect((await app.post(alertJson({ uuid: `ingest-${i}` }))).status).toBe(200);
  });

  it('serves the console on its own port when console.port is set, and not on the ingest port', async () => {
    const { freePort } = await import('../support/daemon.ts');
    const port = await freePort();
    app = await startApp(`console:\n  enabled: true\n  token: ${ADMIN}\n  address: 127.0.0.1\n  port: ${port}\n`);
    await app.consoleServer?.listen({ host: '127.0.0.1', port });
    const own = `http://127.0.0.1:${port}`;
    expect((await app.post(alertJson({ uuid: 'on-ingest' }))).status).toBe(200);
    expect((await api(own, '/api/v1/alerts/on-ingest', { token: ADMIN })).status).toBe(200);
    expect((await api(app.url, '/api/v1/alerts/on-ingest', { token: ADMIN })).status).toBe(404);
    const { request } = await import('undici');
    const page = await request(`${own}/ui/`);
    expect(page.statusCode).toBe(200);
    await page.body.dump();
    expect((await api(own, '/nothing')).status).toBe(404);
  });

  it('grants read-only to a user named by the trusted proxy header, admin to the listed ones', async () => {
    app = await startApp('console:\n  enabled: true\n  trustedheader: X-Forwarded-Email\n  trustedadmins: [ops@example.com]\n');
    expect((await api(app.url, '/api/v1/whoami')).status).toBe(401);
    expect((await api(app.url, '/api/v1/whoami', { headers: { 'x-forwarded-email': 'dev@example.com' } })).body).toEqual({ role: 'read', who: 'header:dev@example.com' });
    expect((await api(app.url, '/api/v1/whoami', { headers: { 'x-forwarded-email': 'ops@example.com' } })).body).toEqual({ role: 'admin', who: 'header:ops@example.com' });
  });

  it('takes no change signed in by the trusted header from a page of another site (the proxy\'s cookie rides along)', async () => {
    app = await startApp('console:\n  enabled: true\n  token: admin-token-0123456789\n  trustedheader: X-Forwarded-Email\n  trustedadmins: [ops@example.com]\n');
    const host = new URL(app.url).host;
    const purge = (headers: Record<string, string>, token?: string) =>
      api(app?.url as string, '/api/v1/deadletters/purge', { method: 'POST', body: { all: true }, headers: { 'x-forwarded-email': 'ops@example.com', ...headers }, ...(token ? { token } : {}) });
    const crossSite: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' }];
    for (const headers of crossSite) {
      const refused = await purge(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(JSON.stringify(refused.body)).toContain('came from another site');
    }
    const sameSite: Record<string, string>[] = [{ 'sec-fetch-site': 'same-origin' }, { origin: `http://${host}` }, {}];
    for (const headers of sameSite) expect((await purge(headers)).status, JSON.stringify(headers)).toBe(200);
    // A reading needs no such check; a token is not sent by a browser on its own.
    expect((await api(app.url, '/api/v1/whoami', { headers: { 'x-forwarded-email': 'ops@example.com', 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
    const byToken = await api(app.url, '/api/v1/deadletters/purge', { method: 'POST', body: { all: true }, token: 'admin-token-0123456789', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(byToken.status).toBe(200);
  });

  it('serves the page and its modules with a strict Content-Security-Policy', async () => {
    app = await startApp(CONSOLE_YAML);
    const redirect = await api(app.url, '/ui');
    expect(redirect.status).toBe(302);
    const { request } = await import('undici');
    const page = await request(`${app.url}/ui/`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(await page.body.text()).toContain('<title>Peregrine');
    const deep = await request(`${app.url}/ui/alerts/some-uuid`);
    expect(deep.statusCode).toBe(200);
    await deep.body.dump();
    const missing = await request(`${app.url}/ui/nothing.js`);
    expect(missing.statusCode).toBe(404);
    await missing.body.dump();
  });
});
