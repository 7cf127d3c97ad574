// Bad input over real HTTP: the right status, a JSON error with a stable code, a counter, no crash.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { request } from 'undici';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { metricSum } from '../support/metrics.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

let app: RunningApp;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await new Receiver().start();
  app = await startApp(`ingest:\n  maxbodybytes: 65536\nwebhook:\n  address: ${receiver.url()}\n`);
});
afterAll(async () => {
  await app.stop();
  await receiver.stop();
});

async function send(body: string | Buffer, headers: Record<string, string>, path = '/') {
  const res = await request(`${app.url}${path}`, { method: 'POST', headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as { error?: { code: string; message: string; path?: string }; accepted?: number; rejected?: unknown[] }) : undefined };
}
const json = { 'content-type': 'application/json' };

describe('ingest rejects bad input precisely and keeps running', () => {
  it.each([
    ['malformed JSON', '{"rule":', json, 400, 'ERR_JSON_MALFORMED'],
    ['empty body', '', json, 400, 'ERR_BODY_EMPTY'],
    ['wrong types', '{"priority":"Notice","rule":5,"time":"2026-11-20T10:21:36Z","output_fields":{"a":1}}', json, 400, 'ERR_ALERT_INVALID'],
    ['unknown priority', '{"priority":"Urgent","rule":"r","time":"2026-11-20T10:21:36Z","output_fields":{"a":1}}', json, 400, 'ERR_ALERT_INVALID'],
    ['missing rule', '{"priority":"Notice","time":"2026-11-20T10:21:36Z","output_fields":{"a":1}}', json, 400, 'ERR_ALERT_INVALID'],
    ['missing time', '{"priority":"Notice","rule":"r","output_fields":{"a":1}}', json, 400, 'ERR_ALERT_INVALID'],
    ['output_fields not an object', '{"priority":"Notice","rule":"r","time":"2026-11-20T10:21:36Z","output_fields":5}', json, 400, 'ERR_ALERT_INVALID'],
    ['oversized body', `[${Array(2000).fill(falcoAlertJson(1)).join(',')}]`, json, 413, 'ERR_BODY_TOO_LARGE'],
    ['unsupported content type', '<a/>', { 'content-type': 'application/xml' }, 415, 'ERR_CONTENT_TYPE_UNSUPPORTED'],
    ['broken gzip', Buffer.from('definitely not gzip'), { ...json, 'content-encoding': 'gzip' }, 400, 'ERR_GZIP_INVALID'],
    ['gzip bomb', gzipSync(Buffer.alloc(1_000_000, 32)), { ...json, 'content-encoding': 'gzip' }, 413, 'ERR_BODY_TOO_LARGE'],
  ] as const)('%s → %i %s', async (_name, body, headers, status, code) => {
    const before = await metricValue(app, 'peregrine_ingest_rejected_total', { code });
    const res = await send(body, headers);
    expect(res.status).toBe(status);
    expect(res.json?.error?.code).toBe(code);
    expect(res.json?.error?.message).not.toMatch(/\n\s+at /); // never a stack trace
    expect(await metricValue(app, 'peregrine_ingest_rejected_total', { code })).toBe(before + 1);
  });

  it('accepts the good alerts of a mixed batch and says which were rejected and why', async () => {
    const before = receiver.received.length;
    const res = await send(`[${falcoAlertJson(1)},{"priority":"Nope","rule":"r","time":"2026-11-20T10:21:36Z","output_fields":{"a":1}},${falcoAlertJson(2)}]`, json);
    expect(res.status).toBe(207);
    expect(res.json).toMatchObject({ accepted: 2, rejected: [{ index: 1, code: 'ERR_ALERT_INVALID', path: 'priority' }] });
    await waitFor(() => receiver.received.length === before + 2);
  });

  it('accepts gzip, NDJSON and Falco text lines', async () => {
    const before = receiver.received.length;
    expect((await send(gzipSync(falcoAlertJson(3)), { ...json, 'content-encoding': 'gzip' })).status).toBe(200);
    expect((await send(`${falcoAlertJson(4)}\n${falcoAlertJson(5)}\n`, { 'content-type': 'application/x-ndjson' })).json).toEqual({ accepted: 2 });
    expect((await send('10:21:36.167531875: Critical Sensitive file opened for reading (user=root file=/etc/shadow)', { 'content-type': 'text/plain' })).status).toBe(200);
    await waitFor(() => receiver.received.length === before + 4);
    expect(receiver.received.at(-1)?.body).toContain('"priority":"Critical"');
  });

  it('answers 500 ERR_INTERNAL (not 400) when one alert fails on Peregrine\'s side; a batch goes on past it', async () => {
    const accept = app.ingest.accept.bind(app.ingest);
    const failing = vi.spyOn(app.ingest, 'accept').mockImplementationOnce(() => {
      throw new Error('a bug');
    });
    try {
      const before = await metricValue(app, 'peregrine_ingest_rejected_total', { code: 'ERR_INTERNAL' });
      const one = await send(falcoAlertJson(1), json);
      expect(one.status).toBe(500);
      expect(one.json?.error).toEqual({ code: 'ERR_INTERNAL', message: 'internal error on this alert; it was not accepted; the details are in the Peregrine log' });
      failing.mockImplementationOnce(() => {
        throw new Error('a bug');
      });
      failing.mockImplementationOnce(accept);
      const batch = await send(`[${falcoAlertJson(2)},${falcoAlertJson(3)}]`, json);
      expect(batch.status).toBe(207);
      expect(batch.json).toMatchObject({ accepted: 1, rejected: [{ index: 0, code: 'ERR_INTERNAL' }] });
      expect(await metricValue(app, 'peregrine_ingest_rejected_total', { code: 'ERR_INTERNAL' })).toBe(before + 2);
    } finally {
      failing.mockRestore();
    }
  });

  it('a request refused by the APIs beside ingest (silences, reload) is no rejected alert', async () => {
    const rejected = () => metricValue(app, 'falcosecurity_falcosidekick_inputs_total', { status: 'rejected' });
    const before = await rejected();
    for (const path of ['/api/v1/silences', '/api/v1/reload']) {
      const res = await send('{"match":', json, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    expect(await rejected()).toBe(before);
    expect((await send('{"rule":', json)).status).toBe(400);
    expect(await rejected()).toBe(before + 1);
  });

  it('counts every rejected alert in inputs_total and is still healthy', async () => {
    expect(await metricValue(app, 'falcosecurity_falcosidekick_inputs_total', { status: 'rejected' })).toBeGreaterThanOrEqual(10);
    const res = await request(`${app.url}/healthz`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toMatchObject({ status: 'ok' });
  });
});

describe('the front door falcosidekick users already point at', () => {
  it('takes an alert POSTed to any path that is no endpoint (Falco\'s http_output.url may carry one)', async () => {
    const before = receiver.received.length;
    for (const [i, path] of ['/falco', '/api/v1/alerts?x=1', '/a/b/c'].entries()) {
      expect((await send(falcoAlertJson(100 + i), json, path)).status).toBe(200);
    }
    await waitFor(() => receiver.received.length === before + 3);
    expect(receiver.received.slice(-3).map((r) => JSON.parse(r.body).uuid).sort()).toEqual(['alert-100', 'alert-101', 'alert-102']);
    const dlq = await send(falcoAlertJson(199), json, '/dlq');
    expect([dlq.status, dlq.json?.error?.code]).toEqual([405, 'ERR_METHOD_NOT_ALLOWED']);
    // falcosidekick answers its status endpoints on any method (its chart's helm test POSTs /healthz).
    const health = await request(`${app.url}/healthz`, { method: 'POST' });
    expect([health.statusCode, ((await health.body.json()) as { status: string }).status]).toEqual([200, 'ok']);
    const ping = await request(`${app.url}/ping`, { method: 'POST' });
    expect(await ping.body.text()).toBe('pong\n');
    expect((await request(`${app.url}/nope`)).statusCode).toBe(404); // GET is still not ingest
  });

  it.each([
    ['application/x-www-form-urlencoded (curl -d)', 'application/x-www-form-urlencoded'],
    ['text/json', 'text/json'],
    ['application/octet-stream', 'application/octet-stream'],
    ['text/plain holding JSON', 'text/plain; charset=utf-8'],
    ['no content type', ''],
  ])('accepts a JSON alert sent as %s, as falcosidekick does', async (_name, type) => {
    const before = receiver.received.length;
    const res = await send(falcoAlertJson(200), type ? { 'content-type': type } : {});
    expect(res.status).toBe(200);
    await waitFor(() => receiver.received.length === before + 1);
    expect(JSON.parse(receiver.received.at(-1)?.body ?? '{}').uuid).toBe('alert-200');
  });

  it('counts Falco\'s POSTs as inputs_total{source="requests"}, like falcosidekick', async () => {
    expect(await metricValue(app, 'falcosecurity_falcosidekick_inputs_total', { source: 'requests', status: 'accepted' })).toBeGreaterThan(0);
  });
});

describe('an alert without output_fields', () => {
  it('is accepted and delivered with {} (or with what customfields add): Falco sends such alerts and ignores a 400', async () => {
    // A rule whose output names no field ({}), and Falco 0.41+ with json_include_output_fields: false (absent).
    const empty = '{"priority":"Notice","rule":"r","time":"2026-11-20T10:21:36Z","output_fields":{},"output":"no fields"}';
    const missing = '{"priority":"Notice","rule":"r","time":"2026-11-20T10:21:36Z","output":"no fields either"}';
    const before = receiver.received.length;
    for (const body of [empty, missing]) expect((await send(body, json)).status).toBe(200);
    await waitFor(() => receiver.received.length === before + 2);
    for (const r of receiver.received.slice(-2)) expect((JSON.parse(r.body) as { output_fields: unknown }).output_fields).toEqual({});

    const sink = await new Receiver().start();
    const enriched = await startApp(`customfields:\n  env: prod\nwebhook:\n  address: ${sink.url()}\n`);
    const res = await request(`${enriched.url}/`, { method: 'POST', headers: json, body: missing });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await waitFor(() => sink.received.length === 1);
    expect((JSON.parse(sink.received[0]?.body ?? '{}') as { output_fields: unknown }).output_fields).toEqual({ env: 'prod' });
    await enriched.stop();
    await sink.stop();
  });
});

describe('debug: true', () => {
  it('logs every accepted payload, secret-looking fields redacted, as falcosidekick does', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (l: string) => lines.push(l) });
    const debugApp = await startApp('debug: true\ncustomfields:\n  api_token: hunter2\n  team: core\nstdout:\n  enabled: false\n', { logger });
    try {
      expect((await debugApp.post(falcoAlertJson(300))).status).toBe(200);
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; payload?: { uuid: string; output_fields: Record<string, unknown> } }).find((l) => l.msg === "Falco's payload");
      expect(logged?.payload?.uuid).toBe('alert-300');
      expect(logged?.payload?.output_fields).toMatchObject({ api_token: '***', team: 'core', 'container.id': expect.any(String) });
      expect(lines.join('')).not.toContain('hunter2');
    } finally {
      await debugApp.stop();
    }
  });
});

