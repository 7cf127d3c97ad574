// falcosidekick's mqtt output: each alert's JSON published to one topic with the configured QoS and
// retain flag. The alerts of a batch are published in order on one connection; QoS 1 and 2 wait for
// the broker's acknowledgement (PUBACK, PUBCOMP) of each, QoS 0 for the bytes to be written. mqtt.js,
// loaded in connect().
import { defineOutput, loadTls, notOwn, ok, partial, raceSignal, retry, serializeAlert, type Alert, type Outcome } from '../../src/plugin/index.ts';
import { classifyMqttError } from './classify.ts';
import { MqttLink } from './link.ts';
import { brokerUrl, mqttSchema } from './options.ts';

/**
 * QoS 1 and 2 messages awaiting their acknowledgement at once. Under a broker's MQTT 5 "receive
 * maximum" (Mosquitto: 20) mqtt.js holds the rest back and sends them out of order; 10 at a time
 * keeps the order of the batch, for one round trip per 10 alerts.
 */
const WINDOW = 10;

/** Publishes `size` at a time, in order; a window that fails stops the rest (they wait for the next send). */
async function publishInWindows(alerts: readonly Alert[], size: number, publish: (alert: Alert) => Promise<unknown>): Promise<PromiseSettledResult<unknown>[]> {
  const results: PromiseSettledResult<unknown>[] = [];
  for (let from = 0; from < alerts.length; from += size) {
    const window = await Promise.allSettled(alerts.slice(from, from + size).map(publish));
    results.push(...window);
    const failed = window.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed && from + size < alerts.length) {
      const notSent: PromiseRejectedResult = { status: 'rejected', reason: new Error(`not sent: an earlier alert of the batch failed (${(failed.reason as Error).message})`) };
      while (results.length < alerts.length) results.push(notSent);
      break;
    }
  }
  return results;
}

export default defineOutput({
  name: 'mqtt',
  description: 'Publish each alert\'s JSON to an MQTT topic (QoS 0, 1 or 2; retained or not).',
  schema: mqttSchema,
  example: { broker: 'tcp://mosquitto:1883', topic: 'falco/events' },
  enabled: (options) => options.broker !== '',
  batch: { maxevents: 100, maxbytes: 1_000_000, flushms: 100 },
  concurrency: 1,
  async connect(options, ctx): Promise<MqttLink> {
    // Loaded here, not at import: a daemon without MQTT never pays for mqtt.js.
    const { connectAsync } = await import('mqtt');
    const { url, tls } = brokerUrl(options.broker);
    const tlsOptions = tls || options.mutualtls ? loadTls(options, ctx.tls) : {};
    return new MqttLink(connectAsync, url, {
      protocolVersion: options.protocolversion as 3 | 4 | 5,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: ctx.timeoutMs,
      // Sent only as a pair, as falcosidekick does.
      ...(options.user && options.password ? { username: options.user, password: options.password } : {}),
      ...tlsOptions,
    });
  },
  async healthcheck({ client, options, signal }) {
    try {
      await client.open(signal);
      return { ok: true };
    } catch (err) {
      const outcome = classifyMqttError(err, options.broker);
      return { ok: false, message: outcome.kind === 'ok' ? '' : outcome.reason };
    }
  },
  async sendBatch(alerts, { client, options, signal }) {
    let mqtt;
    try {
      mqtt = await client.open(signal);
    } catch (err) {
      return classifyMqttError(err, options.broker);
    }
    const where = `${options.broker} topic ${options.topic}`;
    const publish = (alert: Alert) => mqtt.publishAsync(options.topic, serializeAlert(alert), { qos: options.qos as 0 | 1 | 2, retain: options.retained });
    const settled = await raceSignal(publishInWindows(alerts, options.qos === 0 ? alerts.length : WINDOW, publish), signal).catch(() => undefined);
    if (!settled) {
      client.drop();
      return retry(`${where}: no acknowledgement within the deadline; the broker may have taken some alerts, so a duplicate is possible`);
    }
    let lost: Outcome | undefined;
    const outcomes = settled.map((s): Outcome => {
      if (s.status === 'fulfilled') return ok();
      const outcome = classifyMqttError(s.reason, where);
      if (outcome.kind === 'retry' && !outcome.auth) {
        // The connection, not this alert: one shared outcome for every alert it took with it.
        lost ??= notOwn(outcome.reason);
        return lost;
      }
      return outcome;
    });
    if (lost) client.drop();
    return outcomes.every((o) => o.kind === 'ok') ? ok() : partial(outcomes);
  },
  close(client) {
    client.close();
  },
});
