// Label names and values Alertmanager accepts, built the way falcosidekick builds them.
import { priorityRank, scalarText, type Priority } from '../../src/plugin/index.ts';
import { LABEL_NAME, type DropThreshold } from './options.ts';

/**
 * falcosidekick's alertmanagerSafeLabel (every character outside [a-zA-Z0-9_] becomes "_", "__"
 * becomes "_" once, leading and trailing "_" go), so routes written against its labels match
 * (k8s.ns.name → k8s_ns_name, proc.aname[2] → proc_aname_2). Then what it missed: a name that
 * would start with a digit gets a "_" in front (classic Alertmanager refuses the whole alert
 * otherwise), and a name with nothing left is undefined (the field is skipped).
 */
export function safeLabelName(field: string): string | undefined {
  const name = field.replace(/[^a-zA-Z0-9_]/g, '_').replaceAll('__', '_').replace(/_+$/, '').replace(/^_+/, '');
  if (name === '') return undefined;
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * A label or annotation value as Alertmanager stores it: valid UTF-8 (a lone surrogate would reach
 * it as U+FFFD anyway; we send that), and undefined for "" (Alertmanager drops empty labels).
 */
export function labelValue(text: string): string | undefined {
  return text === '' ? undefined : text.toWellFormed();
}

/** An output field's value as a label: strings and numbers (big integers exact), as falcosidekick; anything else is skipped. */
export function fieldLabelValue(value: unknown): string | undefined {
  if (typeof value === 'boolean') return undefined; // falcosidekick keeps strings and json.Number only
  const text = scalarText(value);
  return text === undefined ? undefined : labelValue(text);
}

export interface DropLabel {
  value: string;
  /** The priority the alert is raised to (never lowered). */
  atLeast: Priority;
}

/**
 * falcosidekick's treatment of a syscall-drop counter (an `n_drop*` field, a string or a number): 0
 * becomes "0" and raises the alert to Warning; a count above a threshold becomes ">threshold" and
 * raises it to that threshold's priority; any other count stays as it is and raises it to
 * `dropeventdefaultpriority`. Undefined when the value is not an integer (the label is left out).
 */
export function dropLabel(value: unknown, thresholds: readonly DropThreshold[], fallback: Priority): DropLabel | undefined {
  const text = scalarText(value)?.trim();
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const count = Number(text); // drop counts stay far below 2^53; the label keeps the exact text
  if (count === 0) return { value: '0', atLeast: 'Warning' };
  const above = thresholds.find((t) => count > t.value);
  return above ? { value: `>${above.value}`, atLeast: above.priority } : { value: text, atLeast: fallback };
}

export function higher(a: Priority, b: Priority): Priority {
  return priorityRank(b) > priorityRank(a) ? b : a;
}

/** An n_drop* name is already safe in practice; sanitise it only when it is not. */
export function dropLabelName(field: string): string | undefined {
  return LABEL_NAME.test(field) ? field : safeLabelName(field);
}
