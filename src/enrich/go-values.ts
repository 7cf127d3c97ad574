// The values a translated Go template works on, typed the way falcosidekick's Go sees them.
// falcosidekick decodes alerts with json.Decoder.UseNumber, so every number in output_fields is a
// json.Number: a string type holding the JSON text. That is why `{{ if .proc.pid }}` is true even
// for 0, `eq .n "1.0"` is true, `len .n` counts characters and `print .a .b` puts no space between
// two numbers. Handlebars templates keep plain JavaScript values; only Go templates see this view.
import type { TemplateContext } from './templates.ts';

/** A number from output_fields as Go's json.Number: its text (as Peregrine parsed it: `1.0` reads `1`). */
export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/**
 * An error Go would raise, carried as a value instead of thrown: Go's `and`/`or` stop at the first
 * deciding argument and never evaluate the rest, but Handlebars evaluates every sub-expression first.
 * A failure is thrown only when a helper that Go would have reached receives it.
 */
export class GoFailure {
  readonly error: Error;
  constructor(error: Error) {
    this.error = error;
  }
}

const views = new WeakSet<object>();
const cache = new WeakMap<TemplateContext, TemplateContext>();

/** Whether a Handlebars root is a Go view (helpers then follow Go's rules for failures). */
export function isGoView(root: unknown): boolean {
  return typeof root === 'object' && root !== null && views.has(root);
}

/**
 * The context as falcosidekick's Go sees it: numbers in output_fields as json.Number, a missing
 * hostname as "" (a Go string field). Built once per alert context, shared by its Go templates.
 * `fields` are the alert's own (big integers still raw JSON, not yet the digit strings of `context`).
 */
export function goView(context: TemplateContext, fields: Readonly<Record<string, unknown>> = context.output_fields): TemplateContext {
  let view = cache.get(context);
  if (view === undefined) {
    view = { ...context, hostname: context.hostname ?? '', output_fields: goFields(fields) as Record<string, unknown> };
    views.add(view);
    cache.set(context, view);
  }
  return view;
}

function goFields(value: unknown): unknown {
  if (typeof value === 'number') return new JsonNumber(numberText(value));
  if (typeof value === 'bigint') return new JsonNumber(value.toString());
  if (value === null || typeof value !== 'object') return value;
  if (JSON.isRawJSON(value)) return new JsonNumber(value.rawJSON);
  if (Array.isArray(value)) return value.map(goFields);
  const out: Record<string, unknown> = {};
  // defineProperty: a field named __proto__ (JSON.parse makes it an own key) must stay a field, not become the prototype.
  for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: goFields(item), enumerable: true, writable: true, configurable: true });
  return out;
}

// JSON's text for a parsed number as Peregrine keeps it: -0 was written "-0" (JSON.parse keeps the sign).
function numberText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Go's name for a value's dynamic type, as fmt's %T and error messages print it. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (value instanceof JsonNumber) return 'json.Number';
  if (typeof value === 'number') return isGoInt(value) ? 'int' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}

/**
 * A template number is an int when integral and within int64 (Go's literal `3.0` is indistinguishable
 * here); -0 and integral values past 2^63 (`1e21`) can only be float64.
 */
export function isGoInt(value: number): boolean {
  return Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 63;
}

/** Text-like values: strings and json.Number (a string type in Go). */
export function stringLike(value: unknown): string | undefined {
  return typeof value === 'string' ? value : value instanceof JsonNumber ? value.text : undefined;
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber) && !(value instanceof GoFailure);
}
