// sendBatch with a scripted topic: every alert's JSON as message data with the custom attributes,
// one flush per batch; the messages of one failed call share one outcome (a wholeCall one, which the
// core may split in halves), those of a call that went through are delivered.
import { describe, expect, it } from 'vitest';
import { serializeAlert } from '../../src/plugin/index.ts';
import { testAlerts } from '../../test/support/alerts.ts';
import { sendContext } from '../../test/support/plugin-context.ts';
import pubsub from './index.ts';

const options = pubsub.schema.parse({ projectid: 'p', topic: 't', customattributes: { env: 'prod' } });

function scriptedTopic(answer: (i: number) => Error | undefined) {
  const published: { data: string; attributes: Record<string, string> }[] = [];
  let flushes = 0;
  const topic = {
    name: 'projects/p/topics/t',
    publishMessage(m: { data: Buffer; attributes: Record<string, string> }) {
      const i = published.push({ data: m.data.toString(), attributes: m.attributes }) - 1;
      const err = answer(i);
      return err ? Promise.reject(err) : Promise.resolve(`id-${i}`);
    },
    flush: async () => {
      flushes++;
    },
  };
  return { topic, published, flushes: () => flushes };
}

const send = (topic: unknown, n: number) => pubsub.sendBatch(testAlerts(n), sendContext(options, { topic, pubsub: {} } as never) as never);

describe('gcppubsub sendBatch', () => {
  it('publishes each alert JSON with the attributes and flushes once', async () => {
    const alerts = testAlerts(3);
    const t = scriptedTopic(() => undefined);
    const result = await pubsub.sendBatch(alerts, sendContext(options, { topic: t.topic, pubsub: {} } as never) as never);
    expect(result).toEqual({ kind: 'ok' });
    expect(t.published).toEqual(alerts.map((a) => ({ data: serializeAlert(a), attributes: { env: 'prod' } })));
    expect(t.flushes()).toBe(1);
  });

  it('a call refused with UNAVAILABLE: its messages share one retry; the others are delivered', async () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE: down'), { code: 14, details: 'down' });
    const t = scriptedTopic((i) => (i >= 2 ? unavailable : undefined));
    const result = await send(t.topic, 4);
    expect(result.kind).toBe('partial');
    const items = (result as { items: readonly unknown[] }).items;
    expect(items.slice(0, 2)).toEqual([{ kind: 'ok' }, { kind: 'ok' }]);
    expect(items[2]).toEqual({ kind: 'retry', reason: 'Pub/Sub answered UNAVAILABLE: down', wholeCall: true });
    expect(items[3]).toBe(items[2]);
  });

  it('a whole call refused with INVALID_ARGUMENT: a wholeCall failure the core splits', async () => {
    const invalid = Object.assign(new Error('3 INVALID_ARGUMENT: too big'), { code: 3, details: 'too big' });
    const t = scriptedTopic(() => invalid);
    const result = await send(t.topic, 2);
    expect(result).toMatchObject({ kind: 'fail', reason: 'Pub/Sub answered INVALID_ARGUMENT: too big' });
    const single = await send(scriptedTopic(() => invalid).topic, 1);
    expect(single).toEqual({ kind: 'fail', reason: 'Pub/Sub answered INVALID_ARGUMENT: too big' });
  });
});
