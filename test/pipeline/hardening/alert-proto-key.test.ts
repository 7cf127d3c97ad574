// A "__proto__" key in output_fields used to vanish when alert data was copied key by key (with
// bracketreplacer, templatedfields, Elasticsearch's flattenfields): assigning it to a plain {} set
// the prototype instead. Alert data is now copied into null-prototype maps: the field arrives.
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/app.ts';
import { Receiver, waitFor } from '../../support/receiver.ts';

let app: RunningApp | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await app?.stop();
  await receiver?.stop();
});

describe('a __proto__ field', () => {
  it('survives bracketreplacer, customfields and templatedfields as an ordinary field, and pollutes nothing', async () => {
    receiver = await new Receiver().start();
    app = await startApp(
      `bracketreplacer: "_"\ncustomfields:\n  team: core\ntemplatedfields:\n  seen: '{{lookup output_fields "__proto__"}}'\nwebhook:\n  address: ${receiver.url()}\n`,
    );
    const body = '{"uuid":"p","rule":"r","priority":"Notice","time":"2026-11-20T10:21:36Z","output_fields":{"__proto__":{"polluted":"yes"},"proc.aname[2]":"sh"}}';
    expect((await app.post(body)).status).toBe(200);
    await waitFor(() => (receiver as Receiver).received.length === 1);
    const sent = receiver.received[0]?.body as string;
    expect(sent).toContain('"__proto__":{"polluted":"yes"}');
    const fields = Object.fromEntries(Object.entries((JSON.parse(sent) as { output_fields: Record<string, unknown> }).output_fields));
    expect(Object.keys(fields).sort()).toEqual(['__proto__', 'proc.aname_2', 'seen', 'team']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
