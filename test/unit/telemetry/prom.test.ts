// src/telemetry/prom.ts requires prom-client file by file (its index loads @opentelemetry/api):
// the default metrics it registers must stay prom-client's, metric for metric, in the same order.
import * as PromClient from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Counter, Registry, collectDefaultMetrics } from '../../../src/telemetry/prom.ts';

const shape = async (registry: PromClient.Registry) => (await registry.getMetricsAsJSON()).map(({ name, help, type }) => ({ name, help, type }));

describe('prom.ts', () => {
  it('registers the metrics of prom-client\'s collectDefaultMetrics: same names, help, types and order', async () => {
    const theirs = new PromClient.Registry();
    PromClient.collectDefaultMetrics({ register: theirs });
    const ours = new Registry();
    collectDefaultMetrics(ours);
    const expected = await shape(theirs);
    expect(expected.length).toBeGreaterThan(20);
    expect(await shape(ours)).toEqual(expected);
  });

  it('exports the classes prom-client\'s index exports (one module instance)', () => {
    expect(Counter).toBe(PromClient.Counter);
    expect(Registry).toBe(PromClient.Registry);
  });

  it('the CPU counters carry no labels and add up: total = user + system', async () => {
    const registry = new Registry();
    collectDefaultMetrics(registry);
    let spin = 0;
    for (let i = 0; i < 2e6; i++) spin += Math.sqrt(i);
    expect(spin).toBeGreaterThan(0);
    const text = await registry.metrics();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    const [user, system, total] = [value('process_cpu_user_seconds_total'), value('process_cpu_system_seconds_total'), value('process_cpu_seconds_total')];
    expect(user).toBeGreaterThan(0);
    expect(total).toBeCloseTo(user + system, 6);
  });
});
