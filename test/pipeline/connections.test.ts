// Keep-alive connections do not live forever: Falco pins one connection per node, so without a
// limit a scaled-out Deployment never rebalances. A connection past ingest.maxconnectionagems (or
// ingest.maxrequestsperconnection) is answered with "Connection: close" and the client reconnects.
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from 'undici';
import { falcoAlertJson } from '../support/alerts.ts';
import { startApp, type RunningApp } from '../support/app.ts';
import { FakeClock } from '../support/fake-clock.ts';

let app: RunningApp | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  await app?.stop();
  client = app = undefined;
});

async function post(c: Client, i: number): Promise<{ status: number; connection: string | undefined }> {
  const res = await c.request({ path: '/', method: 'POST', headers: { 'content-type': 'application/json' }, body: falcoAlertJson(i) });
  await res.body.text();
  return { status: res.statusCode, connection: res.headers.connection as string | undefined };
}

describe('ingest connection limits', () => {
  it('closes a keep-alive connection once it is older than maxconnectionagems, after a full reply', async () => {
    const clock = new FakeClock();
    app = await startApp('ingest:\n  maxconnectionagems: 60000\n', { clock });
    let connections = 0;
    app.server.server.on('connection', () => connections++);
    client = new Client(app.url, { pipelining: 1 });
    expect(await post(client, 0)).toEqual({ status: 200, connection: 'keep-alive' });
    await clock.advance(59_999);
    expect(await post(client, 1)).toEqual({ status: 200, connection: 'keep-alive' });
    await clock.advance(1);
    expect(await post(client, 2)).toEqual({ status: 200, connection: 'close' });
    expect(await post(client, 3)).toEqual({ status: 200, connection: 'keep-alive' }); // a new connection, young again
    expect(connections).toBe(2);
  });

  it('closes a connection after maxrequestsperconnection replies', async () => {
    app = await startApp('ingest:\n  maxconnectionagems: 0\n  maxrequestsperconnection: 2\n');
    let connections = 0;
    app.server.server.on('connection', () => connections++);
    client = new Client(app.url, { pipelining: 1 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await post(client, i)).connection);
    expect(answers).toEqual(['keep-alive', 'close', 'keep-alive', 'close']);
    expect(connections).toBe(2);
  });
});
