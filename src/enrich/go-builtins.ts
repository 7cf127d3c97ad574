// text/template's builtin functions with Go's rules, on the values go-values.ts describes:
// comparisons that refuse mismatched types, index and slice that fail out of range, field chains
// that walk nested maps, and the html/js/urlquery escapers. One deliberate extension: a number
// field (or integer text) compares with a number by value (`gt .proc.pid 1000`), where Go fails
// with "incompatible types" (docs/falcosidekick-differences.md).
import { goSprint, isPrint } from './go-format.ts';
import { goTypeName, isGoInt, isMap, JsonNumber, stringLike } from './go-values.ts';

/** Go's notion of truth: false, 0, "", nil, empty list and empty map are false; a json.Number is text, never empty. */
export function isTrue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (value instanceof JsonNumber) return value.text.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

type Kind = 'nil' | 'bool' | 'number' | 'string' | 'other';

function kind(value: unknown): Kind {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (stringLike(value) !== undefined) return 'string';
  return 'other';
}

// Up to 40 digits: every integer Falco sends (64-bit) and then some. A longer one is not compared
// as a number: BigInt of a 4-million-digit string took 1.7 s per alert.
const INTEGER_TEXT = /^-?\d{1,40}$/;
const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The extension: a json.Number, or a string of an integer, against a number compares by value
 * (integers exactly). Falco's numeric fields are numbers, and some senders write integers as strings
 * ("9223372036854775807"); `gt .proc.pid 1000` is what such a template means.
 */
function numericPair(a: unknown, b: unknown): [number | bigint, number | bigint] | undefined {
  const num = typeof a === 'number' ? a : typeof b === 'number' ? b : undefined;
  const other = num === a ? b : a;
  const text = other instanceof JsonNumber ? other.text : typeof other === 'string' && INTEGER_TEXT.test(other) ? other : undefined;
  if (num === undefined || text === undefined || !NUMBER_TEXT.test(text)) return undefined;
  if (Number.isInteger(num) && !Number.isSafeInteger(num)) return undefined; // already rounded: no exact answer
  const exact = INTEGER_TEXT.test(text) && Number.isSafeInteger(num);
  const x: number | bigint = exact ? BigInt(text) : Number(text);
  const y: number | bigint = exact ? BigInt(num) : num;
  return num === a ? [y, x] : [x, y];
}

