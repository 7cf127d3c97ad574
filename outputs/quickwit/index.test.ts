// autocreateindex at connect: what a refused or raced creation does.
import { afterEach, describe, expect, it } from 'vitest';
import { connectPlugin } from '../../test/support/plugin-harness.ts';
import { Receiver, type Behaviour } from '../../test/support/receiver.ts';
import quickwit from './index.ts';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

async function against(create: Behaviour) {
  receiver = await new Receiver().start();
  receiver.setBehaviour((req) => (req.method === 'GET' ? { kind: 'status', status: 404, body: '{"message":"index `falco` not found"}' } : create));
  return connectPlugin(quickwit, { hostport: receiver.url(''), autocreateindex: true });
}

describe('quickwit autocreateindex', () => {
  it('created meanwhile by another daemon (400 "already exists"): connected', async () => {
    const h = await against({ kind: 'status', status: 400, body: '{"message":"index `falco` already exists"}' });
    expect(receiver?.attempts).toBe(2); // the describe, the create
    await h.close();
  });

  it('a creation Quickwit refuses: connect() throws with its answer (the core retries with backoff)', async () => {
    await expect(against({ kind: 'status', status: 400, body: '{"message":"unknown config version `9.9`"}' })).rejects.toThrow(
      'cannot create Quickwit index falco: HTTP 400: {"message":"unknown config version `9.9`"}',
    );
  });

  it('Quickwit down: connect() throws', async () => {
    receiver = await new Receiver().start();
    const url = receiver.url('');
    await receiver.stop();
    receiver = undefined;
    await expect(connectPlugin(quickwit, { hostport: url, autocreateindex: true })).rejects.toThrow();
  });
});
