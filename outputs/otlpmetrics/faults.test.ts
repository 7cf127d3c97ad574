// The otlpmetrics output inside the real app: a request the receiver finds too large is not sent
// again in halves (every request carries the whole counter, so a half is as large): one request,
// and the batch dead-lettered.
import { afterEach, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../test/support/app.ts';
import { closeOnClock, FakeClock, settler } from '../../test/support/fake-clock.ts';
import { Receiver } from '../../test/support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
const clock = new FakeClock();
afterEach(async () => {
  if (app) await closeOnClock(app, clock);
  await receiver?.stop();
  app = receiver = undefined;
});

it('413: the batch of 64 alerts is dead-lettered after one request, not halved down to single alerts', async () => {
  receiver = await new Receiver().start();
  let requests = 0;
  receiver.setBehaviour(() => {
    requests++;
    return { kind: 'status', status: 413, body: '{"code":8,"message":"too large"}' };
  });
  const a = (app = await startApp(`otlp:\n  metrics:\n    endpoint: http://127.0.0.1:${receiver.port}\n    protocol: http/json\n    batch:\n      flushms: 1000\n`, { clock }));
  for (let i = 0; i < 64; i++) await a.post(falcoAlertJson(i));
  await settler(clock, a)(async () => (await metricValue(a, 'peregrine_dead_lettered_total', { output: 'otlpmetrics' })) === 64, 'all 64 dead-lettered', 50, 30_000);
  expect(requests).toBe(1);
});
