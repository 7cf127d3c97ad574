// webui inside the real app against the falcosidekick-ui ingest stand-in (test/support/
// webui-receiver.ts, its handler and validator): beside a webhook, each alert reaches the UI as
// falcosidekick 2.34.1 sends it (recorded from its build), with the outputs list in its spelling; an
// alert the UI would refuse is dead-lettered with the reason; Redis down (500) holds the alerts
// until it is back.
import { afterEach, describe, expect, it } from 'vitest';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { startApp, type RunningApp } from '../../test/support/app.ts';
import { asGoAlertJson } from '../../test/support/falcosidekick-http.ts';
import { FAST_RETRY, settled } from '../../test/support/json-post.ts';
import { Receiver, waitFor } from '../../test/support/receiver.ts';
import { WebUiReceiver } from '../../test/support/webui-receiver.ts';

// What falcosidekick 2.34.1 POSTed to WEBUI_URL for test/fixtures/alerts/falco-shell.json with
// WEBHOOK_ADDRESS also set (its random uuid replaced; Go ends the body with a newline).
const FALCOSIDEKICK_BODY =
  '{"event":{"uuid":"<uuid>","output":"10:21:36.167531875: Notice A shell was spawned in a container (user=root container=1f0a2e5c8d3b shell=sh cmdline=sh -c id)",' +
  '"priority":"Notice","rule":"Terminal shell in container","time":"2026-11-20T10:21:36.167531875Z",' +
  '"output_fields":{"container.id":"1f0a2e5c8d3b","evt.time":1700000000167531875,"k8s.ns.name":"default","k8s.pod.name":"web-7d9","proc.aname[2]":null,"proc.cmdline":"sh -c id","user.name":"root"},' +
  '"source":"syscall","tags":["T1059","container","mitre_execution","shell"],"hostname":"node-1"},"outputs":["Webhook","WebUI"]}\n';

/** falcoAlertJson(i) without its uuid, as Falco posts it: Peregrine gives it a random UUID, as falcosidekick does. */
const falcoPost = (i: number) => falcoAlertJson(i).replace(`"uuid":"alert-${i}",`, '');

/** The alert's evt.time as sent (beyond 2^53: read from the text). */
const evtTime = (r: { body: string }) => /"evt\.time":(\d+)/.exec(r.body)?.[1];

let app: RunningApp | undefined;
let ui: WebUiReceiver | undefined;
let hook: Receiver | undefined;
afterEach(async () => {
  await app?.close();
  await ui?.stop();
  await hook?.stop();
  app = ui = hook = undefined;
});

async function run(extra: (hookUrl: string) => string = () => ''): Promise<{ a: RunningApp; u: WebUiReceiver; h: Receiver }> {
  ui = await new WebUiReceiver().start();
  hook = await new Receiver().start();
  app = await startApp(`webhook:\n  address: ${hook.url('/hook')}\nwebui:\n  url: ${ui.url()}\n${FAST_RETRY}${extra(hook.url('/soc'))}`);
  return { a: app, u: ui, h: hook };
}

describe('webui in the app', () => {
  it('falcosidekick\'s body: the alert the webhook got, then ["Webhook","WebUI"]; byte for byte as falcosidekick\'s but for Go\'s known differences', async () => {
    const { a, u, h } = await run();
    expect((await a.post(falcoPost(0))).status).toBe(200);
    await settled(a, 'webui', 1);
    await waitFor(() => h.received.length === 1, 5000, 'webhook got it');
    const body = u.requests[0]?.body as string;
    expect(u.requests.map((r) => [r.path, r.status])).toEqual([['/api/v1/', 200]]);
    expect(body).toBe(`{"event":${h.received[0]?.body},"outputs":["Webhook","WebUI"]}`);
    expect(u.events[0]?.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The event's own text, cut from the body (so evt.time keeps every digit).
    const event = body.slice('{"event":'.length, body.lastIndexOf(',"outputs":'));
    expect(`{"event":${asGoAlertJson(event)},"outputs":["Webhook","WebUI"]}\n`).toBe(FALCOSIDEKICK_BODY);
    expect(u.requests[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('an alert falcosidekick-ui would refuse (output not ASCII) is dead-lettered with the reason, never sent; the next goes', async () => {
    const { a, u } = await run();
    await a.post(falcoPost(1).replace('A shell was spawned', 'A shell was spawned in /tmp/café'));
    await a.post(falcoPost(2));
    await settled(a, 'webui', 2);
    expect(a.deadLetters.list().map((d) => [d.output, d.reason, d.detail])).toEqual([['webui', 'rejected', 'falcosidekick-ui would refuse it (500): output has a character outside ASCII']]);
    expect(u.requests.map((r) => r.status)).toEqual([200]);
    expect(u.requests.map(evtTime)).toEqual(['1700000000167531877']);
  });

  it('Redis down (500): the alerts wait and retry, none dead-lettered, all stored once Redis is back', async () => {
    const { a, u } = await run();
    u.redisDown = true;
    for (let i = 0; i < 3; i++) await a.post(falcoPost(i));
    await waitFor(() => u.requests.filter((r) => r.status === 500).length >= 3, 10_000, 'refused while down');
    u.redisDown = false;
    await settled(a, 'webui', 3);
    expect(a.deadLetters.size()).toBe(0);
    expect(u.requests.filter((r) => r.status === 200).map(evtTime).sort()).toEqual(['1700000000167531875', '1700000000167531876', '1700000000167531877']);
  });

  it('a named instance is listed by its name, beside the outputs falcosidekick has', async () => {
    const { a, u } = await run((url) => `outputs:\n  soc-pager:\n    type: webhook\n    address: ${url}\n`);
    await a.post(falcoPost(3));
    await settled(a, 'webui', 1);
    expect(u.outputs).toEqual(['Webhook', 'WebUI', 'soc-pager']);
  });
});