describe('ingest token', () => {
  it('requires the bearer token on / and /test when set', async () => {
    const guarded = await startApp('ingest:\n  token: s3cret\nstdout:\n  enabled: false\n');
    try {
      const noToken = await request(`${guarded.url}/`, { method: 'POST', headers: json, body: falcoAlertJson(1) });
      expect(noToken.statusCode).toBe(401);
      expect(await noToken.body.json()).toMatchObject({ error: { code: 'ERR_UNAUTHORIZED' } });
      const wrong = await request(`${guarded.url}/test`, { method: 'POST', headers: { authorization: 'Bearer nope' } });
      expect(wrong.statusCode).toBe(401);
      await wrong.body.dump();
      const right = await request(`${guarded.url}/`, { method: 'POST', headers: { ...json, authorization: 'Bearer s3cret' }, body: falcoAlertJson(1) });
      expect(right.statusCode).toBe(200);
      await right.body.dump();
    } finally {
      await guarded.stop();
    }
  });
});

describe('peregrine_ingest_duration_seconds', () => {
  it('times every POST / (accepted or rejected) and nothing else', async () => {
    const count = () => metricSum(app.metrics.registry, 'peregrine_ingest_duration_seconds', {}, '_count');
    const sum = () => metricSum(app.metrics.registry, 'peregrine_ingest_duration_seconds', {}, '_sum');
    const [n0, s0] = [await count(), await sum()];
    expect((await send(falcoAlertJson(11), json)).status).toBe(200);
    expect((await send('{"rule":', json)).status).toBe(400);
    await (await request(`${app.url}/ping`)).body.dump();
    await (await request(`${app.url}/test`, { method: 'POST' })).body.dump();
    expect(await count()).toBe(n0 + 2);
    const seconds = (await sum()) - s0;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(5);
  });
});

describe('/test', () => {
  it('injects the test alert past every minimumpriority; "Test rule" posted to / gets no bypass', async () => {
    const r = await new Receiver().start();
    const strict = await startApp(`webhook:\n  address: ${r.url()}\n  minimumpriority: critical\n`);
    try {
      const res = await request(`${strict.url}/test`, { method: 'POST' });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      await waitFor(() => r.received.length === 1);
      expect(JSON.parse(r.received[0]?.body ?? '{}')).toMatchObject({ rule: 'Test rule', priority: 'Debug', source: 'internal', tags: ['example', 'test'] });
      await strict.post({ rule: 'Test rule', priority: 'Debug', time: '2026-11-20T10:21:36Z', output_fields: { a: 1 } });
      // A Critical alert posted after it arrives; once the worker is idle, nothing else was queued.
      await strict.post({ rule: 'After', priority: 'Critical', time: '2026-11-20T10:21:36Z', output_fields: { a: 2 } });
      await waitFor(() => r.received.length >= 2);
      await strict.workers[0]?.idle();
      expect(r.received.map((got) => (JSON.parse(got.body) as { rule: string }).rule)).toEqual(['Test rule', 'After']);
    } finally {
      await strict.stop();
      await r.stop();
    }
  });
});
