// Fault injection with an in-process receiver posing as the cluster, through the real app and
// both transports (official client and plain HTTP): per-item _bulk outcomes, whole-request
// 429/503, a hung server. The real servers are in test/integration/elasticsearch. Real sockets, fake
// clock: backoff, flushms and timeoutms run on a FakeClock the tests advance.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { Receiver, type Behaviour, type Received } from '../../test/support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
let clock = new FakeClock();
/** Waits for `done`, moving the clock while no request is in flight. */
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await receiver?.stop();
  app = receiver = undefined;
});

const ES_HEADERS = { 'x-elastic-product': 'Elasticsearch' };
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Behaviour => ({
  kind: 'status',
  status,
  headers: { ...ES_HEADERS, ...headers },
  body: JSON.stringify(body),
});

/** The _ids of a _bulk body, in order. */
const ids = (req: Received) =>
  req.body
    .split('\n')
    .filter((_, i) => i % 2 === 0)
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { create: { _id: string } }).create._id);

/** Answers GETs like a healthy cluster and _bulk with `bulk`. */
function cluster(bulk: (req: Received, attempt: number) => Behaviour) {
  return (req: Received, attempt: number): Behaviour => {
    if (req.method === 'GET') return json(200, { username: 'elastic', authentication_type: 'realm', version: { number: '8.19.0' } });
    return bulk(req, attempt);
  };
}

const itemsFor = (req: Received, status: (id: string) => number) => {
  const items = ids(req).map((id) => {
    const s = status(id);
    return { create: { status: s, _id: id, ...(s >= 300 ? { error: { type: s === 400 ? 'document_parsing_exception' : 'rejected', reason: `injected ${s} for ${id}` } } : {}) } };
  });
  return json(200, { errors: items.some((i) => i.create.status >= 300), items });
};

/** Every request the receiver saw (it records only its own `ok` answers). */
let requests: Received[] = [];

async function setup(flavor: string, behaviour: (req: Received, attempt: number) => Behaviour, extra = '', auth = '  username: elastic\n  password: s3cret\n') {
  receiver = await new Receiver().start();
  requests = [];
  clock = new FakeClock();
  receiver.setBehaviour((req, attempt) => {
    requests.push(req);
    return behaviour(req, attempt);
  });
  // timeoutms on the fake clock (the HTTP pool's real timeouts of the same 20 s, longer than a wait here, never come into play).
  app = await startApp(
    `elasticsearch:\n  hostport: ${receiver.url('')}\n  flavor: ${flavor}\n${auth}  timeoutms: 20000\n` +
      `  retry:\n    initialbackoffms: 20\n    maxbackoffms: 100\n  batch:\n    flushms: 30\n${extra}`,
    { healthIntervalMs: 0, clock },
  );
  settle = settler(clock, app);
  return { receiver, app };
}

const bulks = () => requests.filter((q) => q.url.startsWith('/_bulk'));

