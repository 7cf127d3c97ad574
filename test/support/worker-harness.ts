// A worker wired to a scripted plugin and a fake clock, for delivery-semantics unit tests.
import pino from 'pino';
import { z } from 'zod';
import { MemoryDeadLetterStore } from '../../src/dispatch/dead-letter.ts';
import type { SendResult } from '../../src/dispatch/result.ts';
import { OutputWorker, type DeliveryJournal, type DeliverySettings } from '../../src/dispatch/worker.ts';
import { freezeAlert, toAlert, type Alert } from '../../src/alert/alert.ts';
import type { Priority } from '../../src/alert/priority.ts';
import type { AnyOutputPlugin, SendContext } from '../../src/plugin/types.ts';
import { Metrics } from '../../src/telemetry/metrics.ts';
import { FakeClock } from './fake-clock.ts';
import { metricSum } from './metrics.ts';

export type Responder = (alerts: readonly Alert[], ctx: SendContext<unknown, unknown>) => Promise<SendResult>;

export function settings(overrides: Partial<DeliverySettings> = {}): DeliverySettings {
  return {
    timeoutms: 1000,
    maxconcurrency: 1,
    retry: { initialbackoffms: 100, maxbackoffms: 10_000, maxattempts: 0, maxagems: 0, probems: 0 },
    queue: { maxalerts: 1000, maxbytes: 1_000_000 },
    batch: { maxevents: 10, maxbytes: 1_000_000, flushms: 50 },
    sendrate: { requestspersecond: 0, burst: 1 },
    ...overrides,
  };
}

let n = 0;
export function alert(priority: Priority = 'Warning'): Alert {
  return freezeAlert(toAlert({ priority, rule: 'r', time: '2026-11-20T10:21:36Z', output_fields: { n: n++ } }, () => `id-${n}`));
}

export function harness(respond: Responder, overrides: Partial<DeliverySettings> = {}, plugin: Partial<AnyOutputPlugin> = {}, journal?: DeliveryJournal) {
  const clock = new FakeClock();
  const metrics = new Metrics({ defaultMetrics: false });
  const deadLetters = new MemoryDeadLetterStore(1000);
  const calls: Alert[][] = [];
  const fullPlugin: AnyOutputPlugin = {
    name: 'fake',
    description: 'scripted',
    schema: z.object({}),
    example: {},
    enabled: () => true,
    sendBatch: async (alerts, ctx) => {
      calls.push([...alerts]);
      return respond(alerts, ctx as SendContext<unknown, unknown>);
    },
    ...plugin,
  };
  const worker = new OutputWorker('fake', fullPlugin, {}, settings(overrides), {
    clock,
    metrics,
    log: pino({ level: 'silent' }),
    deadLetters,
    connect: { tls: { cacertfile: '', certfile: '', keyfile: '', mutualcacertfile: '' }, userAgent: 'test', shared: {} },
    random: () => 1,
    healthIntervalMs: 0,
    // Real ms: a send that ignores its abort is given up on this long after its timeout (stuck-plugin.test.ts).
    abortGraceMs: 200,
    ...(journal ? { journal } : {}),
  });
  const counter = (name: string, labels: Record<string, string> = {}, series?: '_count' | '_sum') => metricSum(metrics.registry, name, labels, series);
  return { worker, clock, metrics, deadLetters, calls, counter };
}
