// azureeventhub through the daemon against the Event Hubs stand-in (test/support/eventhub-receiver.ts:
// AMQP 1.0 with $cbs claims and SAS signatures checked; no Event Hubs server can run here), reached
// with a SAS connection string and UseDevelopmentEmulator=true (plain AMQP), as the emulator is:
// every event body exactly the alert JSON, once; a server-busy answer retried; a wrong key and a
// revoked Send right refused as credentials (output failing, nothing dead-lettered); an alert over
// the hub's message size dead-lettered alone.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { serializeAlert } from '../../../src/alert/serialize.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { ManagedIdentityEndpoint } from '../../support/azure-managed-identity.ts';
import { makeCerts } from '../../support/certs.ts';
import { EventHubReceiver, type EventHubPolicy } from '../../support/eventhub-receiver.ts';
import { postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';

const SEND: EventHubPolicy = { name: 'falco-send', key: 'c2VuZC1rZXktZm9yLXRlc3Rz', rights: ['Send'] };
/** What an alert's event body must be: the alert's JSON as falcosidekick's FalcoPayload orders it. */
const sent = (run: string, i: number, json = runAlertJson(run, i)) => serializeAlert(toAlert(parseJson(json) as AlertInput));
const LISTEN: EventHubPolicy = { name: 'falco-listen', key: 'bGlzdGVuLWtleQ==', rights: ['Listen'] };

describe('azureeventhub against the Event Hubs stand-in', () => {
  const apps: RunningApp[] = [];
  const hubs: EventHubReceiver[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    for (const hub of hubs.splice(0)) await hub.stop();
  });

  async function namespace(maxMessageBytes?: number): Promise<EventHubReceiver> {
    const hub = await new EventHubReceiver({ hubs: ['falco'], policies: [SEND, LISTEN], ...(maxMessageBytes ? { maxMessageBytes } : {}) }).start();
    hubs.push(hub);
    return hub;
  }
  async function start(connectionString: string, name = 'falco'): Promise<RunningApp> {
    const app = await startApp(`azure:\n  eventHub:\n    name: ${name}\n    connectionstring: "${connectionString}"\n    retry:\n      initialbackoffms: 50\n      maxbackoffms: 300\n`);
    apps.push(app);
    return app;
  }
  const worker = (app: RunningApp) => app.workers.find((w) => w.name === 'azureeventhub');
  const bodies = (hub: EventHubReceiver) => hub.events.map((e) => e.body).sort((a, b) => order(a) - order(b));
  const order = (body: string) => Number(/"uuid":"[^"]*-(\d+)"/.exec(body)?.[1]);

  it('300 alerts: one event each, its body (a data section) exactly the alert JSON, after a SAS put-token on $cbs', async () => {
    const hub = await namespace();
    const app = await start(hub.connectionString(SEND));
    const run = `eh-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 300, { per: 100 });
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 300, 30_000, '300 deliveries');
    expect(bodies(hub)).toEqual(Array.from({ length: 300 }, (_, i) => sent(run, i)));
    expect(hub.events.every((e) => e.hub === 'falco' && e.partition === undefined && e.bodyType === 'data')).toBe(true);
    // The message-id is the alert's uuid: a consumer can drop an event sent twice (a retry after a lost acknowledgement).
    expect(hub.events.map((e) => e.messageId)).toEqual(hub.events.map((e) => (JSON.parse(e.body) as { uuid: string }).uuid));
    expect(hub.putTokens).toEqual([{ audience: `sb://${hub.host}/falco`, type: 'servicebus.windows.net:sastoken', status: 202, description: 'Accepted' }]);
    expect(hub.problems).toEqual([]);
    expect(app.deadLetters.size()).toBe(0);
  });

  it('a server-busy answer is retried: delivered once, nothing dead-lettered', async () => {
    const hub = await namespace();
    hub.failNext('server-busy');
    const app = await start(hub.connectionString(SEND));
    const run = `busy-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 3);
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 3, 30_000, '3 deliveries after server-busy');
    expect(hub.transfers.map((t) => t.outcome)).toEqual(['server-busy', ...hub.transfers.slice(1).map(() => 'accepted')]);
    expect(bodies(hub)).toEqual([0, 1, 2].map((i) => sent(run, i)));
    expect(app.deadLetters.size()).toBe(0);
  });

  it('a wrong key is refused on $cbs: the output is failing with the reason, alerts wait, nothing sent', async () => {
    const hub = await namespace();
    const app = await start(hub.connectionString(SEND, 'd3Jvbmcta2V5'));
    await postInOrder(app, `bad-${randomUUID().slice(0, 8)}`, 2);
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing on a wrong key');
    expect(worker(app)?.healthSnapshot().lastError).toBe(
      `cannot connect: cannot send to event hub falco in ${hub.host}: Event Hubs answered UnauthorizedError: InvalidSignature: The token has an invalid signature. TrackingId:00000000-0000-0000-0000-000000000000_G0, SystemTracker:peregrine-standin (the credentials were refused: check azure.eventhub.connectionstring; it needs the Send right on falco, the "Azure Event Hubs Data Sender" role for an identity)`,
    );
    expect(hub.putTokens.every((t) => t.status === 401)).toBe(true);
    expect(hub.events).toEqual([]);
    expect(worker(app)?.healthSnapshot().queued).toBe(2);
    expect(app.deadLetters.size()).toBe(0);
  });

  it('a policy without Send: the hub link is refused, named as a credential problem', async () => {
    const hub = await namespace();
    const app = await start(hub.connectionString(LISTEN));
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing without Send');
    expect(worker(app)?.healthSnapshot().lastError).toMatch(/^cannot connect: cannot send to event hub falco in .*: Event Hubs answered UnauthorizedError: Unauthorized access. 'Send' claim\(s\) are required/);
  });

  it('a hub that does not exist: said at connect', async () => {
    const hub = await namespace();
    const app = await start(hub.connectionString(SEND), 'nohub');
    await waitFor(() => worker(app)?.healthSnapshot().state === 'failing', 20_000, 'failing on a missing hub');
    expect(worker(app)?.healthSnapshot().lastError).toBe(
      `cannot connect: cannot send to event hub nohub in ${hub.host}: Event Hubs answered MessagingEntityNotFoundError: The messaging entity 'sb://${hub.host}/nohub' could not be found. To know more visit https://aka.ms/sbResourceMgrExceptions. TrackingId:00000000-0000-0000-0000-000000000000_G0, SystemTracker:peregrine-standin (event hub nohub does not exist in ${hub.host}: create it or fix azure.eventhub.name)`,
    );
  });

  it('a send refused as unauthorized (Send revoked) is retried as credentials, then delivered', async () => {
    const hub = await namespace();
    hub.failNext('unauthorized', 'unauthorized', 'unauthorized');
    const app = await start(hub.connectionString(SEND));
    const run = `revoked-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 1);
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 1, 30_000, 'delivery after the refusals');
    expect(hub.transfers.map((t) => t.outcome)).toEqual(['unauthorized', 'unauthorized', 'unauthorized', 'accepted']);
    expect(bodies(hub)).toEqual([sent(run, 0)]);
    expect(app.deadLetters.size()).toBe(0);
  });

  it('an alert bigger than the hub takes is dead-lettered alone; the others are delivered', async () => {
    const hub = await namespace(4096);
    const app = await start(hub.connectionString(SEND));
    const run = `big-${randomUUID().slice(0, 8)}`;
    const big = runAlertJson(run, 1).replace('"output":"', `"output":"${'x'.repeat(5000)}`);
    for (const json of [runAlertJson(run, 0), big, runAlertJson(run, 2)]) expect((await app.post(json)).status).toBe(200);
    await waitFor(() => worker(app)?.healthSnapshot().delivered === 2 && app.deadLetters.size() === 1, 30_000, '2 delivered, 1 dead-lettered');
    expect(bodies(hub)).toEqual([sent(run, 0), sent(run, 2)]);
    const [letter] = app.deadLetters.list({ output: 'azureeventhub' });
    expect(letter).toMatchObject({ reason: 'rejected', alert: { uuid: `${run}-1` } });
    expect(letter?.detail).toMatch(/^the alert is \d+ bytes, too big for event hub falco's maximum message size \(4096 bytes with the event's envelope\)$/);
  });
});

