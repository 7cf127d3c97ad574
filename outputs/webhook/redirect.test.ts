// A redirect is not followed (docs/falcosidekick-differences.md): the endpoint is wrong, not the
// alert, so the refusal is the whole batch's (no halving) and names where the endpoint moved.
import { afterEach, describe, expect, it } from 'vitest';
import webhook from './index.ts';
import { Receiver } from '../../test/support/receiver.ts';
import { connectPlugin, type PluginHarness } from '../../test/support/plugin-harness.ts';
import { freezeAlert, toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';

let receiver: Receiver | undefined;
let plugin: PluginHarness | undefined;
afterEach(async () => {
  await plugin?.close();
  await receiver?.stop();
});

describe('webhook behind a redirect', () => {
  it.each([301, 308])('%i: refused whole, naming the new address and what to change', async (status) => {
    receiver = await new Receiver().start();
    const r = receiver;
    r.setBehaviour((req) => (req.url === '/old' ? { kind: 'status', status, headers: { location: r.url('/new') } } : { kind: 'ok' }));
    plugin = await connectPlugin(webhook, { address: r.url('/old') });
    const result = await plugin.send([freezeAlert(toAlert(parseJson(falcoAlertJson(0)) as AlertInput))]);
    const outcome = result.kind === 'partial' ? result.items[0] : result;
    expect(outcome).toMatchObject({ kind: 'fail', whole: true, reason: `HTTP ${status}: the endpoint redirects to ${r.url('/new')}; Peregrine does not follow redirects: set the output's address to the final URL` });
    // One request, to the old address: the new one is never asked.
    expect({ attempts: r.attempts, atNew: r.received.length }).toEqual({ attempts: 1, atNew: 0 });
  });
});
