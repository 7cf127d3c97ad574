// Hot reload, one behaviour per test: an invalid config keeps the running one (and says so in the
// log, the metrics and /healthz), the API's credentials and answers, settings that wait for a
// restart, an unchanged output left untouched, and noise control across a reload.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, metricValue, type RunningApp } from '../support/app.ts';
import { alertJson } from '../support/console.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

const TOKEN = 'reload-test-token';

async function reloadApi(app: RunningApp, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(`${app.url}/api/v1/reload`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

async function healthz(app: RunningApp): Promise<{ config: Record<string, unknown>; outputs: Record<string, unknown> }> {
  const res = await request(`${app.url}/healthz`);
  return (await res.body.json()) as { config: Record<string, unknown>; outputs: Record<string, unknown> };
}

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

describe('hot reload', () => {
  let app: RunningApp | undefined;
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });
  const receiver = async () => {
    const r = await new Receiver().start();
    receivers.push(r);
    return r;
  };

  it('keeps the running config when the new one is invalid, names every problem, counts it and shows it at /healthz', async () => {
    const dest = await receiver();
    app = await startApp(`webhook:\n  address: ${dest.url()}\n`);
    app.rewrite(`webhook:\n  address: ${dest.url()}\n  minimumpriority: loud\noutputs:\n  pager:\n    type: nosuch\n`);
    const result = await app.reloader.reload('signal');
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => p.path);
    expect(problems).toEqual(expect.arrayContaining(['webhook.minimumpriority', 'outputs.pager.type']));
    expect(await metricValue(app, 'peregrine_config_reloads_total', { result: 'failure' })).toBe(1);
    expect(await metricValue(app, 'peregrine_config_last_reload_successful')).toBe(0);
    const health = await healthz(app);
    expect(health.config).toMatchObject({ generation: 1, stale: true, lastReload: { trigger: 'signal', ok: false } });
    expect((health.config.lastReload as { problems: string[] }).problems.join('\n')).toContain('outputs.pager.type');
    // Still delivering with the old config.
    expect((await app.post(alertJson({ uuid: uuid(1) }))).status).toBe(200);
    await waitFor(() => dest.received.length === 1, 10_000, 'delivery under the old config');
    expect(app.workers.map((w) => w.name)).toEqual(['webhook']);

    // Put back as it runs: nothing to reload, and the failure no longer stands.
    app.rewrite(`webhook:\n  address: ${dest.url()}\n`);
    expect(app.reloader.fileChanged()).toBeUndefined();
    expect(await metricValue(app, 'peregrine_config_last_reload_successful')).toBe(1);
    expect((await healthz(app)).config).toMatchObject({ generation: 1, stale: false });

    // Fixed: the next reload applies it and /healthz is no longer stale.
    app.rewrite(`webhook:\n  address: ${dest.url()}\n  minimumpriority: critical\n`);
    expect((await app.reloader.reload('file')).ok).toBe(true);
    expect((await healthz(app)).config).toMatchObject({ generation: 2, stale: false, lastReload: { trigger: 'file', ok: true } });
    expect(await metricValue(app, 'peregrine_config_last_reload_successful')).toBe(1);
  });

  it('says the running config is older than the file when the file changed and no reload ran', async () => {
    app = await startApp('');
    expect((await healthz(app)).config).toMatchObject({ stale: false, generation: 1 });
    app.rewrite('customtags: [changed]\n');
    expect((await healthz(app)).config).toMatchObject({ stale: true, generation: 1 });
    expect(app.reloader.fileChanged()).toBeDefined();
  });

  it('needs a credential on POST /api/v1/reload and answers with what changed, or 422 with the problems', async () => {
    const dest = await receiver();
    app = await startApp(`ingest:\n  token: ${TOKEN}\nwebhook:\n  address: ${dest.url()}\n`);
    expect(await reloadApi(app)).toMatchObject({ status: 401, body: { error: { code: 'ERR_UNAUTHORIZED' } } });
    expect((await reloadApi(app, 'wrong')).status).toBe(401);
    app.rewrite(`ingest:\n  token: ${TOKEN}\nwebhook:\n  address: ${dest.url()}\nstdout:\n  enabled: true\n`);
    expect(await reloadApi(app, TOKEN)).toMatchObject({ status: 200, body: { generation: 2, outputs: { unchanged: ['webhook'], added: ['stdout'] }, restartRequired: [] } });
    app.rewrite(`ingest:\n  token: ${TOKEN}\nwebhook:\n  address: not a url\n`);
    const refused = await reloadApi(app, TOKEN);
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'ERR_CONFIG_INVALID', problems: [expect.objectContaining({ path: 'webhook.address' })] } } });
  });

  it('runs one reload at a time: triggers during a reload share one run after it', async () => {
    app = await startApp('');
    app.rewrite('customtags: [a]\n');
    const results = await Promise.all([app.reloader.reload('signal'), app.reloader.reload('file'), app.reloader.reload('api')]);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(await metricValue(app, 'peregrine_config_reloads_total', { result: 'success' })).toBe(2);
    expect(app.reloader.status().generation).toBe(3);
  });

  it('runs no reload once shutdown began: it would build outputs the drain never sees', async () => {
    const dest = await receiver();
    app = await startApp(`webhook:\n  address: ${dest.url()}\n`);
    app.rewrite(`webhook:\n  address: ${dest.url()}\n  timeoutms: 5000\n`);
    const during = app.reloader.reload('signal'); // in flight as shutdown begins: it finishes first
    await app.reloader.settle();
    expect((await during).ok).toBe(true);
    app.rewrite(`webhook:\n  address: ${dest.url()}\n  timeoutms: 6000\n`);
    expect(await app.reloader.reload('signal')).toEqual({ ok: false, problems: [{ path: '', message: 'the daemon is shutting down: no reload' }] });
    expect(app.reloader.status().generation).toBe(2);
  });

  it('refuses the API when no credential is configured, saying what to set', async () => {
    app = await startApp('');
    const answer = await reloadApi(app);
    expect(answer.status).toBe(401);
    expect(JSON.stringify(answer.body)).toContain('set ingest.token');
  });

  it('reports settings that need a restart and keeps their running values', async () => {
    app = await startApp('ingest:\n  maxbodybytes: 1048576\n');
    app.rewrite('ingest:\n  maxbodybytes: 2097152\nprometheus:\n  extralabels: rule\n');
    const result = await app.reloader.reload('api');
    expect(result).toMatchObject({ ok: true, restartRequired: expect.arrayContaining(['ingest.maxbodybytes', 'prometheus.extralabels']) });
    expect(app.reloader.config.ingest.maxbodybytes).toBe(1048576);
    expect(await metricValue(app, 'peregrine_config_restart_required')).toBe(2);
    expect((await healthz(app)).config.restartRequired).toEqual(expect.arrayContaining(['ingest.maxbodybytes', 'prometheus.extralabels']));
  });

  it('leaves an unchanged output alone: same worker, its queue and its request in flight', async () => {
    const dest = await receiver();
    app = await startApp(`webhook:\n  address: ${dest.url()}\n  maxconcurrency: 1\n`);
    const worker = app.workers[0];
    dest.setBehaviour(() => ({ kind: 'ok', delayMs: 300 }));
    for (let i = 0; i < 5; i++) expect((await app.post(alertJson({ uuid: uuid(i) }))).status).toBe(200);
    await waitFor(() => (worker?.healthSnapshot().inflight ?? 0) > 0, 5000, 'a request in flight');
    app.rewrite(`webhook:\n  address: ${dest.url()}\n  maxconcurrency: 1\n  minimumpriority: debug\ncustomtags: [after]\n`);
    expect(await app.reloader.reload('api')).toMatchObject({ ok: true, outputs: { unchanged: ['webhook'] } });
    expect(app.workers[0]).toBe(worker);
    await waitFor(() => worker?.healthSnapshot().delivered === 5, 10_000, 'the five alerts, on the same worker');
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 5, deadLettered: 0, dropped: 0 });
    expect(dest.received).toHaveLength(5);
  });

  it.each([
    ['changed again', (t: number) => `  timeoutms: ${t}\n`, 8],
    ['removed', () => null, 1],
  ] as const)('a second reload while the first waits for a request in flight loses nothing (the output %s)', async (_name, second, received) => {
    const dest = await receiver();
    dest.setBehaviour(() => ({ kind: 'ok', delayMs: 1500 }));
    const config = (extra: string | null) => (extra === null ? 'stdout:\n  enabled: false\n' : `webhook:\n  address: ${dest.url()}\n  maxconcurrency: 1\n${extra}`);
    app = await startApp(config('  timeoutms: 10000\n'));
    for (let i = 0; i < 5; i++) expect((await app.post(alertJson({ uuid: uuid(i) }))).status).toBe(200);
    await waitFor(() => (app?.workers[0]?.healthSnapshot().inflight ?? 0) > 0, 5000, 'a request in flight');
    app.rewrite(config('  timeoutms: 9000\n'));
    expect(await app.reloader.reload('api')).toMatchObject({ ok: true, outputs: { changed: ['webhook'] } });
    for (let i = 5; i < 8; i++) expect((await app.post(alertJson({ uuid: uuid(i) }))).status).toBe(200);
    app.rewrite(config(second(8000)));
    expect((await app.reloader.reload('api')).ok).toBe(true);
    dest.setBehaviour(() => ({ kind: 'ok' }));
    // Each of the 8 ends delivered (the first one in flight, and every one when the output stays) or, removed, dead-lettered.
    const ended = async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total')) + (await metricValue(app as RunningApp, 'peregrine_dead_lettered_total'));
    await waitFor(async () => (await ended()) === 8, 15_000, 'all 8 alerts ended');
    expect(new Set(dest.received.map((r) => (JSON.parse(r.body) as { uuid: string }).uuid)).size).toBe(received);
  });

  it('three configs in a row (A, B, C): A\'s backlog stays in /healthz while it still waits for its request in flight', async () => {
    const dest = await receiver();
    dest.setBehaviour(() => ({ kind: 'ok', delayMs: 1500 }));
    const config = (timeout: number) => `webhook:\n  address: ${dest.url()}\n  maxconcurrency: 1\n  timeoutms: ${timeout}\n`;
    app = await startApp(config(10_000));
    for (let i = 0; i < 5; i++) expect((await app.post(alertJson({ uuid: uuid(i) }))).status).toBe(200);
    await waitFor(() => (app?.workers[0]?.healthSnapshot().inflight ?? 0) > 0, 5000, 'a request in flight');
    app.rewrite(config(9000));
    expect((await app.reloader.reload('api')).ok).toBe(true);
    for (let i = 5; i < 8; i++) expect((await app.post(alertJson({ uuid: uuid(i) }))).status).toBe(200);
    app.rewrite(config(8000));
    expect((await app.reloader.reload('api')).ok).toBe(true);
    // B handed its 3 over to C at once; A still waits for its request: its 1 + 4 are still the output's.
    const during = (await healthz(app)).outputs as { webhook: { queued: number; inflight: number } };
    expect(during.webhook.queued + during.webhook.inflight).toBe(8);
    expect(await metricValue(app, 'peregrine_queue_alerts', { output: 'webhook' })).toBe(during.webhook.queued);
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total')) === 8, 15_000, 'all 8 delivered');
    expect((await healthz(app)).outputs).toMatchObject({ webhook: { queued: 0, inflight: 0, delivered: 8 } });
  });

  it('a rebuilt output\'s counts in /healthz go on from its predecessor\'s, with what that one delivered after the switch', async () => {
    const dest = await receiver();
    const config = (timeout: number) => `webhook:\n  address: ${dest.url()}\n  maxconcurrency: 1\n  timeoutms: ${timeout}\n`;
    app = await startApp(config(10_000));
    for (let i = 0; i < 3; i++) expect((await app.post(alertJson({ uuid: uuid(i) }))).status).toBe(200);
    await waitFor(() => app?.workers[0]?.healthSnapshot().delivered === 3, 5000, 'three delivered');
    dest.setBehaviour(() => ({ kind: 'ok', delayMs: 1500 }));
    for (let i = 3; i < 6; i++) expect((await app.post(alertJson({ uuid: uuid(i) }))).status).toBe(200);
    await waitFor(() => (app?.workers[0]?.healthSnapshot().inflight ?? 0) > 0, 5000, 'a request in flight');
    app.rewrite(config(9000));
    expect(await app.reloader.reload('api')).toMatchObject({ ok: true, outputs: { changed: ['webhook'] } });
    // While the handover waits for the request in flight, the backlog shows under the output's name.
    const during = (await healthz(app as RunningApp)).outputs as { webhook: { queued: number; inflight: number } };
    expect(during.webhook.queued + during.webhook.inflight).toBe(3);
    expect(await metricValue(app, 'peregrine_queue_alerts', { output: 'webhook' })).toBe(2);
    await waitFor(async () => (await metricValue(app as RunningApp, 'peregrine_delivered_total')) === 6, 10_000, 'six delivered');
    const { webhook } = (await healthz(app)).outputs as { webhook: { delivered: number } };
    expect(webhook.delivered).toBe(6);
  });

  it('enrichment switches with the routes: alerts after the reload carry the new customfields and tags', async () => {
    const dest = await receiver();
    app = await startApp(`customfields:\n  team: red\nwebhook:\n  address: ${dest.url()}\n`);
    await app.post(alertJson({ uuid: uuid(1) }));
    app.rewrite(`customfields:\n  team: blue\ncustomtags: [reloaded]\nwebhook:\n  address: ${dest.url()}\n`);
    expect((await app.reloader.reload('api')).ok).toBe(true);
    await app.post(alertJson({ uuid: uuid(2) }));
    await waitFor(() => dest.received.length === 2, 10_000, 'two alerts');
    const [before, after] = dest.acceptedJson<{ uuid: string; output_fields: { team: string }; tags: string[] }>().sort((a, b) => a.uuid.localeCompare(b.uuid));
    expect(before?.output_fields.team).toBe('red');
    expect(after?.output_fields.team).toBe('blue');
    expect(after?.tags).toContain('reloaded');
  });

  it('keeps dedupe windows of an output whose noise settings did not change; replaces config silences and keeps API ones', async () => {
    const dest = await receiver();
    const dedupe = '  dedupe:\n    windowms: 3600000\n    keys: [rule]\n';
    app = await startApp(`webhook:\n  address: ${dest.url()}\n${dedupe}silences:\n  - match: {rule: "Old rule"}\n    for: 1h\n    reason: before\n`);
    app.noise.silences.add({ match: { rule: 'API rule' }, until: Date.now() + 3_600_000, createdAt: Date.now(), origin: 'api', reason: 'by hand', outputs: undefined });
    expect((await app.post(alertJson({ uuid: uuid(1), rule: 'Shell' }))).status).toBe(200);
    await waitFor(() => dest.received.length === 1, 10_000, 'the first alert of the window');
    app.rewrite(`webhook:\n  address: ${dest.url()}\n  timeoutms: 9000\n${dedupe}silences:\n  - match: {rule: "New rule"}\n    for: 1h\n    reason: after\n`);
    expect(await app.reloader.reload('api')).toMatchObject({ ok: true, outputs: { changed: ['webhook'] } });
    // The window survived: a repeat is held back.
    expect((await app.post(alertJson({ uuid: uuid(2), rule: 'Shell' }))).status).toBe(200);
    expect(await metricValue(app, 'peregrine_suppressed_total', { output: 'webhook', reason: 'dedupe' })).toBe(1);
    const rules = app.noise.silences.active(Date.now()).map((s) => `${s.origin}:${JSON.stringify(s.match)}`);
    expect(rules.sort()).toEqual(['api:{"rule":"API rule"}', 'config:{"rule":"New rule"}']);
  });
});