// DefaultAzureCredential as falcosidekick uses it, through its managed identity (App Service's
// IDENTITY_ENDPOINT/IDENTITY_HEADER, a local endpoint issuing the JWT), over TLS as the service is.
describe('azureeventhub with DefaultAzureCredential against the stand-in over TLS', () => {
  const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
  const defaultCas = tls.getCACertificates('default');
  let identity: ManagedIdentityEndpoint;
  let hub: EventHubReceiver;
  let app: RunningApp | undefined;

  beforeAll(async () => {
    const certs = makeCerts();
    tls.setDefaultCACertificates([...defaultCas, readFileSync(certs.ca, 'utf8')]);
    identity = await new ManagedIdentityEndpoint().start();
    Object.assign(process.env, identity.env);
    hub = await new EventHubReceiver({ hubs: ['falco'], policies: [SEND], tls: { key: readFileSync(certs.serverKey, 'utf8'), cert: readFileSync(certs.serverCert, 'utf8') }, verifyJwt: (token) => identity.verify(token) }).start();
  });
  afterAll(async () => {
    await app?.stop();
    await hub?.stop();
    await identity?.stop();
    tls.setDefaultCACertificates(defaultCas);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('a token from the managed identity put as a jwt on $cbs; the bodies exactly the alerts', async () => {
    app = await startApp(`azure:\n  eventhub:\n    namespace: ${hub.host}\n    name: falco\n`);
    const run = `aad-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, run, 5);
    await waitFor(() => app?.workers.find((w) => w.name === 'azureeventhub')?.healthSnapshot().delivered === 5, 30_000, '5 deliveries');
    expect(hub.events.map((e) => e.body).sort()).toEqual([0, 1, 2, 3, 4].map((i) => sent(run, i)).sort());
    expect(hub.putTokens).toEqual([{ audience: `sb://${hub.host}/falco`, type: 'jwt', status: 202, description: 'Accepted' }]);
    expect(identity.requests).toEqual([{ resource: 'https://eventhubs.azure.net/', apiVersion: '2019-08-01', headerOk: true }]);
    expect(hub.problems).toEqual([]);
  });
});
