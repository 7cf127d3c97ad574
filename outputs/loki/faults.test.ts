// The loki plugin against an in-process Loki stand-in: request headers, and each answer Loki gives
// classified (Loki's own error texts: pkg/validation and the ingester's out-of-order errors). Nothing
// here waits: a Retry-After date is read against the send context's clock (a FakeClock).
import { afterEach, describe, expect, it } from 'vitest';
import { thawAlert } from '../../src/alert/serialize.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { againstReceiver, connectPlugin, type PluginHarness } from '../../test/support/plugin-harness.ts';
import { Receiver, type Behaviour } from '../../test/support/receiver.ts';
import loki from './index.ts';

const alerts = [thawAlert(falcoAlertJson(0)), thawAlert(falcoAlertJson(1, 'Critical'))];
const stand = againstReceiver(loki, (r, extra) => ({ hostport: `http://127.0.0.1:${r.port}`, ...extra }));
const answer = (behaviour: Behaviour, extra?: Record<string, unknown>) => stand.answer(behaviour, alerts, extra);
const received = () => stand.state.receiver?.received ?? [];

// Tests that connect the plugin by hand (their own clock); closed after each.
let receiver: Receiver | undefined;
let plugin: PluginHarness | undefined;
afterEach(async () => {
  await plugin?.close();
  await receiver?.stop();
  plugin = receiver = undefined;
});

describe('loki requests', () => {
  it('POSTs JSON to hostport + endpoint with tenant, basic auth and custom headers (custom headers win, as in falcosidekick)', async () => {
    const result = await answer(
      { kind: 'ok', status: 204, body: '' },
      { tenant: 'team-a', user: '12345', apikey: 'glc_secret', customheaders: { 'X-Extra': '1', 'X-Scope-OrgID': 'override' } },
    );
    expect(result).toEqual({ kind: 'ok' });
    const [req] = received();
    expect(req?.url).toBe('/loki/api/v1/push');
    expect(req?.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from('12345:glc_secret').toString('base64')}`,
      'x-scope-orgid': 'override',
      'x-extra': '1',
    });
    expect((JSON.parse(req?.body ?? '') as { streams: unknown[] }).streams).toHaveLength(2);
  });

  it('no auth header unless both user and apikey are set; validate() says so', async () => {
    await answer({ kind: 'ok', status: 204, body: '' }, { user: 'only-user', endpoint: '/insert/loki/api/v1/push' });
    expect(received()[0]?.headers.authorization).toBeUndefined();
    expect(received()[0]?.url).toBe('/insert/loki/api/v1/push');
    expect(loki.validate?.({ user: 'u', apikey: '' } as never)).toEqual([{ path: 'apikey', message: expect.stringContaining('basic auth needs both') }]);
    expect(loki.validate?.({ user: '', apikey: 'k' } as never)).toEqual([{ path: 'user', message: expect.stringContaining('basic auth needs both') }]);
    expect(loki.validate?.({ user: 'u', apikey: 'k' } as never)).toEqual([]);
  });
});

describe('loki answers', () => {
  it.each([
    ['too old', "entry for stream '{rule=\"x\"}' has timestamp too old: 2020-01-01T00:00:00Z, oldest acceptable timestamp is: 2026-11-13T10:00:00Z", /entry timestamp outside what Loki accepts/],
    ['too far behind', "entry with timestamp 2026-11-20 10:21:36.167531875 +0000 UTC ignored, reason: 'entry too far behind, entry timestamp is: 2026-11-20T10:21:36Z, oldest acceptable timestamp is: 2026-11-20T11:00:00Z' for stream: {rule=\"x\"},\ntotal ignored: 1 out of 2", /entry timestamp outside/],
    ['out of order', 'entry out of order for stream: {rule="x"}', /entry timestamp outside/],
    ['line too long', "max entry size '256' bytes exceeded for stream '{rule=\"x\"}' while adding an entry with length '1024' bytes (line too long)", /max_line_size/],
    ['too many labels', 'entry for stream \'{…}\' has 16 label names; limit 15', /stream labels refused/],
  ])('400 %s -> dead letter with Loki\'s reason', async (_name, text, hint) => {
    const result = await answer({ kind: 'status', status: 400, headers: { 'content-type': 'text/plain' }, body: text });
    expect(result).toEqual({ kind: 'fail', reason: expect.stringMatching(/^HTTP 400 from Loki \(/) });
    expect(result.kind === 'fail' && result.reason).toMatch(hint);
    expect(result.kind === 'fail' && result.reason).toContain(text.slice(0, 40));
  });

  it('429 with Retry-After -> retry after it', async () => {
    const result = await answer({ kind: 'status', status: 429, headers: { 'retry-after': '7' }, body: 'Ingestion rate limit exceeded for user fake (limit: 4194304 bytes/sec)' });
    expect(result).toEqual({ kind: 'retry', reason: expect.stringContaining('Ingestion rate limit exceeded'), afterMs: 7000 });
  });

  it('429 with Retry-After as an HTTP date -> the wait is measured on the send context\'s clock', async () => {
    const clock = new FakeClock();
    receiver = await new Receiver().start();
    receiver.setBehaviour(() => ({ kind: 'status', status: 429, headers: { 'retry-after': new Date(clock.now() + 45_000).toUTCString() }, body: 'Ingestion rate limit exceeded' }));
    plugin = await connectPlugin(loki, { hostport: `http://127.0.0.1:${receiver.port}` }, { clock });
    expect(await plugin.send(alerts)).toEqual({ kind: 'retry', reason: expect.stringContaining('Ingestion rate limit exceeded'), afterMs: 45_000 });
  });

  it.each([500, 502, 503, 504])('%i -> retry', async (status) => {
    expect(await answer({ kind: 'status', status, body: 'at least 2 live replicas required' })).toMatchObject({ kind: 'retry', reason: expect.stringContaining(`HTTP ${status}`) });
  });

  it('401 -> retry as a credentials problem; 413 -> dead letter with the batch size hint', async () => {
    expect(await answer({ kind: 'status', status: 401, body: 'no org id' })).toMatchObject({ kind: 'retry', auth: true });
    expect(await answer({ kind: 'status', status: 413, body: 'too large' })).toEqual({ kind: 'fail', reason: expect.stringContaining('lower loki.batch.maxbytes') });
  });
});
