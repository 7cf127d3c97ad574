// The whole logs:import request the plugin makes (method, path, headers, token, body) against an
// in-process receiver on a fake clock, and the default host chronicle.<region>.rep.googleapis.com,
// seen as the CONNECT target of an HTTPS_PROXY (the host falcosidekick 2.34.1 builds the same way).
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { connectPlugin, type PluginHarness } from '../../test/support/plugin-harness.ts';
import { Receiver } from '../../test/support/receiver.ts';
import { keyTokenSource } from '../gcpcloudfunctions/token.ts';
import { importBody } from './body.ts';
import chronicle from './index.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const key = { type: 'service_account', project_id: 'p1', private_key_id: 'k1', client_email: 'falco@p1.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
const credentials = Buffer.from(JSON.stringify(key)).toString('base64');
const SECTION = { region: 'europe-west12', projectid: 'p1', instanceid: 'inst-1' };

let harness: PluginHarness | undefined;
let receiver: Receiver | undefined;
const savedProxy = process.env.HTTPS_PROXY;
afterEach(async () => {
  await harness?.close();
  await receiver?.stop();
  harness = receiver = undefined;
  if (savedProxy === undefined) delete process.env.HTTPS_PROXY;
  else process.env.HTTPS_PROXY = savedProxy;
});

describe('gcpchronicle send', () => {
  it('POSTs the import to <endpoint>/v1beta/<parent>/logTypes/<logtype>/logs:import with the token and the whole body', async () => {
    receiver = await new Receiver().start();
    const clock = new FakeClock(Date.parse('2026-12-08T00:53:56.224Z'));
    harness = await connectPlugin(chronicle, { ...SECTION, logtype: 'FALCO_JSON', endpoint: receiver.url('/base/') }, { shared: { credentials }, clock });
    const alerts = testAlerts(2);
    expect(await harness.send(alerts)).toEqual({ kind: 'ok' });
    expect(receiver.received).toHaveLength(1);
    const [req] = receiver.received;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/base/v1beta/projects/p1/locations/europe-west12/instances/inst-1/logTypes/FALCO_JSON/logs:import');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['user-agent']).toBe('peregrine/test');
    expect(req?.headers.authorization).toBe(`Bearer ${await keyTokenSource(key, clock).token()}`);
    expect(req?.body).toBe(importBody(alerts, clock.now()));
  });

  it('without endpoint: https://chronicle.<region>.rep.googleapis.com (the CONNECT target through HTTPS_PROXY)', async () => {
    const connects: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req, socket) => {
      connects.push(req.url ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      harness = await connectPlugin(chronicle, SECTION, { shared: { credentials } });
      await expect(harness.send(testAlerts(1))).rejects.toThrow();
      expect(connects).toEqual(['chronicle.europe-west12.rep.googleapis.com:443']);
    } finally {
      proxy.close();
    }
  });

  it('a key file that is not a service account key: connect fails naming gcp.credentials', async () => {
    const other = Buffer.from(JSON.stringify({ type: 'authorized_user', client_id: 'c', client_secret: 's', refresh_token: 'r' })).toString('base64');
    await expect(connectPlugin(chronicle, SECTION, { shared: { credentials: other } })).rejects.toThrow(
      'gcp.credentials must be a service_account key (with client_email and private_key) for gcp.chronicle; this one is of type authorized_user',
    );
  });
});