describe.each(['elasticsearch', 'opensearch'])('elasticsearch output faults (flavor %s)', (flavor) => {
  it('gives every _bulk item its own outcome: 201 delivered, 409 duplicate, 429 retried alone, 400 dead-lettered', async () => {
    const seen = new Map<string, number>();
    const { app: a } = await setup(
      flavor,
      cluster((req) =>
        itemsFor(req, (id) => {
          const n = (seen.get(id) ?? 0) + 1;
          seen.set(id, n);
          return { 'alert-0': 201, 'alert-1': 409, 'alert-2': n === 1 ? 429 : 201, 'alert-3': 400 }[id] ?? 201;
        }),
      ),
    );
    expect((await a.post(`[${[0, 1, 2, 3].map((i) => falcoAlertJson(i)).join(',')}]`)).status).toBe(200);
    await settle(() => a.workers[0]?.healthSnapshot().delivered === 3, '3 delivered');
    await a.workers[0]?.idle();

    const sent = bulks().map(ids);
    expect(sent).toEqual([['alert-0', 'alert-1', 'alert-2', 'alert-3'], ['alert-2']]);
    const dead = a.deadLetters.list();
    expect(dead.map((d) => [d.alert.uuid, d.reason, d.detail])).toEqual([['alert-3', 'rejected', 'HTTP 400 document_parsing_exception: injected 400 for alert-3']]);
    expect(a.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 3, deadLettered: 1, queued: 0 });

    const req = bulks()[0] as Received;
    expect(decodeURIComponent(req.url)).toBe('/_bulk?filter_path=errors,items.*.status,items.*.error');
    expect(req.headers['content-type']).toMatch(/ndjson/);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('elastic:s3cret').toString('base64')}`);
    expect(req.body).toContain('"evt.time":1700000000167531875');
  });

  it('retries a whole-request 429 and 503, then delivers once', async () => {
    const { app: a } = await setup(
      flavor,
      cluster((req) => (failures.length > 0 ? (failures.shift() as Behaviour) : itemsFor(req, () => 201))),
    );
    const failures: Behaviour[] = [json(429, { error: { type: 'es_rejected_execution_exception', reason: 'queue full' } }, { 'retry-after': '0' }), json(503, { error: 'unavailable' })];
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers[0]?.healthSnapshot().delivered === 1, 'delivered');
    expect(failures).toHaveLength(0);
    expect(bulks().map(ids)).toEqual([['alert-1'], ['alert-1'], ['alert-1']]);
    expect(a.deadLetters.list()).toEqual([]);
  });

  it('429 with Retry-After as an HTTP date: the wait is measured on the app\'s clock', async () => {
    const bulkAt: number[] = [];
    const { app: a } = await setup(
      flavor,
      cluster((req) => {
        bulkAt.push(clock.now());
        // Two seconds ahead of the fake clock (HTTP dates have whole seconds); maxbackoffms (100) bounds the wait.
        if (bulkAt.length === 1) return json(429, { error: { type: 'es_rejected_execution_exception', reason: 'queue full' } }, { 'retry-after': new Date(clock.now() + 2000).toUTCString() });
        return itemsFor(req, () => 201);
      }),
    );
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers[0]?.healthSnapshot().delivered === 1, 'delivered');
    expect(bulkAt).toHaveLength(2);
    expect((bulkAt[1] ?? 0) - (bulkAt[0] ?? 0)).toBeGreaterThanOrEqual(100);
  });

  it('times out on a hung server and retries', async () => {
    let hung = 0;
    const { app: a } = await setup(
      flavor,
      cluster((req) => {
        if (hung < 1) {
          hung++;
          return { kind: 'hang' };
        }
        return itemsFor(req, () => 201);
      }),
    );
    await a.post(falcoAlertJson(5));
    // The request hangs: once the receiver has it, its deadline (timeoutms 20000) passes.
    await settle(() => bulks().length === 1, 'the hanging request (after flushms)');
    await clock.advance(20_000);
    await settle(() => a.workers[0]?.healthSnapshot().delivered === 1, 'delivered after the timeout');
    expect(hung).toBe(1);
    expect(bulks().map(ids)).toEqual([['alert-5'], ['alert-5']]);
    expect(a.deadLetters.list()).toEqual([]);
  });

  it('sends the API key, custom headers, the pipeline and gzip bodies when asked', async () => {
    const { app: a } = await setup(
      flavor,
      cluster((req) => itemsFor({ ...req, body: '{"create":{"_id":"alert-1"}}\n{}\n' }, () => 201)),
      '  pipeline: falco-enrich\n  enablecompression: true\n  customheaders:\n    X-Tenant: blue\n',
      '  apikey: a2V5OnNlY3JldA==\n',
    );
    await a.post(falcoAlertJson(1));
    await settle(() => a.workers[0]?.healthSnapshot().delivered === 1, 'delivered');
    const req = bulks()[0] as Received;
    expect(decodeURIComponent(req.url)).toBe('/_bulk?filter_path=errors,items.*.status,items.*.error&pipeline=falco-enrich');
    expect(req.headers).toMatchObject({ authorization: 'ApiKey a2V5OnNlY3JldA==', 'x-tenant': 'blue', 'content-encoding': 'gzip' });
  });

  it('keeps alerts queued on 401 and says what to fix', async () => {
    const { app: a } = await setup(flavor, () => json(401, { error: { type: 'security_exception', reason: 'unable to authenticate user [elastic]' } }));
    await a.post(falcoAlertJson(9));
    await settle(() => a.workers[0]?.healthSnapshot().state === 'failing', 'failing');
    const health = a.workers[0]?.healthSnapshot();
    expect(health?.lastError).toMatch(/check elasticsearch\.username\/password or elasticsearch\.apikey/);
    expect(health?.lastError).not.toContain('s3cret');
    expect(health?.queued).toBe(1);
    expect(a.deadLetters.list()).toEqual([]);
  });
});

describe('elasticsearch output flavor', () => {
  it('auto picks plain HTTP for a server without x-elastic-product, the official client for Elasticsearch 8+', async () => {
    for (const [headers, version, expected] of [
      [{}, { number: '2.19.0', distribution: 'opensearch' }, 'application/x-ndjson'],
      [ES_HEADERS, { number: '7.17.0' }, 'application/x-ndjson'],
      [ES_HEADERS, { number: '8.19.0' }, 'application/vnd.elasticsearch+x-ndjson; compatible-with=8'],
    ] as const) {
      const { app: a } = await setup('auto', (req) =>
        req.method === 'GET' ? { kind: 'status', status: 200, headers: { ...headers }, body: JSON.stringify({ version, username: 'u' }) } : itemsFor(req, () => 201),
      );
      await a.post(falcoAlertJson(1));
      await settle(() => a.workers[0]?.healthSnapshot().delivered === 1, 'delivered');
      expect(bulks()[0]?.headers['content-type'], version.number).toBe(expected);
      await closeOnClock(a, clock);
      await receiver?.stop();
      app = receiver = undefined;
    }
  });

  it('says to change the flavor when flavor elasticsearch meets a server that is not Elasticsearch', async () => {
    const { app: a } = await setup('elasticsearch', (req) => ({ kind: 'status', status: 200, body: JSON.stringify({ errors: false, items: ids(req).map(() => ({ create: { status: 201 } })) }) }));
    await a.post(falcoAlertJson(1));
    await settle(() => (a.workers[0]?.healthSnapshot().consecutiveFailures ?? 0) > 0, 'a failure');
    expect(a.workers[0]?.healthSnapshot()).toMatchObject({ delivered: 0, queued: 1, lastError: expect.stringMatching(/set elasticsearch\.flavor to opensearch or auto/) });
  });
});
