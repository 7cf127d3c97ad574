// The mqtt output against a real Mosquitto (Debian), read back by a subscriber: the exact payloads,
// topic and retain flag at QoS 0, 1 and 2, in order; a retained alert seen by a subscriber that
// comes later; a wrong password (CONNACK "Bad username or password": failing); a topic the ACL
// denies: dropped without a word under MQTT 3.1.1 (delivered, as the broker acknowledges it), refused
// under MQTT 5 (retried as refused credentials); the broker stopped and started again: the alerts of
// the outage retried, then delivered, each once.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import type { MosquittoInfra } from '../../infra/mosquitto/state.ts';
import { infraSkipped, repoDir, stateDir, useInfra } from '../../infra/state.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';

const run = promisify(execFile);
const sent = (marker: string, i: number) => serializeAlert(toAlert(parseJson(runAlertJson(marker, i)) as AlertInput));

interface Got {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

describe.skipIf(infraSkipped('mosquitto'))('mqtt output against mosquitto', () => {
  let infra: MosquittoInfra;
  const readers: MqttClient[] = [];
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    infra = await useInfra<MosquittoInfra>('mosquitto');
  });
  afterAll(async () => {
    for (const r of readers.splice(0)) await r.endAsync(true);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function start(yaml: string, password = infra.password): Promise<RunningApp> {
    const app = await startApp(
      `mqtt:\n  broker: tcp://${infra.host}:${infra.port}\n  user: ${infra.user}\n  password: ${password}\n${yaml}  retry:\n    initialbackoffms: 50\n    maxbackoffms: 300\n    probems: 100\n`,
    );
    apps.push(app);
    return app;
  }
  const worker = (app: RunningApp) => app.workers.find((w) => w.name === 'mqtt');
  const delivered = (app: RunningApp) => worker(app)?.healthSnapshot().delivered ?? -1;

  /** A subscriber (QoS 2, so it gets each message at the QoS it was published with) collecting what arrives on `topic`. */
  async function listen(topic: string): Promise<Got[]> {
    const got: Got[] = [];
    const reader = await connectAsync(`mqtt://${infra.host}:${infra.port}`, { username: infra.reader.user, password: infra.reader.password, clientId: `reader-${randomUUID().slice(0, 8)}` });
    readers.push(reader);
    reader.on('message', (t, payload, packet) => got.push({ topic: t, payload: payload.toString('utf8'), qos: packet.qos, retain: packet.retain }));
    await reader.subscribeAsync(topic, { qos: 2 });
    return got;
  }

  it.each([
    [0, 300],
    [1, 300],
    [2, 100],
  ] as const)('QoS %i: %i alerts, the exact payloads on the topic, in order, not retained', async (qos, count) => {
    const marker = `mq${qos}-${randomUUID().slice(0, 8)}`;
    const topic = `falco/${marker}`;
    const got = await listen(topic);
    const app = await start(`  topic: ${topic}\n  qos: ${qos}\n`);
    await postInOrder(app, marker, count);
    await waitFor(() => delivered(app) === count, 30_000, `${count} deliveries`);
    await waitFor(() => got.length >= count, 10_000, `${count} messages`);
    expect(got).toEqual(Array.from({ length: count }, (_, i) => ({ topic, payload: sent(marker, i), qos, retain: false })));
  });

  it('the default topic falco/events; retained: a subscriber that comes later gets the last alert, flagged retained', async () => {
    const marker = `mr-${randomUUID().slice(0, 8)}`;
    const live = await listen('falco/events');
    const app = await start('  qos: 1\n  retained: true\n');
    await postInOrder(app, marker, 3);
    await waitFor(() => delivered(app) === 3, 20_000, 'three deliveries');
    await waitFor(() => live.filter((g) => g.payload.includes(marker)).length >= 3, 10_000, 'three live messages');
    // Live subscribers see the flag cleared (MQTT 3.1.1 §3.3.1.3); one that subscribes afterwards gets the last one, retained.
    expect(live.filter((g) => g.payload.includes(marker))).toEqual([0, 1, 2].map((i) => ({ topic: 'falco/events', payload: sent(marker, i), qos: 1, retain: false })));
    const later = await listen('falco/events');
    await waitFor(() => later.length >= 1, 10_000, 'the retained message');
    expect(later).toEqual([{ topic: 'falco/events', payload: sent(marker, 2), qos: 1, retain: true }]);
  });

  it('a wrong password: the broker refuses the connection (CONNACK 5, Not authorized), the output is failing, the password never in the reason', async () => {
    const marker = `mp-${randomUUID().slice(0, 8)}`;
    const app = await start('  qos: 1\n', 'not-the-password');
    await postInOrder(app, marker, 2);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing' && /Not authorized/.test(worker(app)?.healthSnapshot().lastError ?? ''), 20_000, 'failing');
    const { lastError } = worker(app)?.healthSnapshot() ?? {};
    expect(lastError).toMatch(new RegExp(`^(?:healthcheck: )?tcp://${infra.host}:${infra.port}: Connection refused: Not authorized \\(check mqtt.user and mqtt.password, and the broker's ACL for the topic\\)$`));
    expect(lastError).not.toContain('not-the-password');
    expect(worker(app)?.healthSnapshot()).toMatchObject({ delivered: 0, deadLettered: 0, queued: 2 });
  });

  it('a topic the ACL denies, MQTT 3.1.1: the broker acknowledges and drops it (counted delivered: 3.1.1 cannot say otherwise)', async () => {
    const marker = `md-${randomUUID().slice(0, 8)}`;
    const got = await listen(`denied/${marker}`);
    const app = await start(`  topic: denied/${marker}\n  qos: 1\n`);
    await postInOrder(app, marker, 2);
    await waitFor(() => delivered(app) === 2, 20_000, 'two "deliveries"');
    // What the subscriber would have got arrives before this marker, published after them on an allowed topic.
    const check = await listen(`falco/${marker}`);
    const app2 = await start(`  topic: falco/${marker}\n  qos: 1\n`);
    await postInOrder(app2, `${marker}-after`, 1);
    await waitFor(() => check.length >= 1, 10_000, 'the marker');
    expect(got).toEqual([]);
  });

  it('a topic the ACL denies, MQTT 5: the broker says "Not authorized"; retried as refused credentials (failing), nothing delivered', async () => {
    const marker = `m5-${randomUUID().slice(0, 8)}`;
    const app = await start(`  topic: denied/${marker}\n  qos: 1\n  protocolversion: 5\n`);
    await postInOrder(app, marker, 2);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing');
    expect(worker(app)?.healthSnapshot()).toMatchObject({
      delivered: 0,
      deadLettered: 0,
      lastError: `tcp://${infra.host}:${infra.port} topic denied/${marker}: Publish error: Not authorized (check mqtt.user and mqtt.password, and the broker's ACL for the topic)`,
    });
  });

  it('MQTT 5 on an allowed topic: the exact payloads, in order', async () => {
    const marker = `m5ok-${randomUUID().slice(0, 8)}`;
    const topic = `falco/${marker}`;
    const got = await listen(topic);
    const app = await start(`  topic: ${topic}\n  qos: 2\n  protocolversion: 5\n`);
    await postInOrder(app, marker, 50);
    await waitFor(() => delivered(app) === 50 && got.length >= 50, 20_000, '50 deliveries');
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => ({ topic, payload: sent(marker, i), qos: 2, retain: false })));
  });

