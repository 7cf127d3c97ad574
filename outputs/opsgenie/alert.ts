// Alert → Opsgenie Alert API create-alert request (docs.opsgenie.com "Alert API", Create Alert):
// message ≤ 130 characters (required), alias ≤ 512, description ≤ 15000, tags ≤ 20 of ≤ 50
// characters, details string → string and ≤ 8000 characters in all, entity ≤ 512, source ≤ 100,
// priority P1–P5. Everything is cut to fit: Opsgenie must never refuse an alert for its length.
import { newFields, scalarText, stableKey, truncate, type Alert, type Priority } from '../../src/plugin/index.ts';
import type { OpsgenieOptions } from './options.ts';

const LIMITS = { message: 130, alias: 512, description: 15_000, tags: 20, tag: 50, details: 8000, entity: 512, source: 100 } as const;

/** falcosidekick's mapping (outputs/opsgenie.go). */
const PRIORITY: Record<Priority, 'P1' | 'P2' | 'P3' | 'P4' | 'P5'> = {
  Emergency: 'P1',
  Alert: 'P1',
  Critical: 'P2',
  Error: 'P3',
  Warning: 'P4',
  Notice: 'P5',
  Informational: 'P5',
  Debug: 'P5',
};

export interface CreateAlert {
  message: string;
  alias?: string;
  description: string;
  tags: string[];
  details: Record<string, string>;
  entity: string;
  source: string;
  priority: (typeof PRIORITY)[Priority];
}

export function toCreateAlert(alert: Alert, options: Pick<OpsgenieOptions, 'dedupfields' | 'entity'>): CreateAlert {
  const text = alert.output.trim() || `${alert.priority}: ${alert.rule}`;
  const request: CreateAlert = {
    message: truncate(text, LIMITS.message),
    description: truncate(text, LIMITS.description),
    tags: [...new Set(alert.tags.map((t) => truncate(t, LIMITS.tag)))].slice(0, LIMITS.tags),
    details: details(alert),
    entity: truncate(options.entity, LIMITS.entity),
    source: truncate(alert.hostname || 'falco', LIMITS.source),
    priority: PRIORITY[alert.priority],
  };
  const alias = stableKey(alert, options.dedupfields);
  if (alias) request.alias = alias; // 64 hex characters, within the 512 allowed
  return request;
}

/**
 * falcosidekick's details (output fields with "." → "_", then source, rule, priority, hostname,
 * tags), as strings, within Opsgenie's 8000 characters: the alert's own keys first, then output
 * fields in order while they fit; what does not fit is named in `omitted`.
 */
function details(alert: Alert): Record<string, string> {
  const own: [string, string | undefined][] = [
    ['rule', alert.rule],
    ['priority', alert.priority],
    ['source', alert.source],
    ['hostname', alert.hostname],
    ['tags', alert.tags.length ? alert.tags.join(', ') : undefined],
    ['uuid', alert.uuid],
  ];
  const fields = Object.entries(alert.output_fields).map(([k, v]): [string, string | undefined] => [k.replaceAll('.', '_'), scalarText(v)]);
  // Null prototype: `key in out` saw Object.prototype's members, so fields named `constructor` or
  // `hasOwnProperty` were left out, and not named in `omitted` either.
  const out = newFields<string>();
  const omitted: string[] = [];
  let budget = LIMITS.details - 200; // room for `omitted`
  // An output field's "" is sent, as falcosidekick sends it (a filter may test for it); an own key's is not.
  for (const [key, value] of [...own.filter(([, v]) => v !== ''), ...fields]) {
    if (value === undefined || key in out) continue;
    if (key.length + value.length <= budget) {
      out[key] = value;
      budget -= key.length + value.length;
    } else if (budget - key.length > 64) {
      out[key] = truncate(value, budget - key.length);
      budget = 0;
    } else omitted.push(key);
  }
  if (omitted.length > 0) out.omitted = truncate(`over Opsgenie's 8000 characters: ${omitted.join(', ')}`, 190);
  return out;
}
