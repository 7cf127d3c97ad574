// The alertmanager output's options: falcosidekick's keys, spellings and defaults (2.34.1
// config.go, docs/outputs/alertmanager.md), validated at load instead of logged and skipped.
import { commaList, customHeaders, httpUrl, keyValueMap, parsePriority, PRIORITY_NAMES, tlsShape, z, type Priority } from '../../src/plugin/index.ts';

/** Prometheus' classic label name: valid in every Alertmanager mode (classic, UTF-8, fallback). */
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** falcosidekick's documented default (its config.go writes it with ':' for ',', which parses as one bogus entry). */
const DEFAULT_DROP_THRESHOLDS = '10000:critical, 1000:critical, 100:critical, 10:warning, 1:warning';

export interface DropThreshold {
  value: number;
  priority: Priority;
}

const priority = (what: string) =>
  z.string().refine((v) => parsePriority(v) !== undefined, { error: (issue) => `${what} "${String(issue.input)}" is not a Falco priority (${PRIORITY_NAMES})` });

const namedMap = (what: string) =>
  keyValueMap()
    .superRefine((map, ctx) => {
      for (const name of Object.keys(map)) {
        if (!LABEL_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `${what} name "${name}" is not valid: use [a-zA-Z_][a-zA-Z0-9_]*` });
      }
    })
    .default({});

export const alertmanagerSchema = z.object({
  hostport: commaList(httpUrl('http://alertmanager:9093').transform((url) => url.replace(/\/+$/, '')))
    .default([])
    .describe(
      'Alertmanager base URLs, a list or a comma-separated string (http://am-0:9093,http://am-1:9093). Every one receives every alert (Alertmanager replicas do not share alerts they were not sent). Setting it turns the output on.',
    ),
  endpoint: z
    .string()
    .regex(/^\//, 'must be a path starting with /')
    .default('/api/v2/alerts')
    .describe('Path appended to each hostport. /api/v1/alerts was removed in Alertmanager 0.27 (it answers 410).'),
  expiresafter: z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Seconds after the alert time at which Alertmanager considers the alert resolved (endsAt). 0: no endsAt, Alertmanager resolves it after its resolve_timeout.'),
  extralabels: namedMap('label').describe('Labels added to every alert (they win over the ones built from the alert). Env: ALERTMANAGER_EXTRALABELS="team:sec,env:prod".'),
  extraannotations: namedMap('annotation').describe('Annotations added to every alert. Env: ALERTMANAGER_EXTRAANNOTATIONS="runbook:https://wiki/falco".'),
  customseveritymap: keyValueMap()
    .superRefine((map, ctx) => {
      for (const key of Object.keys(map)) {
        if (parsePriority(key) === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" is not a Falco priority (${PRIORITY_NAMES})` });
      }
    })
    .transform((map): Partial<Record<Priority, string>> => Object.fromEntries(Object.entries(map).map(([k, v]) => [parsePriority(k) as Priority, v.trim()])))
    .default({})
    .describe(
      'Falco priority → value of the severity label, overriding the default (Emergency/Alert/Critical: critical, Error/Warning: warning, the rest: information). Env: ALERTMANAGER_CUSTOMSEVERITYMAP="error:major,notice:minor".',
    ),
  dropeventdefaultpriority: priority('dropeventdefaultpriority')
    .default('critical')
    .transform((v) => parsePriority(v) as Priority)
    .describe('Priority a syscall-drop alert (n_drops* fields) is raised to when no threshold matches its drop count.'),
  dropeventthresholds: z
    .string()
    .default(DEFAULT_DROP_THRESHOLDS)
    .transform((raw, ctx) => parseThresholds(raw, (message) => ctx.issues.push({ code: 'custom', message, input: raw })))
    .describe(
      'For syscall-drop alerts: "count:priority" pairs; a drop count above a threshold sets its n_drops* label to ">count" and raises the priority to at least that one (highest threshold first).',
    ),
  customheaders: customHeaders('Extra request headers (e.g. Authorization for an authenticating proxy). Env: ALERTMANAGER_CUSTOMHEADERS="Authorization:Bearer x".'),
  ...tlsShape,
});

export type AlertmanagerOptions = z.output<typeof alertmanagerSchema>;

/** "10000:critical, 10:warning" → thresholds, highest first. Each bad entry is reported. */
export function parseThresholds(raw: string, report: (message: string) => void): DropThreshold[] {
  const out: DropThreshold[] = [];
  for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)\s*:\s*(\S+)$/.exec(entry);
    const parsed = m ? parsePriority(m[2] as string) : undefined;
    if (!m || parsed === undefined) {
      report(`threshold "${entry}" must be <count>:<priority>, e.g. 100:critical`);
      continue;
    }
    out.push({ value: Number(m[1]), priority: parsed });
  }
  return out.sort((a, b) => b.value - a.value);
}
