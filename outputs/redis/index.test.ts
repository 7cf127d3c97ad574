// The plugin against a server that accepts connections and never answers: the deadline ends the
// send as a retry that says a duplicate is possible, and the next send starts on a new connection.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { connectContext, sendContext } from '../../test/support/plugin-context.ts';
import redis from './index.ts';

const alerts = [toAlert(parseJson(falcoAlertJson(0)) as AlertInput)];

describe('redis output, a server that never answers', () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('the deadline ends the send as a retry (a duplicate is possible); the next send opens a new connection', async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', () => {}); // reads, never answers
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const options = redis.schema.parse({ address });
    const link = await redis.connect!(options, connectContext('redis'));
    try {
      const first = await redis.sendBatch(alerts, sendContext(options, link, 300));
      expect(first).toEqual({
        kind: 'retry',
        reason: `RPUSH falco on ${address}: no answer within the deadline (The operation was aborted due to timeout); the command may still have been applied, so a duplicate is possible`,
      });
      expect(sockets).toHaveLength(1);
      await redis.sendBatch(alerts, sendContext(options, link, 300));
      expect(sockets).toHaveLength(2);
      expect(sockets[0]?.destroyed || sockets[0]?.readableEnded).toBe(true);
    } finally {
      await redis.close!(link);
    }
  });
});
