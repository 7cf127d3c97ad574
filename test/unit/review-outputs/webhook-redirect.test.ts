// falcosidekick posts through Go's http.Client with the default CheckRedirect and a bytes.Buffer
// body (outputs/client.go: http.Client{Transport: …}, reader = bytes.NewBuffer(v)), so a 307/308
// answer is followed with the same method and body. Peregrine's undici dispatch follows nothing and
// classifyHttp makes the 3xx a permanent refusal: every alert is dead-lettered.
import { afterEach, describe, expect, it } from 'vitest';
import webhook from '../../../outputs/webhook/index.ts';
import { Receiver } from '../../support/receiver.ts';
import { connectPlugin, type PluginHarness } from '../../support/plugin-harness.ts';
import { freezeAlert, toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { falcoAlertJson } from '../../support/alerts.ts';

let receiver: Receiver | undefined;
let plugin: PluginHarness | undefined;
afterEach(async () => {
  await plugin?.close();
  await receiver?.stop();
});

describe('review: webhook behind a 308 redirect', () => {
  it('delivers as falcosidekick does (expected ok, actual fail → dead letter)', async () => {
    receiver = await new Receiver().start();
    const r = receiver;
    r.setBehaviour((req) => (req.url === '/old' ? { kind: 'status', status: 308, headers: { location: r.url('/new') } } : { kind: 'ok' }));
    plugin = await connectPlugin(webhook, { address: r.url('/old') });
    const result = await plugin.send([freezeAlert(toAlert(parseJson(falcoAlertJson(0)) as AlertInput))]);
    const outcome = result.kind === 'partial' ? result.items[0] : result;
    expect(outcome?.kind).toBe('ok');
  });
});
