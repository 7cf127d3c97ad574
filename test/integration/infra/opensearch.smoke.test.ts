// Smoke test of test/infra/opensearch: the real node takes `_bulk` NDJSON over plain HTTP (undici),
// `_refresh` and `_search` work, per-item bulk failures come back in a 200, and
// test/infra/elasticsearch/control.ts can stop the node and start it again on the same port with
// its data.
// Every test uses its own unique index name, so the shared node needs no reset between test files.
// (The restart test briefly takes the shared node down: other files using OpenSearch concurrently
// would see ~10 s of refused connections.)
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import type { OpenSearchInfra } from '../../infra/opensearch/state.ts';
import { startNode, stopNode } from '../../infra/elasticsearch/control.ts';

type BulkResponse = { errors: boolean; items: Array<Record<string, { status: number; error?: { type: string } }>> };
type SearchResponse = { hits: { total: { value: number }; hits: Array<{ _id: string; _source: Record<string, unknown> }> } };

describe.skipIf(infraSkipped('opensearch'))('test infra: opensearch', () => {
  let os: OpenSearchInfra;

  async function call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: string, contentType = 'application/json') {
    const res = await request(`${os.url}${path}`, {
      method,
      body,
      headers: body === undefined ? {} : { 'content-type': contentType },
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    return { status: res.statusCode, body: (await res.body.json()) as T };
  }
  const ndjson = (lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const bulk = (lines: unknown[]) => call<BulkResponse>('POST', '/_bulk', ndjson(lines), 'application/x-ndjson');

  beforeAll(async () => {
    os = await useInfra<OpenSearchInfra>('opensearch');
  });

  it('answers GET / with an OpenSearch version', async () => {
    expect(os.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const root = await call<{ version: { number: string; distribution?: string } }>('GET', '/');
    expect(root.status).toBe(200);
    expect(root.body.version.number).toBe(os.version);
    expect(root.body.version.distribution).toBe('opensearch');
  });

  it('indexes with _bulk, refreshes and searches', async () => {
    const index = `peregrine-smoke-${randomUUID()}`;
    const res = await bulk([
      { create: { _index: index, _id: 'a1' } }, { '@timestamp': '2026-11-20T10:21:36.167Z', rule: 'Terminal shell in container', priority: 'Notice' },
      { create: { _index: index, _id: 'a2' } }, { '@timestamp': '2026-11-20T10:21:37.000Z', rule: 'Read sensitive file untrusted', priority: 'Warning' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(false);
    expect((await call('POST', `/${index}/_refresh`)).status).toBe(200);
    const found = await call<SearchResponse>('POST', `/${index}/_search`, JSON.stringify({ query: { match: { rule: 'shell' } } }));
    expect(found.status).toBe(200);
    expect(found.body.hits.hits.map((h) => h._id)).toEqual(['a1']);
  });

  it('reports per-item failures in a 200 bulk response', async () => {
    const index = `peregrine-smoke-${randomUUID()}`;
    const res = await bulk([
      { create: { _index: index, _id: 'n1' } }, { n: 1 },
      { create: { _index: index, _id: 'n1' } }, { n: 2 },
      { create: { _index: index, _id: 'n2' } }, { n: 'not a number' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBe(true);
    expect(res.body.items.map((i) => i.create?.status)).toEqual([201, 409, 400]);
    expect(res.body.items[2]?.create?.error?.type).toBe('mapper_parsing_exception');
  });

  it('can be stopped and started again on the same port with its data (control.ts)', async () => {
    const index = `peregrine-smoke-restart-${randomUUID()}`;
    expect((await bulk([{ index: { _index: index, _id: 'r1' } }, { rule: 'kept across restart' }])).body.errors).toBe(false);
    await stopNode('opensearch');
    await expect(request(`${os.url}/`)).rejects.toThrow(/ECONNREFUSED/);
    await startNode('opensearch');
    await call('POST', `/${index}/_refresh`);
    const found = await call<SearchResponse>('GET', `/${index}/_search`);
    expect(found.body.hits.hits.map((h) => h._id)).toEqual(['r1']);
  });
});
