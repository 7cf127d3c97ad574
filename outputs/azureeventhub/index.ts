// falcosidekick's azure.eventhub: each alert's JSON as the body of one event sent to an Azure
// event hub with DefaultAzureCredential. Peregrine keeps one producer (one AMQP connection) for
// the output's life and batches alerts into EventDataBatch sends; azure.eventhub.connectionstring
// (a SAS connection string) is its alternative to Azure AD.
import type { EventHubProducerClient } from '@azure/event-hubs';
import { defineOutput, raceSignal } from '../../src/plugin/index.ts';
import { trustSystemCas } from '../../src/plugin/tls.ts';
import { classifyEventHubError, type Target } from './classify.ts';
import { connectionStringFields, endpointHost, schema, validate } from './options.ts';
import { sendEvents } from './send.ts';

interface Client {
  producer: EventHubProducerClient;
  target: Target;
}

export default defineOutput({
  name: 'azureeventhub',
  section: ['azure', 'eventhub'],
  description: 'Send each alert as a JSON event to an Azure event hub (AMQP, batched), with DefaultAzureCredential or a SAS connection string.',
  schema,
  example: { namespace: 'mynamespace.servicebus.windows.net', name: 'falco' },
  enabled: (options) => options.name !== '',
  batch: { maxevents: 500, maxbytes: 1_000_000, flushms: 100 },
  concurrency: 2,
  validate,
  async connect(options, ctx): Promise<Client> {
    // AMQP over TLS, as falcosidekick's Go client, trusts the system's CAs (SSL_CERT_FILE…).
    trustSystemCas();
    const { EventHubProducerClient } = await import('@azure/event-hubs');
    // The core retries: one attempt per call, within the output's timeout.
    const clientOptions = { retryOptions: { maxRetries: 0, timeoutInMs: ctx.timeoutMs }, userAgent: ctx.userAgent };
    let producer: EventHubProducerClient;
    let target: Target;
    if (options.connectionstring !== '') {
      target = { name: options.name, namespace: endpointHost(connectionStringFields(options.connectionstring).get('endpoint') ?? ''), auth: 'connectionstring' };
      try {
        producer = new EventHubProducerClient(options.connectionstring, options.name, clientOptions);
      } catch {
        // The SDK's message quotes the connection string, key included.
        throw new Error('azure.eventhub.connectionstring is not a connection string the Event Hubs client takes');
      }
    } else {
      const { DefaultAzureCredential } = await import('@azure/identity');
      target = { name: options.name, namespace: options.namespace, auth: 'defaultazurecredential' };
      producer = new EventHubProducerClient(options.namespace, options.name, new DefaultAzureCredential(), clientOptions);
    }
    // Opens the connection, the claim and the hub's sender link now: a wrong namespace, hub or
    // credential is said at start, not at the first alert.
    try {
      await raceSignal(producer.createBatch({ abortSignal: AbortSignal.timeout(ctx.timeoutMs) }), AbortSignal.timeout(ctx.timeoutMs + 1000));
    } catch (err) {
      // A peer that stopped answering holds close() for minutes (rhea's 60 s per link): not the next attempt.
      await raceSignal(producer.close(), AbortSignal.timeout(ctx.timeoutMs)).catch(() => undefined);
      const outcome = classifyEventHubError(err, target);
      // The reason carries the SDK's message already: a cause would be appended again (errorMessage).
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`cannot send to event hub ${target.name} in ${target.namespace}: ${outcome.kind === 'ok' ? 'unknown' : outcome.reason}`);
    }
    return { producer, target };
  },
  sendBatch(alerts, { client, signal }) {
    return sendEvents(alerts, client.producer, client.target, signal);
  },
  async close(client) {
    await client.producer.close();
  },
});