  it('mosquitto stopped and started again: the QoS 1 alerts sent meanwhile are retried, then delivered, each once', { timeout: 90_000 }, async () => {
    const marker = `mo-${randomUUID().slice(0, 8)}`;
    const topic = `falco/${marker}`;
    const app = await start(`  topic: ${topic}\n  qos: 1\n  retained: true\n`);
    await postInOrder(app, marker, 2);
    await waitFor(() => delivered(app) === 2, 20_000, 'two before the outage');
    for (const r of readers.splice(0)) await r.endAsync(true);
    const infraStep = (step: string, env: Record<string, string> = {}) =>
      run('bash', [join(repoDir, 'test/infra/infra.sh'), 'mosquitto', step], { env: { ...process.env, PEREGRINE_IT_STATE: stateDir, ...env } });
    await infraStep('stop');
    try {
      expect((await app.post(runAlertJson(marker, 2))).status).toBe(200);
      await waitFor(() => (worker(app)?.healthSnapshot().consecutiveFailures ?? 0) >= 2, 20_000, 'refused sends');
      expect(worker(app)?.healthSnapshot()).toMatchObject({ delivered: 2, deadLettered: 0, queued: 1 });
    } finally {
      await infraStep('start', { MOSQUITTO_PORT: String(infra.port), MOSQUITTO_PASSWORD: infra.password, MOSQUITTO_READER_PASSWORD: infra.reader.password });
    }
    await waitFor(() => delivered(app) === 3, 30_000, 'the alert of the outage delivered');
    // The broker kept no state across the restart (persistence off): the retained message is the one sent after it.
    const later = await listen(topic);
    await waitFor(() => later.length >= 1, 10_000, 'the retained message');
    expect(later).toEqual([{ topic, payload: sent(marker, 2), qos: 1, retain: true }]);
    expect(worker(app)?.healthSnapshot()).toMatchObject({ delivered: 3, deadLettered: 0, state: 'ok' });
  });
});
