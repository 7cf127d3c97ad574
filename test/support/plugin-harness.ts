// Calls one output plugin directly (connect → sendBatch → close) with the context the worker would
// give it, for unit tests that check a payload or a classification against an in-process receiver.
import pino from 'pino';
import { systemClock } from '../../src/dispatch/clock.ts';
import { outputSchema } from '../../src/config/schema.ts';
import type { AnyOutputPlugin, ConnectContext } from '../../src/plugin/types.ts';
import type { SendResult } from '../../src/dispatch/result.ts';
import type { Alert } from '../../src/alert/alert.ts';

export interface PluginHarness {
  send(alerts: readonly Alert[]): Promise<SendResult>;
  close(): Promise<void>;
}

export async function connectPlugin(
  plugin: AnyOutputPlugin,
  section: Record<string, unknown>,
  ctx: Partial<ConnectContext> = {},
): Promise<PluginHarness> {
  const options = outputSchema(plugin).parse(section);
  const log = pino({ level: 'silent' });
  const client: unknown = await plugin.connect?.(options, {
    name: plugin.name,
    log,
    tls: { cacertfile: '', certfile: '', keyfile: '', mutualcacertfile: '' },
    userAgent: 'peregrine-test',
    timeoutMs: 5000,
    concurrency: 1,
    clock: systemClock,
    ...ctx,
  });
  return {
    send: (alerts) => plugin.sendBatch(alerts, { options, client, signal: AbortSignal.timeout(5000), log, clock: ctx.clock ?? systemClock }),
    close: async () => {
      await plugin.close?.(client);
    },
  };
}
