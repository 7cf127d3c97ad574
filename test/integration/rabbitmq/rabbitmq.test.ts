// rabbitmq against a real RabbitMQ (Debian's 3.10, one node): alerts published as falcosidekick
// publishes them (default exchange, the queue's name as routing key, text/plain, the alert JSON),
// each counted delivered only on the broker's confirm; a missing queue (the message returned as
// unroutable) and a refused login hold the alerts instead of losing them; a connection the broker
// closes is opened again by the next batch.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../support/alerts.ts';
import { metricValue, startApp, type RunningApp } from '../../support/app.ts';
import { falcosidekickBody, FAST_RETRY, settled } from '../../support/json-post.ts';
import { waitFor } from '../../support/receiver.ts';
import type { RabbitmqInfra } from '../../infra/rabbitmq/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

describe.skipIf(infraSkipped('rabbitmq'))('rabbitmq against RabbitMQ', () => {
  let rabbit: RabbitmqInfra;
  let model: ChannelModel;
  let channel: Channel;
  const apps: RunningApp[] = [];

  async function open(): Promise<void> {
    model = await connect(rabbit.url);
    channel = await model.createChannel();
  }
  beforeAll(async () => {
    rabbit = await useInfra<RabbitmqInfra>('rabbitmq');
    await open();
  });
  afterAll(async () => {
    await model?.close().catch(() => undefined);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function start(queue: string, url = rabbit.url, extra = ''): Promise<RunningApp> {
    const app = await startApp(`rabbitmq:\n  url: ${url}\n  queue: ${queue}\n${FAST_RETRY}${extra}`);
    apps.push(app);
    return app;
  }
  async function post(app: RunningApp, from: number, count: number): Promise<void> {
    for (let i = from; i < from + count; i++) expect((await app.post(falcoAlertJson(i))).status).toBe(200);
  }
  /** Every message in the queue now, in order. */
  async function drain(queue: string): Promise<GetMessage[]> {
    const got: GetMessage[] = [];
    for (let m = await channel.get(queue, { noAck: true }); m !== false; m = await channel.get(queue, { noAck: true })) got.push(m);
    return got;
  }
  const health = (app: RunningApp) => app.workers.find((w) => w.name === 'rabbitmq')?.healthSnapshot();
  const queueName = () => `falco-${randomUUID()}`;

  it("publishes falcosidekick's message for each alert, confirmed by the broker, persistent, its uuid as message id", async () => {
    const queue = queueName();
    await channel.assertQueue(queue, { durable: true });
    const app = await start(queue);
    await post(app, 0, 5);
    await settled(app, 'rabbitmq', 5);
    const got = await drain(queue);
    expect(got.map((m) => m.content.toString())).toEqual([0, 1, 2, 3, 4].map(falcosidekickBody));
    for (const [i, m] of got.entries()) {
      expect(m.fields).toMatchObject({ exchange: '', routingKey: queue });
      expect(m.properties).toMatchObject({ contentType: 'text/plain', deliveryMode: 2, messageId: `alert-${i}` });
    }
    expect(health(app)).toMatchObject({ delivered: 5, deadLettered: 0, state: 'ok' });
  });

  it('holds the alerts while the queue does not exist (returned as unroutable), and delivers them once it is declared', async () => {
    const queue = queueName();
    const app = await start(queue);
    await post(app, 0, 2);
    await waitFor(async () => (await metricValue(app, 'peregrine_retries_total', { output: 'rabbitmq', reason: 'auth' })) > 0, 10_000, 'a held retry');
    expect(health(app)?.state).toBe('failing');
    expect(health(app)?.lastError).toContain(`no queue "${queue}"`);
    expect(app.deadLetters.size()).toBe(0);
    await channel.assertQueue(queue, { durable: false, autoDelete: false });
    await settled(app, 'rabbitmq', 2);
    expect(await metricValue(app, 'peregrine_delivered_total', { output: 'rabbitmq' })).toBe(2);
    expect((await drain(queue)).map((m) => m.content.toString())).toEqual([0, 1].map(falcosidekickBody));
    await channel.deleteQueue(queue);
  });

  it("a wrong password is RabbitMQ's ACCESS_REFUSED: held as refused credentials, dead-lettered when retry.maxagems runs out, the password in no reason", async () => {
    const queue = queueName();
    await channel.assertQueue(queue, { durable: false });
    const app = await start(queue, rabbit.url.replace('guest:guest', 'guest:Wr0ngPassw0rd'), '    maxagems: 1500\n');
    await post(app, 0, 1);
    await settled(app, 'rabbitmq', 1);
    const dead = app.deadLetters.list({ output: 'rabbitmq' });
    expect(dead.map((d) => d.reason)).toEqual(['retry_budget']);
    expect(dead[0]?.detail).toContain('ACCESS_REFUSED');
    expect(dead[0]?.detail).not.toContain('Wr0ngPassw0rd');
    expect(await metricValue(app, 'peregrine_retries_total', { output: 'rabbitmq', reason: 'auth' })).toBeGreaterThan(0);
    expect(await drain(queue)).toHaveLength(0);
    await channel.deleteQueue(queue);
  });

  it('a connection the broker closes is opened again by the next batch; nothing is lost', async () => {
    const queue = queueName();
    await channel.assertQueue(queue, { durable: true });
    const app = await start(queue);
    await post(app, 0, 2);
    await settled(app, 'rabbitmq', 2);
    // Every connection to the node, the test's own included, as an operator or a failover would.
    await promisify(execFile)(rabbit.ctl.command, ['close_all_connections', 'peregrine test'], { env: { ...process.env, ...rabbit.ctl.env } });
    await post(app, 2, 3);
    await settled(app, 'rabbitmq', 5);
    await open();
    expect((await drain(queue)).map((m) => m.content.toString())).toEqual([0, 1, 2, 3, 4].map(falcosidekickBody));
    expect(app.deadLetters.size()).toBe(0);
    await channel.deleteQueue(queue);
  });
});