function order(a: number | bigint | string, b: number | bigint | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function incompatible(a: unknown, b: unknown): Error {
  return new Error(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
}

/** One `eq` comparison: nil equals only nil, numbers by value, text by text; lists and maps cannot be compared. */
function equalOne(a: unknown, b: unknown, lenient: boolean): boolean {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  const pair = numericPair(a, b);
  if (pair) return pair[0] === pair[1];
  if (ka !== kb && lenient) return false;
  if (ka !== kb) throw incompatible(a, b);
  if (ka === 'other' && lenient) return a === b;
  if (ka === 'other') throw new Error(`non-comparable type ${goTypeName(a)}`);
  if (ka === 'string') return stringLike(a) === stringLike(b);
  return a === b;
}

/** Go's eq: true when the first argument equals any other; stops at the first match. `lenient` (Handlebars): a type mismatch is false. */
export function eq(lenient: boolean, a: unknown, others: readonly unknown[]): boolean {
  return others.some((b) => equalOne(a, b, lenient));
}

/** Go's lt and friends: numbers by value, text by bytes (so "10" < "9"); bool, nil, lists and maps fail. */
export function compare(a: unknown, b: unknown): number {
  const ka = kind(a);
  const kb = kind(b);
  if (ka === 'nil' || kb === 'nil' || ka === 'bool' || kb === 'bool' || ka === 'other' || kb === 'other') {
    throw new Error('invalid type for comparison');
  }
  const pair = numericPair(a, b);
  if (pair) return order(pair[0], pair[1]);
  if (ka !== kb) throw incompatible(a, b);
  if (ka === 'number') return order(a as number, b as number);
  return Buffer.compare(Buffer.from(stringLike(a) as string), Buffer.from(stringLike(b) as string));
}

/** Go's len, in bytes for text. */
export function length(value: unknown): number {
  const text = stringLike(value);
  if (text !== undefined) return Buffer.byteLength(text, 'utf8');
  if (Array.isArray(value)) return value.length;
  if (isMap(value)) return Object.keys(value).length;
  throw new Error(value === null || value === undefined ? 'len of nil pointer' : `len of type ${goTypeName(value)}`);
}

function intIndex(key: unknown, what: string): number {
  if (typeof key === 'number' && isGoInt(key)) return key;
  throw new Error(`cannot index ${what} with type ${goTypeName(key)}`);
}

/** Go's index: a map by string key (missing → nil), a list or text by position (text gives a byte). */
export function index(item: unknown, ...keys: unknown[]): unknown {
  let value = item;
  keys.forEach((key, step) => {
    if (value === null || value === undefined) throw new Error(step === 0 ? 'index of untyped nil' : 'index of nil pointer');
    if (isMap(value)) {
      if (typeof key !== 'string') throw new Error(`value has type ${goTypeName(key)}; should be string`);
      value = Object.hasOwn(value, key) ? value[key] : undefined;
      return;
    }
    const text = stringLike(value);
    if (text === undefined && !Array.isArray(value)) throw new Error(`can't index item of type ${goTypeName(value)}`);
    const list: readonly unknown[] = text === undefined ? (value as unknown[]) : [...Buffer.from(text, 'utf8')];
    const i = intIndex(key, text === undefined ? 'slice/array' : 'string');
    if (i < 0 || i >= list.length) throw new Error(`index out of range: ${i}`);
    value = list[i];
  });
  return value;
}

/** Go's slice: text by bytes (at most two indexes), lists with up to three. */
export function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (item === null || item === undefined) throw new Error('slice of untyped nil');
  const text = stringLike(item);
  if (text === undefined && !Array.isArray(item)) throw new Error(`can't slice item of type ${goTypeName(item)}`);
  if (indexes.length > 3 || (text !== undefined && indexes.length > 2)) throw new Error(`too many slice indexes: ${indexes.length}`);
  const whole = text === undefined ? (item as unknown[]) : Buffer.from(text, 'utf8');
  const bounds = indexes.map((i) => intIndex(i, 'slice'));
  const [from = 0, to = whole.length] = bounds;
  for (const bound of bounds) if (bound < 0 || bound > whole.length) throw new Error(`index out of range: ${bound}`);
  if (from > to) throw new Error(`invalid slice index: ${from} > ${to}`);
  if (bounds[2] !== undefined && to > bounds[2]) throw new Error(`invalid slice index: ${to} > ${bounds[2]}`);
  return text === undefined ? (whole as unknown[]).slice(from, to) : (whole as Buffer).subarray(from, to).toString('utf8');
}

/**
 * A field chain `.a.b.c` as Go walks it: map keys one by one, `<no value>` past a missing key, an
 * error on anything that is not a map. Falco's keys contain dots, so when the walk finds nothing
 * and the map has the whole dotted key ("k8s.ns.name"), that is the field (Go prints <no value>).
 */
export function field(base: unknown, ...names: string[]): unknown {
  let walked: unknown;
  let failure: Error | undefined;
  try {
    walked = walk(base, names);
  } catch (error) {
    failure = error as Error;
  }
  if (walked === undefined && names.length > 1 && isMap(base) && Object.hasOwn(base, names.join('.'))) return base[names.join('.')];
  if (failure) throw failure;
  return walked;
}

function walk(base: unknown, names: readonly string[]): unknown {
  let value = base;
  for (const name of names) {
    if (value === undefined) return undefined; // past a missing key: Go's "no value", not an error
    if (value === null) throw new Error(`nil pointer evaluating interface {}.${name}`);
    if (!isMap(value)) throw new Error(`can't evaluate field ${name} in type ${goTypeName(value)}`);
    value = Object.hasOwn(value, name) ? value[name] : undefined;
  }
  return value;
}

/** The text html/js/urlquery escape: one string argument as is, else fmt.Sprint with nil as `<no value>`. */
function evalArgs(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return goSprint(args.map((a) => (a === null || a === undefined ? '<no value>' : a)));
}

const HTML_ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' };

export function html(...args: unknown[]): string {
  return evalArgs(args).replace(/[<>&'"\0]/g, (c) => HTML_ESCAPES[c] as string);
}

const JS_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };

export function js(...args: unknown[]): string {
  let out = '';
  for (const char of evalArgs(args)) {
    const cp = char.codePointAt(0) as number;
    const simple = JS_ESCAPES[char];
    if (simple !== undefined) out += simple;
    else if (cp < 0x20 || (cp >= 0x80 && !isPrint(char))) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += char;
  }
  return out;
}

/** url.QueryEscape: unreserved bytes kept, space as +, every other byte %XX. */
export function urlquery(...args: unknown[]): string {
  let out = '';
  for (const byte of Buffer.from(evalArgs(args), 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
