// The elasticsearch output against the real Elasticsearch 8.19 node of test/infra/elasticsearch
// (security on: basic auth and an API key), through the real app: POST / → queue → _bulk.
// One file, run in order: the last test stops the shared node for a while.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir } from '../../support/fixtures.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { elasticsearchAuthHeader, type ElasticsearchInfra } from '../../infra/elasticsearch/state.ts';
import { startNode, stopNode } from '../../infra/elasticsearch/control.ts';
import plugin from '../../../outputs/elasticsearch/index.ts';
import { alertJson, call, capturedLogger, count, countingPlugin, deliveredAll, expectSameAlert, postRange, rawSource, unique, type Cluster } from './helpers.ts';

let es: ElasticsearchInfra;
let cluster: Cluster;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

const fast = '  retry:\n    initialbackoffms: 100\n    maxbackoffms: 1000\n';
const block = (index: string, extra = '') =>
  `elasticsearch:\n  hostport: ${es.url}\n  index: ${index}\n  username: ${es.username}\n  password: ${es.password}\n${fast}${extra}`;

describe.skipIf(infraSkipped('elasticsearch'))('elasticsearch output against Elasticsearch', () => {
  beforeAll(async () => {
    es = await useInfra<ElasticsearchInfra>('elasticsearch');
    cluster = { url: es.url, auth: elasticsearchAuthHeader(es) };
  });

  async function deliver10k(yaml: string, index: string, prefix: string) {
    const counting = countingPlugin();
    app = await startApp(yaml, { extraPlugins: [counting.plugin] });
    const started = performance.now();
    await postRange(app, prefix, 0, 10_000, 500);
    await deliveredAll(app, 10_000);
    const seconds = (performance.now() - started) / 1000;
    expect(app.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 10_000, deadLettered: 0, dropped: 0 });
    expect(await count(cluster, `${index}-*`)).toBe(10_000);
    for (const i of [0, 4321, 9999]) expectSameAlert(await rawSource(cluster, `${index}-2026.11.20`, `${prefix}-${i}`), alertJson(prefix, i));
    console.log(`[elasticsearch] ${index}: 10000 alerts in ${seconds.toFixed(2)} s = ${Math.round(10_000 / seconds)} alerts/s, ${counting.requests()} _bulk requests`);
    return counting.requests();
  }

  it('delivers 10,000 alerts exactly, with basic auth (official client)', async () => {
    const index = unique('basic');
    const requests = await deliver10k(block(index), index, 'b');
    expect(requests).toBeLessThanOrEqual(40);
    expect(app?.workers[0]?.healthSnapshot().state).toBe('ok');
  });

  it('delivers 10,000 alerts exactly, with an API key', async () => {
    const index = unique('apikey');
    await deliver10k(`elasticsearch:\n  hostport: ${es.url}\n  index: ${index}\n  apikey: ${es.apiKey}\n${fast}`, index, 'k');
  });

  it('sends gzip bodies with enablecompression', async () => {
    const index = unique('gzip');
    app = await startApp(block(index, '  enablecompression: true\n'), { extraPlugins: [plugin] });
    await postRange(app, 'z', 0, 50, 50);
    await deliveredAll(app, 50);
    expect(await count(cluster, `${index}-*`)).toBe(50);
    expectSameAlert(await rawSource(cluster, `${index}-2026.11.20`, 'z-9'), alertJson('z', 9));
  });

  it('names indices by the alert time (UTC) for every suffix', async () => {
    const times = ['2024-02-29T23:59:59.5Z', '2025-12-31T22:30:00-03:00', '2026-11-20T10:21:36.167531875Z'];
    const expected: Record<string, string[]> = {
      daily: ['2024.02.29', '2026.01.01', '2026.11.20'],
      monthly: ['2024.02', '2026.01', '2026.11'],
      annually: ['2024', '2026'],
      none: [''],
    };
    for (const [suffix, dates] of Object.entries(expected)) {
      const index = unique(`suffix-${suffix}`);
      app = await startApp(block(index, `  suffix: ${suffix}\n`), { extraPlugins: [plugin] });
      for (const [i, time] of times.entries()) expect((await app.post(alertJson('s', i, { time }))).status).toBe(200);
      await deliveredAll(app, 3);
      await app.stop();
      app = undefined;
      const res = await call(cluster, 'GET', `/_cat/indices/${index}*?h=index&format=json`);
      const names = (JSON.parse(res.text) as { index: string }[]).map((r) => r.index).sort();
      expect(names, suffix).toEqual(dates.map((d) => (d ? `${index}-${d}` : index)));
      expect(await count(cluster, `${index}*`)).toBe(3);
    }
  });

  it('dead-letters the documents a mapping refuses (with the reason) and indexes the rest, once', async () => {
    const index = unique('conflict');
    const created = await call(cluster, 'PUT', `/${index}`, { mappings: { properties: { output_fields: { properties: { x: { type: 'long' } } } } } });
    expect(created.status, created.text).toBe(200);
    const counting = countingPlugin();
    app = await startApp(block(index, '  suffix: none\n'), { extraPlugins: [counting.plugin] });
    const batch: string[] = [];
    for (let i = 0; i < 100; i++) batch.push(alertJson('m', i, { fields: i % 10 === 3 ? '"x":"not-a-number"' : `"x":${i}` }));
    expect((await app.post(`[${batch.join(',')}]`)).status).toBe(200);
    await deliveredAll(app, 100);
    await app.workers[0]?.idle();
    expect(await count(cluster, index)).toBe(90);
    const dead = app.deadLetters.list({ output: 'elasticsearch' });
    expect(dead.map((d) => d.alert.uuid).sort()).toEqual(Array.from({ length: 10 }, (_, k) => `m-${k * 10 + 3}`).sort());
    for (const d of dead) {
      expect(d.reason).toBe('rejected');
      expect(d.attempts).toBe(1);
      expect(d.detail).toMatch(/^HTTP 400 document_parsing_exception: .*failed to parse field \[output_fields\.x\] of type \[long\]/);
    }
    expect(app.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 90, deadLettered: 10, queued: 0 });
    expect(counting.requests()).toBe(1); // nothing retried
  });

  it('sets aside the alerts bound for a blocked index (a bulk item 429 each time), delivers the rest without waiting for them, and them once it is lifted', async () => {
    // Alerts of 29 Feb 2024 go to that day's index, blocked as a full disk blocks it (the
    // flood-stage watermark): each such bulk item is answered 429 apart from the others, every time.
    const index = unique('blocked');
    const late = `${index}-2024.02.29`;
    const blocked = await call(cluster, 'PUT', `/${late}`, { settings: { index: { blocks: { read_only_allow_delete: true } } } });
    expect(blocked.status, blocked.text).toBe(200);
    // Batches of 5, one request at a time: the 5 late alerts, the oldest, fill the first one.
    app = await startApp(block(index, '  maxconcurrency: 1\n  batch:\n    maxevents: 5\n    flushms: 0\n'), { extraPlugins: [plugin] });
    const time = '2024-02-29T12:00:00Z';
    const batch = Array.from({ length: 55 }, (_, i) => alertJson('l', i, i < 5 ? { time } : {}));
    expect((await app.post(`[${batch.join(',')}]`)).status).toBe(200);
    const worker = app.workers[0];
    const started = performance.now();
    // Bounded well below the ~29 s it took when such alerts were never set aside (round 36).
    while ((worker?.healthSnapshot().delivered ?? 0) < 50 && performance.now() - started < 15_000) await sleep(20);
    console.log(`[elasticsearch] blocked index: 50 other alerts delivered in ${Math.round(performance.now() - started)} ms`);
    // The 5 are still held: set aside, but for the one that may be in flight on its own retry.
    const held = worker?.healthSnapshot();
    expect(held).toMatchObject({ state: 'ok', delivered: 50, deadLettered: 0 });
    expect((held?.queued ?? 0) + (held?.inflight ?? 0)).toBe(5);
    expect(held?.setAside).toBeGreaterThanOrEqual(4);
    expect(await count(cluster, `${index}-2026.11.20`)).toBe(50);
    const lifted = await call(cluster, 'PUT', `/${late}/_settings`, { index: { blocks: { read_only_allow_delete: null } } });
    expect(lifted.status, lifted.text).toBe(200);
    await deliveredAll(app, 55, 30_000); // each tried alone on its own backoff: 100 ms doubling, up to 1 s
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 55, deadLettered: 0, setAside: 0 });
    expect(await count(cluster, late)).toBe(5);
  });

  it('installs an index template (flattened keyword output_fields) once and never overwrites one', async () => {
    const index = unique('template');
    app = await startApp(block(index, '  createindextemplate: true\n  numberofshards: 1\n  numberofreplicas: 0\n'), { extraPlugins: [plugin] });
    await postRange(app, 't', 0, 20, 20);
    await deliveredAll(app, 20);
    const tpl = JSON.parse((await call(cluster, 'GET', `/_index_template/${index}`)).text) as { index_templates: { index_template: { index_patterns: string[] } }[] };
    expect(tpl.index_templates[0]?.index_template.index_patterns).toEqual([`${index}-*`]);
    expectSameAlert(await rawSource(cluster, `${index}-2026.11.20`, 't-7'), alertJson('t', 7), true);
    const mapping = (await call(cluster, 'GET', `/${index}-2026.11.20/_mapping/field/output_fields.evt_time,output_fields.k8s_ns_name,output.keyword,@timestamp`)).text;
    expect(mapping).toContain('"evt_time":{"type":"keyword"');
    expect(mapping).toContain('"k8s_ns_name":{"type":"keyword"');
    expect(mapping).toContain('"keyword":{"type":"keyword"');
    expect(mapping).toContain('"@timestamp":{"type":"date"}');
    // A rule over Lucene's 32,766-byte term limit: the document is indexed (its keyword left out),
    // not refused as an "immense term".
    const long = JSON.parse(alertJson('t', 20)) as { rule: string };
    long.rule = 'r'.repeat(40_000);
    expect((await app.post(JSON.stringify(long))).status).toBe(200);
    await deliveredAll(app, 21);
    expect(app.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 21, deadLettered: 0 });
    await app.stop();
    app = undefined;

    // Somebody else's template of that name stays as it is.
    const mine = unique('own-template');
    const own = { index_patterns: [`${mine}-*`], priority: 300, template: { settings: { number_of_shards: 1, number_of_replicas: 0 } }, _meta: { owner: 'ops' } };
    expect((await call(cluster, 'PUT', `/_index_template/${mine}`, own)).status).toBe(200);
    app = await startApp(block(mine, '  createindextemplate: true\n'), { extraPlugins: [plugin] });
    await app.post(alertJson('o', 1));
    await deliveredAll(app, 1);
    expect((await call(cluster, 'GET', `/_index_template/${mine}`)).text).toContain('"_meta":{"owner":"ops"}');
    await app.stop();
    app = undefined;

    // falcosidekick names its template "falco" whatever the index: when it covers this index, a
    // switch keeps it (and the mapping dashboards were built on) instead of adding a second one.
    const fsk = unique('fsk-index');
    const theirs = { index_patterns: [`${fsk}-*`], template: { settings: { number_of_shards: 1, number_of_replicas: 0 } }, _meta: { owner: 'falcosidekick' } };
    expect((await call(cluster, 'PUT', '/_index_template/falco', theirs)).status).toBe(200);
    try {
      app = await startApp(block(fsk, '  createindextemplate: true\n'), { extraPlugins: [plugin] });
      await app.post(alertJson('f', 1));
      await deliveredAll(app, 1);
      expect((await call(cluster, 'GET', `/_index_template/${fsk}`)).status).toBe(404);
      expect((await call(cluster, 'GET', '/_index_template/falco')).text).toContain('"_meta":{"owner":"falcosidekick"}');
    } finally {
      await call(cluster, 'DELETE', '/_index_template/falco');
    }
  });

  it('writes to a data stream (this build supports them for writes, though not the _data_stream API)', async () => {
    const name = unique('ds');
    app = await startApp(block(name, '  datastream: true\n  numberofshards: 1\n  numberofreplicas: 0\n'), { extraPlugins: [plugin] });
    await postRange(app, 'd', 0, 50, 50);
    await deliveredAll(app, 50);
    expect(app.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 50, deadLettered: 0 });
    expect(await count(cluster, name)).toBe(50);
    const backing = JSON.parse((await call(cluster, 'GET', `/_cat/indices/.ds-${name}-*?h=index&format=json&expand_wildcards=all`)).text) as { index: string }[];
    expect(backing).toHaveLength(1);
  });

  it('works with the seed values block unchanged (hostport and credentials pointed at the test node)', async () => {
    const seed = readFileSync(join(fixturesDir, 'config/seed.yaml'), 'utf8');
    const lines = seed.split('\n');
    const start = lines.indexOf('elasticsearch:');
    const end = lines.findIndex((l, i) => i > start && /^\S/.test(l));
    const esBlock = lines
      .slice(start, end)
      .join('\n')
      .replace('"https://elasticsearch.example.com:9200"', `"${es.url}"`)
      .replace('"elastic"', `"${es.username}"`)
      .replace('"changeme"', `"${es.password}"`);
    expect(esBlock).toContain('index: "falco-alerts"');
    app = await startApp(`${esBlock}\n`, { extraPlugins: [plugin] });
    const prefix = unique('seed');
    await postRange(app, prefix, 0, 10, 10);
    await deliveredAll(app, 10);
    expect(app.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 10, state: 'ok' });
    expectSameAlert(await rawSource(cluster, 'falco-alerts-2026.11.20', `${prefix}-3`), alertJson(prefix, 3));
  });

  it('with a wrong password: /healthz and the startup log say what to fix, alerts wait (bounded), nothing dead-lettered', async () => {
    for (const flavor of ['elasticsearch', 'auto']) {
      const { logger, lines } = capturedLogger();
      app = await startApp(
        `elasticsearch:\n  hostport: ${es.url}\n  index: ${unique('wrongpw')}\n  username: elastic\n  password: not-the-password\n  flavor: ${flavor}\n${fast}  queue:\n    maxalerts: 100\n`,
        { extraPlugins: [plugin], logger },
      );
      await postRange(app, 'w', 0, 150, 50);
      const deadline = Date.now() + 20_000;
      let health: { status: string; outputs: Record<string, { state: string; lastError?: string; queued: number; dropped: number }> };
      for (;;) {
        health = (await (await request(`${app.url}/healthz`)).body.json()) as typeof health;
        if (health.outputs.elasticsearch?.state === 'failing' || Date.now() > deadline) break;
        await sleep(100);
      }
      const out = health.outputs.elasticsearch;
      expect(health.status).toBe('degraded');
      expect(out?.state, flavor).toBe('failing');
      expect(out?.lastError, flavor).toMatch(/check elasticsearch\.username\/password or elasticsearch\.apikey/);
      expect(out?.lastError).not.toContain('not-the-password');
      expect(out?.queued).toBe(100); // the queue bound: the rest were shed and counted
      expect(out?.dropped).toBe(50);
      expect(app.deadLetters.size()).toBe(0);
      const log = lines.join('\n');
      expect(log).toMatch(/check elasticsearch\.username\/password or elasticsearch\.apikey/);
      expect(log).not.toContain('not-the-password');
      console.log(`[elasticsearch] wrong password (flavor ${flavor}): lastError = ${out?.lastError}`);
      await app.stop();
      app = undefined;
    }
  });

  it('survives the node going away for 30 s mid-stream: every alert arrives exactly once', async () => {
    const index = unique('outage');
    const counting = countingPlugin();
    app = await startApp(block(index, '  timeoutms: 3000\n  batch:\n    maxevents: 200\n    flushms: 100\n'), { extraPlugins: [counting.plugin] });
    const total = 3000;
    await postRange(app, 'o', 0, 1000, 100);
    const posting = (async () => {
      for (let start = 1000; start < total; start += 100) {
        await postRange(app as RunningApp, 'o', start, start + 100, 100);
        await sleep(100);
      }
    })();
    await stopNode('elasticsearch');
    const downAt = Date.now();
    await sleep(30_000);
    await posting;
    const queuedWhileDown = app.workers[0]?.healthSnapshot();
    await startNode('elasticsearch');
    console.log(`[elasticsearch] node down ${((Date.now() - downAt) / 1000).toFixed(1)} s; queued while down: ${queuedWhileDown?.queued} (${queuedWhileDown?.state})`);
    await deliveredAll(app, total, 120_000);
    const h = app.workers[0]?.healthSnapshot();
    expect(h).toMatchObject({ delivered: total, deadLettered: 0, dropped: 0 });
    expect(await count(cluster, `${index}-*`)).toBe(total);
    // One daily index and _id = uuid: `count == total` means each alert exactly once.
    expect(queuedWhileDown?.queued).toBeGreaterThan(0);
    console.log(`[elasticsearch] outage: ${counting.requests()} _bulk requests for ${total} alerts`);
  }, 300_000);
});
