// sendBatch over a scripted client: QoS 1 messages go 10 at a time in batch order; a lost connection
// in a window fails that window and holds the rest back (one shared retry, the connection dropped);
// QoS 0 goes at once.
import { describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { sendContext } from '../../test/support/plugin-context.ts';
import mqtt from './index.ts';
import type { MqttLink } from './link.ts';

const alerts = Array.from({ length: 25 }, (_, i) => toAlert(parseJson(falcoAlertJson(i)) as AlertInput));

/** A link whose client acknowledges each publish on the next turn, or fails those `failing` says. */
function scripted(failing: (i: number) => boolean = () => false) {
  const log: { i: number; inFlight: number }[] = [];
  let inFlight = 0;
  let dropped = 0;
  const client = {
    publishAsync(_topic: string, payload: string) {
      const i = Number(/"uuid":"alert-(\d+)"/.exec(payload)?.[1]);
      inFlight++;
      log.push({ i, inFlight });
      return new Promise((resolve, reject) =>
        setImmediate(() => {
          inFlight--;
          if (failing(i)) reject(new Error('client disconnecting'));
          else resolve(undefined);
        }),
      );
    },
  };
  const link = { open: async () => client, drop: () => dropped++ } as unknown as MqttLink;
  return { link, log, dropped: () => dropped };
}

describe('mqtt sendBatch', () => {
  it('QoS 1: in batch order, never more than 10 awaiting their PUBACK', async () => {
    const { link, log } = scripted();
    const options = mqtt.schema.parse({ broker: 'tcp://m:1883', qos: 1 });
    expect(await mqtt.sendBatch(alerts, sendContext(options, link))).toEqual({ kind: 'ok' });
    expect(log.map((l) => l.i)).toEqual(alerts.map((_, i) => i));
    expect(Math.max(...log.map((l) => l.inFlight))).toBe(10);
  });

  it('QoS 0: every alert at once', async () => {
    const { link, log } = scripted();
    const options = mqtt.schema.parse({ broker: 'tcp://m:1883' });
    expect(await mqtt.sendBatch(alerts, sendContext(options, link))).toEqual({ kind: 'ok' });
    expect(Math.max(...log.map((l) => l.inFlight))).toBe(25);
  });

  it('a publish lost in the second window: the others of the windows sent are delivered; it and the alerts not sent after it share one retry; the connection dropped', async () => {
    const { link, log, dropped } = scripted((i) => i === 13);
    const options = mqtt.schema.parse({ broker: 'tcp://m:1883', qos: 1 });
    const result = await mqtt.sendBatch(alerts, sendContext(options, link));
    expect(log.map((l) => l.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(result.kind).toBe('partial');
    const items = result.kind === 'partial' ? result.items : [];
    expect(items.slice(0, 13)).toEqual(Array(13).fill({ kind: 'ok' }));
    expect(items[13]).toEqual({ kind: 'retry', reason: 'tcp://m:1883 topic falco/events: client disconnecting', notOwn: true });
    expect(items.slice(14, 20)).toEqual(Array(6).fill({ kind: 'ok' }));
    // The alerts not sent share its outcome (the core backs off instead of setting one aside).
    expect(items.slice(20).every((o) => o === items[13])).toBe(true);
    expect(dropped()).toBe(1);
  });
});
