// smtp against mailpit (a real SMTP server, read back through its HTTP API): 2,000 alerts as 2,000
// e-mails with exact content, a 550 recipient dead-lettered, 451 (mailpit chaos) retried until it
// clears, STARTTLS + AUTH PLAIN/LOGIN with a wrong password waiting for the fix, and the digest.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { postInOrder } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import type { MailpitInfra, MailpitServer } from '../../infra/mailpit/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

interface Summary {
  ID: string;
  MessageID: string;
  Subject: string;
  To: { Address: string }[];
}
interface Detail extends Summary {
  Text: string;
  HTML: string;
  Attachments: { PartID: string; FileName: string }[];
}

async function api<T>(server: MailpitServer, path: string, method: 'GET' | 'PUT' | 'DELETE' = 'GET', body?: unknown): Promise<T> {
  const res = await request(`${server.api}${path}`, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  const text = await res.body.text();
  expect(res.statusCode, `${method} ${path}: ${text}`).toBe(200);
  return (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T;
}

async function messages(server: MailpitServer): Promise<Summary[]> {
  const out: Summary[] = [];
  for (let start = 0; ; start += 500) {
    const page = await api<{ total: number; messages: Summary[] }>(server, `/api/v1/messages?start=${start}&limit=500`);
    out.push(...page.messages);
    if (out.length >= page.total || page.messages.length === 0) return out;
  }
}

const detail = (server: MailpitServer, id: string) => api<Detail>(server, `/api/v1/message/${id}`);
const evtTime = (i: number) => `evt.time: ${1700000000167531875n + BigInt(i)}`;

describe.skipIf(infraSkipped('mailpit'))('smtp against mailpit', () => {
  let mail: MailpitInfra;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    mail = await useInfra<MailpitInfra>('mailpit');
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await api(mail.plain, '/api/v1/chaos', 'PUT', { Recipient: { ErrorCode: 451, Probability: 0 } });
    await api(mail.plain, '/api/v1/messages', 'DELETE');
    await api(mail.auth, '/api/v1/messages', 'DELETE');
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
  });

  const yaml = (server: MailpitServer, extra = '') =>
    `smtp:\n  hostport: ${server.host}:${server.smtpPort}\n  tls: false\n  authmechanism: none\n  from: falco@example.com\n  to: secops@example.com, oncall@example.com\n  retry:\n    initialbackoffms: 50\n    maxbackoffms: 500\n${extra}`;

  async function start(config: string): Promise<RunningApp> {
    const app = await startApp(config);
    apps.push(app);
    return app;
  }

  it('2,000 alerts become 2,000 e-mails to both recipients, each with its own alert exactly', { timeout: 240_000 }, async () => {
    await api(mail.plain, '/api/v1/messages', 'DELETE');
    const run = `mail-${randomUUID().slice(0, 8)}`;
    const app = await start(yaml(mail.plain, '  outputformat: text\n  maxconcurrency: 4\n'));
    await postInOrder(app, run, 2000);
    const worker = app.workers.find((w) => w.name === 'smtp');
    await waitFor(() => worker?.healthSnapshot().delivered === 2000, 180_000, '2,000 deliveries');
    const list = await messages(mail.plain);
    expect(list).toHaveLength(2000);
    const byId = new Map(list.map((m) => [m.MessageID, m]));
    for (let i = 0; i < 2000; i++) {
      const m = byId.get(`${run}-${i}@peregrine`);
      expect(m, `message of alert ${i}`).toBeDefined();
      expect(m?.To.map((t) => t.Address)).toEqual(['secops@example.com', 'oncall@example.com']);
      expect(m?.Subject).toBe('[Notice] 10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)');
    }
    // The body of every 50th message: its own evt.time digits, exact.
    for (let i = 0; i < 2000; i += 50) {
      const d = await detail(mail.plain, (byId.get(`${run}-${i}@peregrine`) as Summary).ID);
      const text = d.Text.replace(/\r\n/g, '\n'); // SMTP line endings
      expect(text).toContain(`\n${evtTime(i)}\n`);
      expect(text).toContain('Rule: Terminal shell in container\n');
      expect(d.HTML).toBe('');
    }
  });

  it('the HTML part escapes attacker-controlled text', async () => {
    const app = await start(yaml(mail.plain));
    const evil = '<script>alert(1)</script><img src=x onerror=steal()>';
    const alert = { uuid: 'evil-1', priority: 'Critical', rule: evil, time: '2026-11-20T10:21:36Z', output: `pwn ${evil}`, output_fields: { 'proc.name': evil } };
    expect((await app.post(alert)).status).toBe(200);
    await waitFor(async () => (await messages(mail.plain)).length === 1, 20_000, 'the message');
    const [m] = await messages(mail.plain);
    const d = await detail(mail.plain, (m as Summary).ID);
    expect(d.HTML).not.toContain('<script');
    expect(d.HTML).not.toContain('<img');
    expect(d.HTML).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(d.Text).toContain(`Rule: ${evil}`);
  });

  it('a 550 recipient is dead-lettered; a 451 (mailpit chaos) is retried until it clears', async () => {
    const app = await start(yaml(mail.plain).replace('to: secops@example.com, oncall@example.com', 'to: someone@elsewhere.org'));
    const run = `rej-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 2);
    await waitFor(() => app.deadLetters.size() === 2, 20_000, 'two dead letters');
    expect(app.deadLetters.list()[0]).toMatchObject({ reason: 'rejected', detail: expect.stringMatching(/SMTP 550 \(permanent, at RCPT TO\): 550 5\.1\.0/) });

    const ok = await start(yaml(mail.plain));
    await api(mail.plain, '/api/v1/chaos', 'PUT', { Recipient: { ErrorCode: 451, Probability: 100 } });
    const later = `tmp-${randomUUID().slice(0, 8)}`;
    await postInOrder(ok, later, 3);
    const worker = ok.workers.find((w) => w.name === 'smtp');
    await waitFor(() => (worker?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 20_000, 'temporary failures');
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, lastError: expect.stringMatching(/SMTP 451 \(temporary\)/) });
    await api(mail.plain, '/api/v1/chaos', 'PUT', { Recipient: { ErrorCode: 451, Probability: 0 } });
    await waitFor(() => worker?.healthSnapshot().delivered === 3, 20_000, 'delivery after the 451s');
    expect((await messages(mail.plain)).map((m) => m.MessageID).sort()).toEqual([0, 1, 2].map((i) => `${later}-${i}@peregrine`));
  });

  it.each(['plain', 'login'])('STARTTLS + AUTH %s: delivered with the right password, waiting (no dead letter) with a wrong one', async (mechanism) => {
    const server = mail.auth;
    const config = (password: string) =>
      `tlsclient:\n  cacertfile: ${server.cacert}\nsmtp:\n  hostport: ${server.host}:${server.smtpPort}\n  authmechanism: ${mechanism}\n  user: ${server.user}\n  password: ${password}\n  from: falco@example.com\n  to: secops@example.com\n  retry:\n    initialbackoffms: 50\n    maxbackoffms: 200\n`;
    const good = await start(config(server.password));
    const run = `auth-${randomUUID().slice(0, 8)}`;
    await postInOrder(good, run, 3);
    await waitFor(() => good.workers[0]?.healthSnapshot().delivered === 3, 20_000, 'authenticated delivery');
    expect((await messages(server)).map((m) => m.MessageID).sort()).toEqual([0, 1, 2].map((i) => `${run}-${i}@peregrine`));

    const bad = await start(config('wrong'));
    await postInOrder(bad, `${run}-bad`, 1);
    const worker = bad.workers[0];
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 20_000, 'auth failure');
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, lastError: expect.stringContaining('SMTP authentication refused: 535') });
  });

  it('digest: one e-mail per batch, every alert listed and attached as JSON', async () => {
    const app = await start(yaml(mail.plain, '  digest: true\n  batch:\n    flushms: 300\n    maxevents: 20\n'));
    const run = `dig-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 50);
    await waitFor(() => app.workers[0]?.healthSnapshot().delivered === 50, 20_000, '50 alerts in digests');
    const list = await messages(mail.plain);
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.length).toBeLessThan(50);
    const times: string[] = [];
    for (const m of list) {
      expect(m.Subject).toMatch(/^\[Notice\] \d+ Falco alerts?: Terminal shell in container$/);
      const d = await detail(mail.plain, m.ID);
      times.push(...(d.Text.match(/evt\.time: \d+/g) ?? []));
      expect(d.Attachments.map((a) => a.FileName)).toEqual(['alerts.ndjson']);
    }
    expect(times.sort()).toEqual(Array.from({ length: 50 }, (_, i) => evtTime(i)).sort());
  });
});
