// The trail records noise control: an alert routed to an output but held back there by dedupe is
// "suppressed" for that output (with the reason), and delivered to the output without dedupe.
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app.ts';
import { CONSOLE_YAML, READER, alertJson, api } from '../support/console.ts';
import { Receiver, waitFor } from '../support/receiver.ts';

let app: RunningApp | undefined;
const receivers: Receiver[] = [];
afterEach(async () => {
  await app?.stop();
  for (const r of receivers.splice(0)) await r.stop();
  app = undefined;
});

type Trail = { trail: { outputs: { output: string; state: string; reason?: string }[] } };

describe('delivery trail and noise control', () => {
  it('shows the repeat of a deduplicated alert as suppressed on the paging output, delivered on the other', async () => {
    const [siem, pager] = [await new Receiver().start(), await new Receiver().start()];
    receivers.push(siem, pager);
    app = await startApp(
      `${CONSOLE_YAML}outputs:\n  siem:\n    type: webhook\n    address: ${siem.url()}\n  pager:\n    type: webhook\n    address: ${pager.url()}\n    dedupe:\n      windowms: 600000\n`,
    );
    const a = app;
    expect((await a.post(alertJson({ uuid: 'first', rule: 'Terminal shell in container' }))).status).toBe(200);
    expect((await a.post(alertJson({ uuid: 'repeat', rule: 'Terminal shell in container' }))).status).toBe(200);
    await waitFor(() => siem.received.length === 2 && pager.received.length === 1);
    const states = async (uuid: string) => (await api<Trail>(a.url, `/api/v1/alerts/${uuid}`, { token: READER })).body.trail.outputs;
    await waitFor(async () => (await states('repeat')).find((o) => o.output === 'siem')?.state === 'delivered');
    const repeat = await states('repeat');
    expect(repeat.find((o) => o.output === 'pager')).toMatchObject({ state: 'suppressed', reason: 'noise control' });
    expect((await states('first')).find((o) => o.output === 'pager')?.state).toBe('delivered');
  });
});
