// Noise control under a fake clock, without an app: sections parsed by the real schema, summaries
// collected, targets are plain names.
import pino from 'pino';
import { z } from 'zod';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { NoiseControl, type Target } from '../../../src/noise/noise.ts';
import { noiseOutputShape, SilencesSchema } from '../../../src/noise/schema.ts';
import { Metrics } from '../../../src/telemetry/metrics.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { fixtureText } from '../../support/fixtures.ts';

const template = parseJson(fixtureText('alerts/falco-shell.json')) as AlertInput;
let seq = 0;

/** The shell fixture with top-level `changes`; `fields` replace or (with undefined) remove output fields. */
export function shell(changes: Partial<AlertInput> = {}, fields: Record<string, unknown> = {}): Alert {
  const outputFields: Record<string, unknown> = { ...template.output_fields, ...fields };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete outputFields[key];
  return freezeAlert(toAlert({ ...template, ...changes, output_fields: outputFields }, () => `a-${++seq}`));
}

export interface Harness {
  noise: NoiseControl;
  clock: FakeClock;
  metrics: Metrics;
  summaries: { output: string; alert: Alert }[];
  /** The outputs the alert goes to (of `targets`). */
  admit(alert: Alert, targets?: string[]): string[];
}

export function harness(sections: Record<string, unknown>, silences: unknown[] = [], clock = new FakeClock(), bracketreplacer = ''): Harness {
  const schema = z.object(noiseOutputShape);
  const parsed = Object.entries(sections).map(([name, section]) => ({ name, options: schema.parse(section) }));
  const metrics = new Metrics({ defaultMetrics: false });
  const summaries: Harness['summaries'] = [];
  const noise = new NoiseControl(parsed, SilencesSchema.parse(silences), {
    clock,
    metrics,
    log: pino({ level: 'silent' }),
    emit: (output, alert) => summaries.push({ output, alert }),
    bracketreplacer,
  });
  const names = Object.keys(sections);
  return {
    noise,
    clock,
    metrics,
    summaries,
    admit(alert, targets = names) {
      const out = noise.admit<Target>(targets.map((name) => ({ name })), alert);
      if (out instanceof Promise) throw new Error('memory noise control answered asynchronously');
      return out.map((t) => t.name);
    },
  };
}
