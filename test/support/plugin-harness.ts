// Calls one output plugin directly (connect → sendBatch → close) with the context the worker would
// give it, for unit tests that check a payload or a classification against an in-process receiver.
import { afterEach } from 'vitest';
import { Receiver, type Behaviour } from './receiver.ts';
import { connectContext } from './plugin-context.ts';
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
  const context = connectContext(plugin.name, ctx);
  const client: unknown = await plugin.connect?.(options, context);
  return {
    send: (alerts) => plugin.sendBatch(alerts, { options, client, signal: AbortSignal.timeout(5000), log: context.log, clock: context.clock }),
    close: async () => {
      await plugin.close?.(client);
    },
  };
}

/**
 * One plugin against an in-process receiver that gives one answer, torn down after each test:
 * `answer(behaviour, alerts, extra)` starts a fresh receiver, connects the plugin with
 * `section(receiver, extra)` and sends the alerts (a second call replaces the first pair).
 */
export function againstReceiver(plugin: AnyOutputPlugin, section: (receiver: Receiver, extra: Record<string, unknown>) => Record<string, unknown>) {
  const state: { receiver?: Receiver; plugin?: PluginHarness } = {};
  const reset = async () => {
    await state.plugin?.close();
    await state.receiver?.stop();
    state.plugin = state.receiver = undefined;
  };
  afterEach(reset);
  return {
    state,
    async answer(behaviour: Behaviour, alerts: readonly Alert[], extra: Record<string, unknown> = {}): Promise<SendResult> {
      await reset();
      const receiver = (state.receiver = await new Receiver().start());
      receiver.setBehaviour(() => behaviour);
      state.plugin = await connectPlugin(plugin, section(receiver, extra));
      return state.plugin.send(alerts);
    },
  };
}
