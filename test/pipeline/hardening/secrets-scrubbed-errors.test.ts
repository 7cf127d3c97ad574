// A destination that echoes what it received (the Authorization header, the URL with its token)
// used to put those secrets into /healthz, /dlq and the logs; a 500 logged the request URL with
// its query. The output's configured secrets are scrubbed from destination error text where
// outcomes are recorded, and a 500 logs the path only.
import pino from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/load.ts';
import { outputs } from '../../../test/support/outputs.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';
import { writeConfig } from '../../support/daemon.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await receiver?.stop();
});

const SECRETS = ['Bearer sekrit-header-9', 'sekrit-header-9', 'qwerty-query-7', 'X-Key-Value-55'];

describe('destination error text', () => {
  it('has the output\'s secrets scrubbed in /dlq, /healthz and the logs', async () => {
    receiver = await new Receiver().start();
    // Echo everything we were sent, as some proxies and test endpoints do.
    receiver.setBehaviour((req) => ({ kind: 'status', status: req.body.includes('"retry-me"') ? 503 : 400, body: JSON.stringify({ url: req.url, headers: req.headers }) }));
    const lines: string[] = [];
    app = await startApp(
      `webhook:\n  address: ${receiver.url('/in')}?apikey=qwerty-query-7\n  customheaders:\n    Authorization: Bearer sekrit-header-9\n    X-Key: X-Key-Value-55\n  retry:\n    initialbackoffms: 10\n    maxbackoffms: 20\n`,
      { logger: pino({ level: 'debug' }, { write: (l: string) => lines.push(l) }) },
    );
    const alert = (uuid: string) => ({ uuid, rule: 'r', priority: 'Notice', time: '2026-11-20T10:21:36Z', output_fields: { a: 1 } });
    expect((await app.post(alert('refused'))).status).toBe(200);
    await waitFor(() => (app as RunningApp).deadLetters.size() === 1);
    expect((await app.post(alert('retry-me'))).status).toBe(200);
    await waitFor(() => (receiver as Receiver).attempts >= 3);

    const dlq = await (await request(`${app.url}/dlq`)).body.text();
    const health = await (await request(`${app.url}/healthz`)).body.text();
    expect(dlq).toContain('HTTP 400');
    expect(dlq).toContain('apikey=***'); // the echo is there, its secrets are not
    expect(health).toContain('HTTP 503');
    for (const secret of SECRETS) {
      expect(dlq).not.toContain(secret);
      expect(health).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
    }
  });

  it('a webhook URL secret as a whole keeps its tokens out of a redirect\'s reason, whatever scheme or host the Location names', async () => {
    receiver = await new Receiver().start();
    const token = 'q3k8x9w1t7bfgmz5yhr6cjd4ea';
    // An ingress in front of Mattermost that moved to https: the Location holds the hook id.
    receiver.setBehaviour(() => ({ kind: 'status', status: 308, headers: { location: `https://chat.example.com/hooks/${token}` }, body: '' }));
    const lines: string[] = [];
    app = await startApp(`mattermost:\n  webhookurl: ${receiver.url(`/hooks/${token}`)}\n`, { logger: pino({ level: 'debug' }, { write: (l: string) => lines.push(l) }) });
    expect((await app.post({ rule: 'r', priority: 'Notice', time: '2026-11-20T10:21:36Z', output: 'o', output_fields: { a: 1 } })).status).toBe(200);
    await waitFor(() => (app as RunningApp).deadLetters.size() === 1);
    const dlq = await (await request(`${app.url}/dlq`)).body.text();
    expect(dlq).toContain('the endpoint redirects to https://chat.example.com/hooks/***');
    expect(dlq).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token);
  });

  it('a 500 logs the request path, not its query', async () => {
    const lines: string[] = [];
    const { config } = loadConfig({ file: writeConfig('spool:\n  enabled: false\nstdout:\n  enabled: false\n'), env: {}, plugins: outputs });
    const built = buildApp(config, { plugins: outputs, logger: pino({ level: 'info' }, { write: (l: string) => lines.push(l) }), defaultMetrics: false });
    built.server.get('/boom', () => {
      throw new Error('unexpected');
    });
    const res = await built.server.inject({ method: 'GET', url: '/boom?apikey=qwerty-query-7' });
    expect(res.statusCode).toBe(500);
    const line = lines.find((l) => l.includes('unexpected error handling a request')) as string;
    expect(JSON.parse(line)).toMatchObject({ path: '/boom', method: 'GET' });
    expect(line).not.toContain('qwerty-query-7');
    await built.shutdown(100);
  });
});
