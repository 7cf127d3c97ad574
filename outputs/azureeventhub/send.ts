// One worker batch → as few EventDataBatch sends as the hub's message size allows, each alert's
// JSON the body (a data section) of one event, as falcosidekick sends it. An alert too big for
// the hub's maximum message size on its own is dead-lettered without a call.
import type { EventDataBatch } from '@azure/event-hubs';
import { blameWholeCall, fail, ok, sendChunks, serializeAlert, settle, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { classifyEventHubError, type Target } from './classify.ts';

/** What is used of EventHubProducerClient. */
export interface Producer {
  createBatch(options: { abortSignal: AbortSignal }): Promise<EventDataBatch>;
  sendBatch(batch: EventDataBatch, options: { abortSignal: AbortSignal }): Promise<void>;
}

interface Member {
  index: number;
  batch: EventDataBatch;
}

export async function sendEvents(alerts: readonly Alert[], producer: Producer, target: Target, signal: AbortSignal): Promise<SendResult> {
  const outcomes = new Array<Outcome>(alerts.length);
  const chunks: Member[][] = [];
  try {
    let batch = await producer.createBatch({ abortSignal: signal });
    let members: Member[] = [];
    for (let index = 0; index < alerts.length; index++) {
      // The body is falcosidekick's; the message-id (the alert's uuid) lets a consumer drop a repeat.
      const alert = alerts[index] as Alert;
      const event = { body: Buffer.from(serializeAlert(alert)), messageId: alert.uuid };
      if (batch.tryAdd(event)) {
        members.push({ index, batch });
        continue;
      }
      if (members.length > 0) {
        chunks.push(members);
        batch = await producer.createBatch({ abortSignal: signal });
        members = [];
        if (batch.tryAdd(event)) {
          members.push({ index, batch });
          continue;
        }
      }
      outcomes[index] = fail(`the alert is ${event.body.length} bytes, too big for event hub ${target.name}'s maximum message size (${batch.maxSizeInBytes} bytes with the event's envelope)`);
    }
    if (members.length > 0) chunks.push(members);
  } catch (err) {
    if (signal.aborted) throw err;
    return classifyEventHubError(err, target);
  }
  await sendChunks(
    chunks,
    outcomes,
    signal,
    async (chunk) => {
      await producer.sendBatch((chunk[0] as Member).batch, { abortSignal: signal });
      for (const m of chunk) outcomes[m.index] = ok();
    },
    (err, chunk) => blameWholeCall(classifyEventHubError(err, target), chunk.length),
  );
  return settle(outcomes);
}
