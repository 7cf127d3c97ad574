// Before zod sees the input: match keys case-insensitively (falcosidekick's viper does), and sort
// unknown keys into typos (errors, with a suggestion), falcosidekick outputs Peregrine does not
// have (a loud warning when configured) and the rest (a warning).
import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import type { ConfigProblem } from '../errors.ts';
import { envName, objectShape } from './introspect.ts';

// Outputs and keys of falcosidekick that Peregrine does not implement (yet), as dotted YAML paths
// (its AWS outputs live under `aws:`, some of which Peregrine has).
export const FALCOSIDEKICK_ONLY: ReadonlySet<string> = new Set(
  ('slack rocketchat mattermost teams webex datadog datadoglogs discord alertmanager quickwit influxdb loki sumologic nats stan ' +
    'aws.lambda aws.kinesis aws.securitylake opsgenie statsd dogstatsd cloudevents azure gcp googlechat kafkarest pagerduty kubeless openfaas tekton webui policyreport ' +
    'rabbitmq wavefront fission grafana grafanaoncall yandex syslog mqtt zincsearch gotify spyderbat timescaledb redis telegram n8n ' +
    'openobserve dynatrace otlp talon falcotalon zohocliq cliq prometheus nodered logstash sumologic').split(' '),
);

export interface KeyCheck {
  value: Record<string, unknown>;
  problems: ConfigProblem[];
  warnings: string[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= Math.min(2, Math.floor(key.length / 3)) ? best : undefined;
}

function configured(value: unknown): boolean {
  if (isPlainObject(value)) return Object.values(value).some(configured);
  if (Array.isArray(value)) return value.length > 0;
  return value !== '' && value !== null && value !== undefined && value !== false && value !== 0;
}

export function checkKeys(schema: z.ZodType, input: Record<string, unknown>): KeyCheck {
  const result: KeyCheck = { value: {}, problems: [], warnings: [] };
  result.value = walk(schema, input, [], result);
  return result;
}

function walk(schema: z.ZodType, input: Record<string, unknown>, path: string[], out: KeyCheck): Record<string, unknown> {
  const shape = objectShape(schema) as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  const value: Record<string, unknown> = {};
  for (const [rawKey, child] of Object.entries(input)) {
    const key = shape[rawKey] ? rawKey : shape[rawKey.toLowerCase()] ? rawKey.toLowerCase() : undefined;
    const here = [...path, key ?? rawKey];
    if (key) {
      const childSchema = shape[key] as z.ZodType;
      value[key] = objectShape(childSchema) && isPlainObject(child) ? walk(childSchema, child, here, out) : child;
      continue;
    }
    const dotted = here.join('.');
    if (FALCOSIDEKICK_ONLY.has([...path, rawKey.toLowerCase()].join('.'))) {
      if (configured(child)) out.warnings.push(`"${dotted}" is a falcosidekick output that Peregrine does not have: alerts will NOT be sent there`);
      continue;
    }
    const suggestion = closest(rawKey, known);
    if (suggestion) {
      out.problems.push({ path: dotted, message: `unknown key; did you mean "${[...path, suggestion].join('.')}"?`, env: envName([...path, suggestion]) });
    } else {
      out.warnings.push(`unknown key "${dotted}" ignored`);
    }
  }
  return value;
}
