// Limits on the shape of one alert, checked on the parsed value before validation, enrichment or
// queueing, in one iterative walk (no recursion: depth cannot overflow the stack). Falco's alerts
// are flat maps of a few dozen scalar fields; what is far outside that is refused with a clear 400
// instead of costing seconds of event loop or failing later, after the alert was queued:
// - nesting deeper than MAX_DEPTH; more than `maxfields` keys in all (a 200k-key object blocked the
//   loop for seconds per alert);
// - a number JSON.parse turned into Infinity (1e400): JSON.stringify would send it as null
//   (falcosidekick keeps its text: a json.Number);
// - an own key `toString` or `valueOf` holding data: it shadows the method every String(value),
//   template and label uses, so the alert would fail in an output after it was acknowledged;
// - an integer beyond 2^53 (held exactly, as a JSON.rawJSON object: alert/json.ts) as the alert or as
//   its output_fields: the schema's object checks would take it for an object.
import { ErrorCodes, RequestError } from '../errors.ts';

export const MAX_DEPTH = 32;
const SHADOWING = new Set(['toString', 'valueOf']);

export interface ShapeLimits {
  maxfields: number;
}

const invalid = (message: string, path: string) => new RequestError(ErrorCodes.ALERT_INVALID, 400, message, path);

/** An object or array still to walk; its dotted path is built only for an error message. */
interface Pending {
  value: object;
  depth: number;
  parent: Pending | undefined;
  key: string;
}

/** undefined when the value is within the limits; the reason (with its dotted path) otherwise. */
export function checkShape(value: unknown, limits: ShapeLimits): RequestError | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (JSON.isRawJSON(value)) return invalid('an alert is a JSON object of fields, not a number', '');
  const fields = (value as { output_fields?: unknown }).output_fields;
  if (JSON.isRawJSON(fields)) return invalid('output_fields must be an object of fields, not a number', 'output_fields');
  let keys = 0;
  // No allocation per key: this runs on every alert, and an alert is a few dozen keys.
  const stack: Pending[] = [{ value, depth: 0, parent: undefined, key: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.depth > MAX_DEPTH) return invalid(`nested deeper than ${MAX_DEPTH} levels at "${pathOf(item)}": Falco alerts are flat maps of fields`, pathOf(item));
    if (JSON.isRawJSON(item.value)) continue;
    const list = Array.isArray(item.value) ? (item.value as unknown[]) : undefined;
    const names = list ? undefined : Object.keys(item.value);
    const count = list ? list.length : (names as string[]).length;
    // Count first, stopping at the limit: walking 200k keys costs more than all the rest.
    keys += count;
    if (keys > limits.maxfields) {
      return invalid(`more than ${limits.maxfields} keys and list items in one alert (ingest.maxfields): Falco alerts carry a few dozen fields`, pathOf(item));
    }
    for (let i = 0; i < count; i++) {
      const key = names ? (names[i] as string) : undefined;
      const v = key === undefined ? (list as unknown[])[i] : (item.value as Record<string, unknown>)[key];
      if (key !== undefined && SHADOWING.has(key)) return invalid(`the key "${key}" is not allowed in alert data (it shadows a method every output uses to print values)`, pathOf(item, key));
      if (typeof v === 'number' && !Number.isFinite(v)) return invalid('a number beyond the range of a 64-bit float (e.g. 1e400) cannot be held (it would be sent as null); send it as a string', pathOf(item, key ?? String(i)));
      if (v !== null && typeof v === 'object') stack.push({ value: v, depth: item.depth + 1, parent: item, key: key ?? String(i) });
    }
  }
  return undefined;
}

/** The dotted path of `item` (and of its child `key`), at most 200 characters. */
function pathOf(item: Pending, key?: string): string {
  const parts = key === undefined ? [] : [key];
  for (let at: Pending | undefined = item; at?.parent !== undefined; at = at.parent) parts.push(at.key);
  return cut(parts.reverse().join('.'));
}

/** A path for an error message: at most 200 characters. */
function cut(path: string): string {
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}
