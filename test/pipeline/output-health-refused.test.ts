// A destination that refuses every alert (HTTP 404 / 400: permanent) dead-letters them all: /healthz
// says the output is failing with the refusal as its last error, peregrine_output_up is 0, and the
// log gets a line per 10 s, not one per alert. One bad alert among delivered ones leaves it ok.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../support/app.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('an output whose destination refuses every alert', () => {
  it('is not reported ok by /healthz and peregrine_output_up', async () => {
    const receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'status', status: 404, body: 'no such path' }));
    cleanup.push(() => receiver.stop());
    const app: RunningApp = await startApp(`webhook:\n  address: ${receiver.url('/wrong-path')}\n`);
    cleanup.push(() => app.close());
    for (let i = 0; i < 20; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
    await waitFor(async () => (await metricValue(app, 'peregrine_dead_lettered_total')) === 20, 15_000, '20 dead letters');

    const health = (await app.server.inject({ url: '/healthz' })).json() as { status: string; outputs: { webhook: { state: string; deadLettered: number; delivered: number } } };
    expect(health.outputs.webhook).toMatchObject({ deadLettered: 20, delivered: 0 });
    // Every alert since start was refused and nothing was delivered: the output is not "ok".
    expect(health.outputs.webhook.state).toBe('failing');
    expect(health.status).not.toBe('ok');
    expect(await metricValue(app, 'peregrine_output_up', { output: 'webhook' })).toBe(0);
  });

  it('stays ok when one alert is refused among delivered ones, and is ok again once a delivery follows refusals', async () => {
    const receiver = await new Receiver().start();
    let refuseAll = false;
    receiver.setBehaviour((req) => (refuseAll || req.body.includes('"bad-one"') ? { kind: 'status', status: 400, body: 'mapping error' } : { kind: 'ok' }));
    cleanup.push(() => receiver.stop());
    const app: RunningApp = await startApp(`webhook:\n  address: ${receiver.url()}\n`);
    cleanup.push(() => app.close());
    const state = async () => ((await app.server.inject({ url: '/healthz' })).json() as { outputs: { webhook: { state: string; lastError?: string } } }).outputs.webhook;
    for (let i = 0; i < 5; i++) expect((await app.post(falcoAlertJson(i).replace(/"rule":"[^"]*"/, i === 2 ? '"rule":"bad-one"' : '$&'))).status).toBe(200);
    await waitFor(async () => (await metricValue(app, 'peregrine_delivered_total')) === 4, 15_000, '4 delivered');
    expect(await metricValue(app, 'peregrine_dead_lettered_total')).toBe(1);
    expect(await state()).toMatchObject({ state: 'ok' });
    refuseAll = true;
    for (let i = 10; i < 13; i++) await app.post(falcoAlertJson(i));
    await waitFor(async () => (await metricValue(app, 'peregrine_dead_lettered_total')) === 4, 15_000, '4 dead letters');
    expect(await state()).toMatchObject({ state: 'failing', lastError: expect.stringContaining('400') });
    refuseAll = false;
    await app.post(falcoAlertJson(20));
    await waitFor(async () => (await metricValue(app, 'peregrine_delivered_total')) === 5, 15_000, '5 delivered');
    expect(await state()).toMatchObject({ state: 'ok' });
  });

  it('does not write one log line per refused alert at info level', async () => {
    const receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'status', status: 400, body: 'mapping error' }));
    cleanup.push(() => receiver.stop());
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const app: RunningApp = await startApp(`webhook:\n  address: ${receiver.url()}\n`, { logger: pino({ level: 'info' }, sink) });
    cleanup.push(() => app.close());
    const n = 200;
    for (let i = 0; i < n; i++) await app.post(falcoAlertJson(i));
    await waitFor(async () => (await metricValue(app, 'peregrine_dead_lettered_total')) === n, 15_000, `${n} dead letters`);
    const perAlert = lines.filter((l) => l.includes('alert dead-lettered'));
    // docs/metrics.md "Logs": at info, state changes only, never one line per alert.
    expect(perAlert.length).toBeLessThan(n / 10);
  });
});
