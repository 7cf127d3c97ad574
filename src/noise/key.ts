// Dedupe keys and sample fields: paths into an alert (rule, hostname, output_fields.k8s.pod.name),
// compiled once at load into getters, so building a key per alert is a few property reads and one join.
import type { Alert } from '../alert/alert.ts';
import { bracketName } from '../alert/fields.ts';
import { fieldText } from '../routing/compile.ts';

export type FieldGetter = (alert: Alert) => string | undefined;

const TOP_LEVEL: Record<string, FieldGetter> = {
  rule: (a) => a.rule,
  priority: (a) => a.priority,
  source: (a) => a.source,
  hostname: (a) => a.hostname,
  output: (a) => a.output,
  tags: (a) => (a.tags.length ? a.tags.join(',') : undefined),
};
const FIELDS = 'output_fields.';

export function keyPathProblem(path: string): string | undefined {
  if (Object.hasOwn(TOP_LEVEL, path)) return undefined;
  if (path.startsWith(FIELDS) && path.length > FIELDS.length) return undefined;
  return `unknown key "${path}"; use ${Object.keys(TOP_LEVEL).join(', ')} or output_fields.<field> (e.g. output_fields.k8s.pod.name)`;
}

/**
 * A getter for a key or sample path. `bracketreplacer` is the global one: enrichment has renamed
 * proc.aname[2] to proc.aname_2 by then, so the field is read under that name (as routing does).
 */
export function compileGetter(path: string, bracketreplacer = ''): FieldGetter {
  const top = Object.hasOwn(TOP_LEVEL, path) ? TOP_LEVEL[path] : undefined;
  if (top) return top;
  // Everything after "output_fields." is the field name, dots and brackets included (k8s.ns.name, proc.aname[2]).
  const field = bracketName(path.slice(FIELDS.length), bracketreplacer);
  return (a) => fieldText(a.output_fields[field]);
}

// A key is its values joined by \u0000, a missing field being \u0001 (distinct from ""). Values are
// alert content, which may hold either character (a JSON \u0000 escape, an argv byte): they become
// U+FFFD in the key, so that no value can pass for the separator or the marker: the parts of a key
// stay the parts it was made of (values differing only there, a U+0000 against a U+FFFD, share one).
const MISSING = '\u0001';
const SEPARATOR = '\u0000';
const part = (value: string | undefined): string =>
  value === undefined ? MISSING : value.includes(SEPARATOR) || value.includes(MISSING) ? value.replaceAll(SEPARATOR, '\uFFFD').replaceAll(MISSING, '\uFFFD') : value;

/** Builds the key of an alert: the values of `paths`, joined. */
export function compileKey(paths: readonly string[], bracketreplacer = ''): (alert: Alert) => string {
  const getters = paths.map((path) => compileGetter(path, bracketreplacer));
  if (getters.length === 1) {
    const only = getters[0] as FieldGetter;
    return (a) => part(only(a));
  }
  return (a) => {
    let key = part(getters[0]?.(a));
    for (let i = 1; i < getters.length; i++) key += SEPARATOR + part((getters[i] as FieldGetter)(a));
    return key;
  };
}
