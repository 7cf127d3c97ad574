// falcosidekick's falcosecurity_falco_rules_matches_total as a cumulative counter: one count per
// alert, per attribute set (handlers.go, otlp_metrics.go):
//   source, priority, rule, hostname ("unknown" when the alert has none), tags (the list), each
//   global customfield and each `extraattributes` field, named with dots as underscores; an
//   extraattributes field's value is its text, "" when absent or not text (falcosidekick's rule).
// Attributes in key order, as the OTel SDKs keep an attribute set (a later key of the same name wins).
// At most CARDINALITY_LIMIT sets, the OTel SDKs' default: beyond it alerts count into one set
// carrying only otel.metric.overflow=true, as the OTel metrics SDK specification says.
import type { Alert } from '../../src/plugin/index.ts';
import type { KeyValue, Value } from '../otlp/any-value.ts';
import { ATTRIBUTE_NAME, attributeName } from './options.ts';

export const CARDINALITY_LIMIT = 2000;

export interface Series {
  attributes: readonly KeyValue[];
  count: number;
}

/** The counts so far, by attribute set (its canonical text). */
export type Counts = ReadonlyMap<string, Series>;

const OVERFLOW: Series = { attributes: [{ key: 'otel.metric.overflow', value: { kind: 'bool', value: true } }], count: 0 };
const OVERFLOW_KEY = JSON.stringify(OVERFLOW.attributes);

const text = (value: string): Value => ({ kind: 'string', value });

export interface AttributePlan {
  /** [attribute name, output field] of the global customfields whose name is valid. */
  customfields: readonly (readonly [string, string])[];
  /** [attribute name, output field] of `extraattributes`. */
  extra: readonly (readonly [string, string])[];
}

/** The plan from the customfields keys (an invalid name is skipped, as falcosidekick does) and extraattributes. */
export function attributePlan(customfields: readonly string[], extraattributes: readonly string[]): { plan: AttributePlan; skipped: string[] } {
  const valid = customfields.filter((field) => ATTRIBUTE_NAME.test(attributeName(field)));
  return {
    plan: { customfields: valid.map((f) => [attributeName(f), f]), extra: extraattributes.map((f) => [attributeName(f), f]) },
    skipped: customfields.filter((field) => !valid.includes(field)),
  };
}

export function attributesOf(alert: Alert, plan: AttributePlan): KeyValue[] {
  const fieldText = (field: string) => {
    const v = alert.output_fields[field];
    return typeof v === 'string' ? v : '';
  };
  const set = new Map<string, Value>([
    ['source', text(alert.source)],
    ['priority', text(alert.priority)],
    ['rule', text(alert.rule)],
    ['hostname', text(alert.hostname || 'unknown')],
    ['tags', { kind: 'array', values: alert.tags.map(text) }],
  ]);
  for (const [name, field] of plan.customfields) set.set(name, text(fieldText(field)));
  for (const [name, field] of plan.extra) set.set(name, text(fieldText(field)));
  return [...set.keys()].sort().map((key) => ({ key, value: set.get(key) as Value }));
}

/** The counts after adding `alerts` to `counts`, which is left as it was. */
export function addAlerts(counts: Counts, alerts: readonly Alert[], plan: AttributePlan): Map<string, Series> {
  const next = new Map<string, Series>();
  for (const [key, series] of counts) next.set(key, { ...series });
  for (const alert of alerts) {
    const attributes = attributesOf(alert, plan);
    let key = JSON.stringify(attributes);
    let series = next.get(key);
    if (!series) {
      const regular = next.size - (next.has(OVERFLOW_KEY) ? 1 : 0);
      if (regular < CARDINALITY_LIMIT - 1) next.set(key, (series = { attributes, count: 0 }));
      else {
        key = OVERFLOW_KEY;
        series = next.get(key) ?? { ...OVERFLOW };
        next.set(key, series);
      }
    }
    series.count++;
  }
  return next;
}
