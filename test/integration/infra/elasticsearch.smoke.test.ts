// Smoke test of test/infra/elasticsearch: the real node (security ON) indexes, refreshes and
// searches with the official @elastic/elasticsearch client using basic auth and the API key, and
// rejects a wrong password / API key with 401.
// Every test uses its own unique index name, so the shared node needs no reset between test files.
import { randomUUID } from 'node:crypto';
import { Client, errors } from '@elastic/elasticsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraSkipped, useInfra } from '../../infra/state.ts';
import { elasticsearchClientOptions, type ElasticsearchInfra } from '../../infra/elasticsearch/state.ts';

const alert = (rule: string) => ({
  '@timestamp': '2026-11-20T10:21:36.167Z',
  hostname: 'node-1',
  priority: 'Notice',
  rule,
  source: 'syscall',
  tags: ['container', 'shell'],
  output_fields: { 'container.id': '1f0a2e5c8d3b', 'proc.cmdline': 'sh -c id' },
});

describe.skipIf(infraSkipped('elasticsearch'))('test infra: elasticsearch', () => {
  let es: ElasticsearchInfra;
  const clients: Client[] = [];
  const client = (opts: ConstructorParameters<typeof Client>[0]) => {
    const c = new Client({ ...opts, maxRetries: 0, requestTimeout: 30_000 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    es = await useInfra<ElasticsearchInfra>('elasticsearch');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  it('runs with security on and answers GET /', async () => {
    expect(es.security).toBe(true);
    expect(es.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await client(elasticsearchClientOptions(es)).info();
    expect(info.version.number).toBe(es.version);
    expect(es.version).toMatch(/^8\./);
  });

  it('indexes, refreshes and searches with basic auth', async () => {
    const c = client(elasticsearchClientOptions(es, 'basic'));
    const index = `peregrine-smoke-basic-${randomUUID()}`;
    await c.index({ index, id: 'a1', document: alert('Terminal shell in container') });
    await c.indices.refresh({ index });
    const res = await c.search({ index, query: { match: { rule: 'shell' } } });
    expect(res.hits.hits.map((h) => h._id)).toEqual(['a1']);
    expect(res.hits.hits[0]?._source).toMatchObject({ hostname: 'node-1', priority: 'Notice' });
  });

  it('bulk-indexes and searches with the API key', async () => {
    expect(es.apiKey).toBeTruthy();
    const c = client(elasticsearchClientOptions(es, 'apiKey'));
    const index = `peregrine-smoke-apikey-${randomUUID()}`;
    const bulk = await c.bulk({
      operations: [
        { create: { _index: index, _id: 'k1' } }, alert('Read sensitive file untrusted'),
        { create: { _index: index, _id: 'k2' } }, alert('Terminal shell in container'),
        { create: { _index: index, _id: 'k1' } }, alert('duplicate id'),
      ],
    });
    // 200 with per-item results in request order; `create` of an existing _id is a 409 item.
    expect(bulk.errors).toBe(true);
    expect(bulk.items.map((i) => i.create?.status)).toEqual([201, 201, 409]);
    await c.indices.refresh({ index });
    const res = await c.search({ index, query: { match_all: {} } });
    expect(res.hits.hits.map((h) => h._id).sort()).toEqual(['k1', 'k2']);
    const who = await c.security.authenticate();
    expect(who.authentication_type).toBe('api_key');
  });

  it('rejects a wrong password and a wrong API key with 401', async () => {
    const wrongPassword = client({ node: es.url, auth: { username: es.username, password: `${es.password}-wrong` } });
    const err = await wrongPassword.search({ index: 'peregrine-smoke-*' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.ResponseError);
    expect((err as errors.ResponseError).statusCode).toBe(401);

    const bogusKey = Buffer.from('nope:nope').toString('base64');
    const err2 = await client({ node: es.url, auth: { apiKey: bogusKey } }).search({ index: 'peregrine-smoke-*' }).catch((e: unknown) => e);
    expect((err2 as errors.ResponseError).statusCode).toBe(401);

    const anonymous = await fetch(`${es.url}/_cluster/health`);
    await anonymous.arrayBuffer();
    expect(anonymous.status).toBe(401);
  });
});
