// The elasticsearch output against the real OpenSearch 2.19 node of test/infra/opensearch (no
// security plugin, no auth): flavor auto must pick the plain-HTTP transport (the official client
// refuses OpenSearch), and the same guarantees hold.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import type { OpenSearchInfra } from '../../infra/opensearch/state.ts';
import plugin from '../../../outputs/elasticsearch/index.ts';
import { alertJson, call, capturedLogger, count, countingPlugin, deliveredAll, expectSameAlert, postRange, rawSource, unique, type Cluster } from './helpers.ts';

let os: OpenSearchInfra;
let cluster: Cluster;
let app: RunningApp | undefined;
afterEach(async () => {
  await app?.stop();
  app = undefined;
});

describe.skipIf(infraSkipped('opensearch'))('elasticsearch output against OpenSearch', () => {
  beforeAll(async () => {
    os = await useInfra<OpenSearchInfra>('opensearch');
    cluster = { url: os.url };
  });

  it('detects OpenSearch and delivers 10,000 alerts exactly over plain _bulk', async () => {
    const index = unique('os');
    const counting = countingPlugin();
    const { logger, lines } = capturedLogger();
    app = await startApp(`elasticsearch:\n  hostport: ${os.url}\n  index: ${index}\n`, { extraPlugins: [counting.plugin], logger });
    const started = performance.now();
    await postRange(app, 'os', 0, 10_000, 500);
    const posted = performance.now();
    await deliveredAll(app, 10_000);
    const seconds = (performance.now() - started) / 1000;
    expect(app.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 10_000, deadLettered: 0, dropped: 0, state: 'ok' });
    expect(await count(cluster, `${index}-*`)).toBe(10_000);
    for (const i of [0, 5555, 9999]) expectSameAlert(await rawSource(cluster, `${index}-2026.11.20`, `os-${i}`), alertJson('os', i));
    expect(lines.join('\n')).toMatch(/"flavor":"opensearch".*elasticsearch output connected/);
    console.log(
      `[opensearch] ${index}: 10000 alerts in ${seconds.toFixed(2)} s (posting took ${((posted - started) / 1000).toFixed(2)} s) = ` +
        `${Math.round(10_000 / seconds)} alerts/s, ${counting.requests()} _bulk requests`,
    );
  });

  it('dead-letters mapping conflicts and treats replays as duplicates', async () => {
    const index = unique('os-conflict');
    expect((await call(cluster, 'PUT', `/${index}`, { mappings: { properties: { output_fields: { properties: { x: { type: 'long' } } } } } })).status).toBe(200);
    app = await startApp(`elasticsearch:\n  hostport: ${os.url}\n  index: ${index}\n  suffix: none\n  flavor: opensearch\n`, { extraPlugins: [plugin] });
    const batch = Array.from({ length: 20 }, (_, i) => alertJson('p', i, { fields: i % 5 === 0 ? '"x":"nan"' : `"x":${i}` }));
    await app.post(`[${batch.join(',')}]`);
    await deliveredAll(app, 20);
    expect(await count(cluster, index)).toBe(16);
    const dead = app.deadLetters.list();
    expect(dead.map((d) => d.alert.uuid).sort()).toEqual(['p-0', 'p-10', 'p-15', 'p-5']);
    expect(dead[0]?.detail).toMatch(/^HTTP 400 mapper_parsing_exception: failed to parse field \[output_fields\.x\] of type \[long\]/);
    // The same alerts again (a replay): the indexed ones come back 409 = delivered as duplicates.
    await app.post(`[${batch.filter((_, i) => i % 5 !== 0).join(',')}]`);
    await deliveredAll(app, 36);
    expect(await count(cluster, index)).toBe(16);
    expect(app.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 32, deadLettered: 4 });
  });

  it('sends gzip bodies with enablecompression', async () => {
    const index = unique('os-gzip');
    app = await startApp(`elasticsearch:\n  hostport: ${os.url}\n  index: ${index}\n  enablecompression: true\n`, { extraPlugins: [plugin] });
    await postRange(app, 'g', 0, 50, 50);
    await deliveredAll(app, 50);
    expect(await count(cluster, `${index}-*`)).toBe(50);
    expectSameAlert(await rawSource(cluster, `${index}-2026.11.20`, 'g-9'), alertJson('g', 9));
  });

  it('installs the index template on OpenSearch too', async () => {
    const index = unique('os-template');
    app = await startApp(`elasticsearch:\n  hostport: ${os.url}\n  index: ${index}\n  createindextemplate: true\n  numberofshards: 1\n  numberofreplicas: 0\n`, { extraPlugins: [plugin] });
    await postRange(app, 'ot', 0, 10, 10);
    await deliveredAll(app, 10);
    expect((await call(cluster, 'GET', `/_index_template/${index}`)).status).toBe(200);
    expectSameAlert(await rawSource(cluster, `${index}-2026.11.20`, 'ot-4'), alertJson('ot', 4), true);
  });
});
