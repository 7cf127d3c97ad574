// The kafkarest output inside the real app against a REST Proxy stand-in (test/support/
// kafkarest-receiver.ts): records batched, every request valid by the v2 produce API, the answer
// judged record by record (error_code 2 retried, 1 dead-lettered), and the proxy's error codes
// classified.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { falcosidekickBody } from '../../test/support/json-post.ts';
import { startKafkaRestProxy, type KafkaRestProxy } from '../../test/support/kafkarest-receiver.ts';
import { saasFaultMatrix } from '../../test/support/saas-faults.ts';

let app: RunningApp | undefined;
let proxy: KafkaRestProxy | undefined;
let clock = new FakeClock();
let settle: ReturnType<typeof settler>;
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await proxy?.receiver.stop();
  app = proxy = undefined;
});

async function run(topic = 'falco', extra = ''): Promise<{ app: RunningApp; proxy: KafkaRestProxy }> {
  clock = new FakeClock();
  proxy = await startKafkaRestProxy(['falco'], () => clock.now());
  app = await startApp(`kafkarest:\n  address: ${proxy.receiver.url(`/topics/${topic}`)}\n  timeoutms: 10000\n${extra}  retry:\n    initialbackoffms: 20\n    maxbackoffms: 500\n`, { healthIntervalMs: 100, clock });
  settle = settler(clock, app);
  return { app, proxy };
}

const delivered = (a: RunningApp) => metricValue(a, 'peregrine_delivered_total', { output: 'kafkarest' });

describe('kafkarest: REST Proxy v2 answers', () => {
  it('200: the alerts of a flush as the records of one request, each value the alert JSON', async () => {
    const { app: a, proxy: p } = await run();
    for (let i = 0; i < 3; i++) await a.post(falcoAlertJson(i));
    await settle(async () => (await delivered(a)) === 3, '3 delivered');
    expect(p.receiver.invalid).toEqual([]);
    expect(p.receiver.accepted).toHaveLength(1);
    expect(p.receiver.accepted[0]?.headers['content-type']).toBe('application/vnd.kafka.binary.v2+json');
    expect(p.produced.get('falco')).toEqual([falcosidekickBody(0), falcosidekickBody(1), falcosidekickBody(2)]);
  });

  it('version 1: the v1 Content-Type', async () => {
    const { app: a, proxy: p } = await run('falco', '  version: 1\n');
    await a.post(falcoAlertJson(1));
    await settle(async () => (await delivered(a)) === 1, 'delivered');
    expect(p.receiver.accepted[0]?.headers['content-type']).toBe('application/vnd.kafka.binary.v1+json');
  });

  it('per-record errors: error_code 50003 retried until produced, 50002 dead-lettered, the others delivered once', async () => {
    const { app: a, proxy: p } = await run();
    let retriable = 1;
    p.recordError = (value) => {
      if (value.includes('"alert-1"') && retriable-- > 0) return { code: 50003, error: 'NOT_ENOUGH_REPLICAS' };
      if (value.includes('"alert-2"')) return { code: 50002, error: 'RECORD_TOO_LARGE' };
      return undefined;
    };
    for (let i = 0; i < 3; i++) await a.post(falcoAlertJson(i));
    await settle(async () => (await delivered(a)) === 2 && a.deadLetters.size() === 1, '2 delivered, 1 dead-lettered');
    expect(p.produced.get('falco')?.map((v) => JSON.parse(v).uuid as string).sort()).toEqual(['alert-0', 'alert-1']);
    expect(a.deadLetters.list()[0]).toMatchObject({ output: 'kafkarest', reason: 'rejected', detail: 'record not produced: error_code 50002: RECORD_TOO_LARGE' });
  });

  it('40401 topic not found: dead-lettered with a hint, not retried', async () => {
    const { app: a, proxy: p } = await run('nosuchtopic');
    await a.post(falcoAlertJson(1));
    await settle(() => a.deadLetters.size() === 1, '1 dead-lettered');
    expect(p.receiver.requests).toHaveLength(1);
    expect(a.deadLetters.list()[0]?.detail).toBe('HTTP 404: error_code 40401: Topic not found. (create the topic, or check the topic in kafkarest.address)');
  });
});

// One record per request here: the matrix counts requests per alert.
saasFaultMatrix({
  output: 'kafkarest',
  start: async () => {
    const { app: a, proxy: p } = await run('falco', '  batch:\n    maxevents: 1\n');
    app = proxy = undefined; // the matrix stops them
    return { app: a, receiver: p.receiver, clock };
  },
  goneHint: '(no REST Proxy topic here: kafkarest.address is http(s)://<proxy>/topics/<topic>)',
});
