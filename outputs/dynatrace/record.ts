// One alert as the Dynatrace log record falcosidekick's dynatrace output builds (newDynatracePayload):
// Dynatrace's semantic attributes (event.*, severity, host.name, log.source, container.*, k8s.*,
// process.executable.name, span.id, mitre.*) beside the alert under `content`. Keys in falcosidekick's
// order; an empty value left out, as Go's omitempty does.
import type { Alert } from '../../src/plugin/index.ts';

/** Output fields falcosidekick copies to a semantic attribute (k8s.ns.name wins over ka.target.namespace). */
const SEMANTIC: readonly (readonly [string, readonly string[]])[] = [
  ['container.id', ['container.id']],
  ['container.name', ['container.name']],
  ['container.image.name', ['container.image']],
  ['k8s.namespace.name', ['k8s.ns.name', 'ka.target.namespace']],
  ['k8s.pod.name', ['k8s.pod.name']],
  ['k8s.pod.uid', ['k8s.pod.id']],
  ['process.executable.name', ['proc.name']],
  ['span.id', ['span.id']],
];

// falcosidekick's MitreTechniqueRegEx and MitreTacticRegEx, unanchored as Go's MatchString uses them.
const TECHNIQUE = /T\d+\.?\d*/;
const TACTIC = /mitre_\w+/;

/** RFC 3339 to the second, as Go's time.Format(time.RFC3339): no fraction, "Z" for a zero offset. */
export function secondsTimestamp(time: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.exec(time);
  if (!m) return time;
  const zone = (m[2] as string).toUpperCase();
  return `${m[1]}${zone === '+00:00' || zone === '-00:00' ? 'Z' : zone}`;
}

/** An output field as the attribute's text; numbers and booleans by their JSON text (falcosidekick's type assertion drops the alert). */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function mitre(tags: readonly string[]): { technique: string; tactic: string } {
  let technique = '';
  let tactic = '';
  for (const tag of tags) {
    if (TECHNIQUE.test(tag)) technique = tag;
    else if (TACTIC.test(tag)) tactic = tag;
  }
  return { technique, tactic };
}

/** The alert's log record, as JSON text (big integers of output_fields keep every digit: they are raw JSON values). */
export function logRecord(alert: Alert): string {
  const fields = alert.output_fields;
  const record: Record<string, unknown> = { timestamp: secondsTimestamp(alert.time) };
  const put = (key: string, value: string) => {
    if (value !== '') record[key] = value;
  };
  put('event.id', alert.uuid);
  put('event.name', alert.rule);
  put('event.provider', 'Falco');
  put('severity', alert.priority);
  put('host.name', alert.hostname ?? '');
  put('log.source', alert.source);
  record.content = { output: alert.output, output_fields: fields, ...(alert.tags.length > 0 ? { tags: alert.tags } : {}) };
  const { technique, tactic } = mitre(alert.tags);
  put('mitre.technique', technique);
  put('mitre.tactic', tactic);
  for (const [attribute, names] of SEMANTIC) {
    const name = names.find((n) => fields[n] !== undefined && fields[n] !== null);
    put(attribute, name === undefined ? '' : text(fields[name]));
  }
  return JSON.stringify(record);
}
