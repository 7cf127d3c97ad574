// The kafka output through a broker crash: the broker is killed mid-stream (SIGKILL), stays down for
// 20 s and comes back on the same ports and data (test/infra/kafka/control.ts). Every alert must arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { infraSkipped } from '../../infra/state.ts';
import { freezeBroker, pauseBroker, resumeBroker, startDedicatedBroker, stopDedicatedBroker, thawBroker } from '../../infra/kafka/control.ts';
import { kafkaClientOptions, type KafkaInfra } from '../../infra/kafka/state.ts';
import kafkaOutput from '../../../outputs/kafka/index.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { checkRecords, createTopic, kafkaWorker, postAlerts, readTopic, uniqueTopic, waitDelivered, waitUntil } from './support.ts';

describe.skipIf(infraSkipped('kafka'))('kafka output through a broker outage', () => {
  let broker: KafkaInfra | undefined;
  let app: RunningApp | undefined;
  beforeAll(async () => {
    broker = await startDedicatedBroker(`outage${process.pid}`);
  });
  afterAll(async () => {
    await app?.stop();
    if (broker) await stopDedicatedBroker(broker);
  });

  it('loses nothing when the broker is down for 20 s mid-stream and restarts', async () => {
    const b = broker!;
    const plain = kafkaClientOptions(b, 'plaintext');
    const topic = uniqueTopic('outage');
    await createTopic(plain, topic);
    app = await startApp(
      `kafka:\n  hostport: "${b.bootstrap.saslPlaintext}"\n  topic: ${topic}\n  sasl: scram_sha256\n  username: ${b.username}\n  password: ${b.password}\n` +
        '  timeoutms: 3000\n  retry:\n    initialbackoffms: 200\n    maxbackoffms: 2000\n',
    );
    const worker = kafkaWorker(app);

    await postAlerts(app, 0, 4_000);
    await waitDelivered(app, 2_000);
    // Kill the broker while the stream is still flowing: more alerts arrive during the outage.
    const posting = postAlerts(app, 4_000, 2_000, 100);
    await pauseBroker(b);
    const downAt = Date.now();
    await posting;
    await postAlerts(app, 6_000, 2_000);
    await waitUntil('the output to notice the outage', () => worker.healthSnapshot().state !== 'ok', 20_000, () => worker.healthSnapshot());
    const during = worker.healthSnapshot();
    expect(during.queued + during.inflight).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - downAt))));
    const resumeCalledAt = Date.now();
    await resumeBroker(b);
    const upAt = Date.now();
    await postAlerts(app, 8_000, 2_000);
    await waitDelivered(app, 10_000, 90_000);
    const recoverySeconds = (Date.now() - upAt) / 1000;
    expect(worker.healthSnapshot()).toMatchObject({ state: 'ok', deadLettered: 0, dropped: 0, queued: 0 });

    const records = await readTopic(plain, topic);
    const { duplicates } = checkRecords(records, 0, 10_000, { allowDuplicates: true });
    // A duplicate can only come from a batch the broker wrote but whose acknowledgement was lost with
    // the connection (or abandoned at timeoutms): it is retried whole, with the same uuid keys.
    expect(duplicates).toBeLessThanOrEqual((kafkaOutput.batch?.maxevents ?? 0) * 3); // at most a few batches
    console.log(`kafka outage: 10000 alerts, broker killed for ${((resumeCalledAt - downAt) / 1000).toFixed(1)} s + ${((upAt - resumeCalledAt) / 1000).toFixed(1)} s restart, all delivered ${recoverySeconds.toFixed(1)} s after restart, ${records.length} records, ${duplicates} duplicates`);
  });

  it('a hung broker (SIGSTOP) cannot hold the worker past timeoutms; everything arrives after it wakes', async () => {
    await app?.stop();
    const b = broker!;
    const plain = kafkaClientOptions(b, 'plaintext');
    const topic = uniqueTopic('frozen');
    await createTopic(plain, topic);
    app = await startApp(`kafka:\n  hostport: "${b.bootstrap.plaintext}"\n  topic: ${topic}\n  timeoutms: 1000\n  retry:\n    initialbackoffms: 200\n    maxbackoffms: 1000\n`, {
    });
    const worker = kafkaWorker(app);
    await postAlerts(app, 0, 1_000);
    await waitDelivered(app, 1_000);
    freezeBroker(b);
    try {
      await postAlerts(app, 1_000, 1_000);
      // Sends hang; each is abandoned at timeoutms and counted as a retry instead of blocking the worker.
      await waitUntil('a timed-out send', () => (worker.healthSnapshot().lastError ?? '').includes('timed out'), 15_000, () => worker.healthSnapshot());
      expect(worker.healthSnapshot().state).not.toBe('ok');
    } finally {
      thawBroker(b);
    }
    await waitDelivered(app, 2_000, 60_000);
    const { duplicates } = checkRecords(await readTopic(plain, topic), 0, 2_000, { allowDuplicates: true });
    // Abandoned sends the broker answered after thawing were written too: duplicates with the same key.
    console.log(`kafka frozen broker: 2000 alerts, all delivered after thaw, ${duplicates} duplicates (abandoned sends that completed later)`);
  });
});
