// The quickwit output through the real app against a stand-in answering as Quickwit's REST API docs
// describe (test/support/quickwit-receiver.ts): autocreateindex creating falcosidekick's index, then
// each alert ingested; a missing index holding the alerts until it exists; 429 retried.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { FAST_RETRY, falcosidekickBody, settled } from '../support/json-post.ts';
import { startQuickwit, type QuickwitStandIn } from '../support/quickwit-receiver.ts';
import { waitFor } from '../support/receiver.ts';

let app: RunningApp | undefined;
let qw: QuickwitStandIn | undefined;
afterEach(async () => {
  await app?.close();
  await qw?.receiver.stop();
  app = qw = undefined;
});

async function post(a: RunningApp, count: number): Promise<void> {
  for (let i = 0; i < count; i++) expect((await a.post(falcoAlertJson(i))).status).toBe(200);
}

describe('quickwit pipeline', () => {
  it("autocreateindex: the index created with falcosidekick's mapping, then each alert ingested as one NDJSON line", async () => {
    qw = await startQuickwit();
    app = await startApp(`quickwit:\n  hostport: ${qw.receiver.url('')}\n  apiendpoint: /api/v1\n  autocreateindex: true\n  customheaders:\n    X-Tenant: sec\n${FAST_RETRY}`);
    await post(app, 3);
    await settled(app, 'quickwit', 3);
    expect(qw.requests.slice(0, 2)).toEqual(['GET /api/v1/indexes/falco/describe', 'POST /api/v1/indexes']);
    expect(qw.requests.slice(2)).toEqual(Array.from({ length: 3 }, () => 'POST /api/v1/falco/ingest'));
    expect(qw.indexes.get('falco')).toMatchObject({ index_id: 'falco', version: '0.7', doc_mapping: { mode: 'dynamic', timestamp_field: 'time' } });
    const ingests = qw.receiver.received.filter((r) => r.url.endsWith('/ingest'));
    expect(ingests.map((r) => r.body).sort()).toEqual([0, 1, 2].map((i) => `${falcosidekickBody(i)}\n`).sort());
    expect(ingests.map((r) => [r.headers['content-type'], r.headers['x-tenant']])).toEqual(Array.from({ length: 3 }, () => ['application/json; charset=utf-8', 'sec']));
    expect(qw.docs.get('falco')).toHaveLength(3);
    expect(await metricValue(app, 'peregrine_delivered_total', { output: 'quickwit' })).toBe(3);
  });

  it('an existing index is not created again', async () => {
    qw = await startQuickwit(['falco']);
    app = await startApp(`quickwit:\n  hostport: ${qw.receiver.url('')}\n  autocreateindex: true\n${FAST_RETRY}`);
    await post(app, 1);
    await settled(app, 'quickwit', 1);
    expect(qw.requests).toEqual(['GET /api/v1/indexes/falco/describe', 'POST /api/v1/falco/ingest']);
  });

  it('no index and no autocreateindex: the alerts are held (failing) until the index exists, then delivered', async () => {
    qw = await startQuickwit();
    app = await startApp(`quickwit:\n  hostport: ${qw.receiver.url('')}\n${FAST_RETRY}`);
    await post(app, 2);
    const worker = app.workers.find((w) => w.name === 'quickwit');
    await waitFor(() => (worker?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 10_000, 'refused ingests');
    expect(worker?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, lastError: expect.stringMatching(/index `falco` not found.*autocreateindex/) });
    qw.indexes.set('falco', { index_id: 'falco' });
    await settled(app, 'quickwit', 2);
    expect(qw.docs.get('falco')?.map((d) => d.uuid).sort()).toEqual(['alert-0', 'alert-1']);
    expect(await metricValue(app, 'peregrine_dead_lettered_total', { output: 'quickwit' })).toBe(0);
  });

  it('429 while rate-limited: retried, then ingested once', async () => {
    qw = await startQuickwit(['falco']);
    qw.throttle = 2;
    app = await startApp(`quickwit:\n  hostport: ${qw.receiver.url('')}\n${FAST_RETRY}`);
    await post(app, 1);
    await settled(app, 'quickwit', 1);
    expect(qw.requests).toEqual(Array.from({ length: 3 }, () => 'POST /api/v1/falco/ingest'));
    expect(qw.docs.get('falco')?.map((d) => d.uuid)).toEqual(['alert-0']);
  });
});
