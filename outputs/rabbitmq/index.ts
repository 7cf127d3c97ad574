// RabbitMQ: each alert's JSON published to a queue through the default exchange, as falcosidekick
// publishes it (content type text/plain), but confirmed: an alert counts as delivered only when the
// broker acknowledged it (publisher confirms), `mandatory` so that a missing queue is reported
// instead of the message vanishing, and persistent so that a durable queue keeps it over a restart.
import { defineOutput, loadTls, ok, raceSignal, serializeAlert, settle, type Alert, type Outcome } from '../../src/plugin/index.ts';
import { classifyError, NACKED, unroutable } from './classify.ts';
import { rabbitmqProblems, rabbitmqSchema } from './options.ts';
import { RabbitSession, type Session } from './session.ts';

export default defineOutput({
  name: 'rabbitmq',
  description: 'Publish each alert as JSON to a RabbitMQ queue, with publisher confirms (delivered = acknowledged by the broker).',
  schema: rabbitmqSchema,
  // `queue` is every output's queue bounds; falcosidekick's `rabbitmq.queue: falco` names the queue.
  aliases: { queue: 'queuename' },
  example: { url: 'amqp://falco:your-password@rabbitmq:5672/', queuename: 'falco' },
  enabled: (options) => options.url !== '',
  // Confirms are awaited per batch: many publishes, one wait.
  batch: { maxevents: 500, maxbytes: 4_000_000, flushms: 100 },
  concurrency: 1,
  validate: rabbitmqProblems,
  connect(options, ctx) {
    const tls = options.url.startsWith('amqps:') ? loadTls(options, ctx.tls) : {};
    // `timeout`: the TCP connect; the handshake is bounded by the send's deadline.
    return { session: new RabbitSession(options.url, { ...tls, timeout: ctx.timeoutMs }), queue: options.queuename };
  },
  async sendBatch(alerts, { client, signal }) {
    let session: Session;
    try {
      session = await client.session.open(signal);
    } catch (err) {
      return classifyError(err);
    }
    const published = alerts.map((alert) => publish(session, client.queue, alert));
    try {
      return settle(await raceSignal(Promise.all(published), signal));
    } catch (err) {
      if (session.blocked !== undefined) return classifyError(new Error(`RabbitMQ is blocking publishers (${session.blocked}): it raised a resource alarm`));
      throw err; // the deadline: the core retries the batch
    }
  },
  async close(client) {
    await client.session.close();
  },
});

/** Publishes one alert; resolves with its outcome once the broker confirmed it, refused it or the channel closed. */
export function publish(session: Session, queue: string, alert: Alert): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const properties = { contentType: 'text/plain', messageId: alert.uuid, deliveryMode: 2, mandatory: true };
    try {
      session.channel.publish('', queue, Buffer.from(serializeAlert(alert)), properties, (err) => resolve(confirmed(session, queue, alert.uuid, err)));
    } catch (err) {
      resolve(classifyError(session.closed ?? err)); // the channel closed before this publish
    }
  });
}

/** A confirm callback's outcome: amqplib's "message nacked" is the broker's nack; any other error is the channel closing. */
function confirmed(session: Session, queue: string, id: string, err: Error | null | undefined): Outcome {
  if (err) return err.message === 'message nacked' ? NACKED : classifyError(session.closed ?? err);
  const returned = session.returned.get(id) ?? 0;
  if (returned === 0) return ok();
  if (returned === 1) session.returned.delete(id);
  else session.returned.set(id, returned - 1);
  return unroutable(queue);
}
