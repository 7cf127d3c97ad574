// `user:pass@` in a webhook URL used to be dropped silently; falcosidekick (Go's http.Client) sends
// it as Basic auth. It is sent now, from the SDK's pool helper, unless the output sets Authorization.
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.stop();
});

const ALERT = { rule: 'r', priority: 'Notice', time: '2026-11-20T10:21:36Z', output_fields: { a: 1 } };

describe('userinfo in an output URL', () => {
  it('is sent as Basic auth, percent-decoded', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`webhook:\n  address: http://falco:p%40ss%3Aword@127.0.0.1:${receiver.port}/in\n`);
    expect((await app.post(ALERT)).status).toBe(200);
    await waitFor(() => (receiver as Receiver).received.length === 1);
    expect(receiver.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('falco:p@ss:word').toString('base64')}`);
    expect(receiver.received[0]?.url).toBe('/in');
  });

  it('gives way to an Authorization custom header', async () => {
    receiver = await new Receiver().start();
    app = await startApp(`webhook:\n  address: http://falco:pw@127.0.0.1:${receiver.port}/in\n  customheaders:\n    Authorization: Bearer t0k3n\n`);
    expect((await app.post(ALERT)).status).toBe(200);
    await waitFor(() => (receiver as Receiver).received.length === 1);
    expect(receiver.received[0]?.headers.authorization).toBe('Bearer t0k3n');
  });
});
