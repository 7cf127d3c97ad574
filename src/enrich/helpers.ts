// Template helpers, registered on a private Handlebars environment so that nothing else in the
// process (or a plugin) can change what a user's template means. Semantics follow Go's
// text/template builtins (and sprig for default/lower/upper) because most templates users have
// were written for falcosidekick: `or` returns a value, 0 and "" are false, `eq a b c` is a|b|c.
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { goSprint, goSprintf, goValue } from './go-format.ts';

export interface Arity {
  readonly min: number;
  readonly max: number;
}

type Helper = (...args: unknown[]) => unknown;

/** Go's notion of truth: false, 0, "", nil, empty list and empty map are false. */
export function isTrue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

// Up to 40 digits: every integer Falco sends (64-bit) and then some. A longer digit string is not
// compared as a number: BigInt of a 4-million-digit string took 1.7 s per alert.
const INTEGER_TEXT = /^-?\d{1,40}$/;

// Falco's big integers (evt.time in ns) arrive as digit strings; a number literal in a template
// must still compare with them as a number, exactly.
function asIntegerPair(a: unknown, b: unknown): [bigint, bigint] | undefined {
  const asBig = (v: unknown): bigint | undefined =>
    typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : typeof v === 'string' && INTEGER_TEXT.test(v) ? BigInt(v) : undefined;
  if (typeof a === typeof b) return undefined;
  const x = asBig(a);
  const y = asBig(b);
  return x === undefined || y === undefined ? undefined : [x, y];
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  const pair = asIntegerPair(a, b);
  return pair !== undefined && pair[0] === pair[1];
}

function describe(value: unknown): string {
  return value === null || value === undefined ? 'nil' : Array.isArray(value) ? 'list' : typeof value;
}

function order<T extends number | string | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compare(name: string, a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return order(a, b);
  if (typeof a === 'string' && typeof b === 'string') return order(a, b);
  const pair = asIntegerPair(a, b);
  if (pair !== undefined) return order(pair[0], pair[1]);
  throw new Error(`${name}: incompatible types for comparison (${describe(a)} and ${describe(b)})`);
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : typeof value === 'string' ? value : goValue(value);
}

function length(value: unknown): number {
  // Go counts bytes, not characters; keep that so thresholds in old templates mean the same.
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  throw new Error(`len: cannot take the length of ${describe(value)}`);
}

// Go's and/or return an argument, not a boolean: `or .x "none"` is a value.
function firstOrLast(args: unknown[], pick: (value: unknown) => boolean): unknown {
  const i = args.findIndex(pick);
  return args[i === -1 ? args.length - 1 : i];
}

const HELPERS: Record<string, { arity: Arity; fn: Helper }> = {
  eq: { arity: { min: 2, max: Infinity }, fn: (a, ...bs) => bs.some((b) => equal(a, b)) },
  ne: { arity: { min: 2, max: 2 }, fn: (a, b) => !equal(a, b) },
  lt: { arity: { min: 2, max: 2 }, fn: (a, b) => compare('lt', a, b) < 0 },
  le: { arity: { min: 2, max: 2 }, fn: (a, b) => compare('le', a, b) <= 0 },
  gt: { arity: { min: 2, max: 2 }, fn: (a, b) => compare('gt', a, b) > 0 },
  ge: { arity: { min: 2, max: 2 }, fn: (a, b) => compare('ge', a, b) >= 0 },
  and: { arity: { min: 1, max: Infinity }, fn: (...args) => firstOrLast(args, (a) => !isTrue(a)) },
  or: { arity: { min: 1, max: Infinity }, fn: (...args) => firstOrLast(args, isTrue) },
  not: { arity: { min: 1, max: 1 }, fn: (a) => !isTrue(a) },
  // sprig's order: `default "none" .x`, so `.x | default "none"` reads naturally.
  default: { arity: { min: 1, max: 2 }, fn: (fallback, ...given) => (isTrue(given[0]) ? given[0] : fallback) },
  lower: { arity: { min: 1, max: 1 }, fn: (a) => text(a).toLowerCase() },
  upper: { arity: { min: 1, max: 1 }, fn: (a) => text(a).toUpperCase() },
  len: { arity: { min: 1, max: 1 }, fn: (a) => length(a) },
  printf: { arity: { min: 1, max: Infinity }, fn: (format, ...args) => goSprintf(text(format), args) },
  print: { arity: { min: 0, max: Infinity }, fn: (...args) => goSprint(args) },
  // Emitted by the Go translator around `if`/`with` conditions: Handlebars' own `if` treats 0 as true.
  truthy: { arity: { min: 1, max: 1 }, fn: (a) => isTrue(a) },
  // Emitted by the Go translator around every printed value: Go's text/template prints a missing
  // map key (nil) as "<no value>", and falcosidekick users' fields hold that text.
  goout: { arity: { min: 1, max: 1 }, fn: (a) => (a === null || a === undefined ? '<no value>' : text(a)) },
};

/** Argument counts, checked at load for translated Go templates and at render time for all. */
export const HELPER_ARITY: Readonly<Record<string, Arity>> = Object.fromEntries(
  Object.entries(HELPERS).map(([name, h]) => [name, h.arity]),
);

/** Helpers compile as known so that an unknown one is a load error, not a silent empty string. */
export const KNOWN_HELPERS: Readonly<Record<string, true>> = Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true]));

function checked(name: string, arity: Arity, fn: Helper): Helper {
  return (...argsAndOptions) => {
    const args = argsAndOptions.slice(0, -1); // Handlebars appends its options object
    if (args.length < arity.min || args.length > arity.max) {
      const wanted = arity.min === arity.max ? `${arity.min}` : arity.max === Infinity ? `at least ${arity.min}` : `${arity.min}-${arity.max}`;
      throw new Error(`${name}: wants ${wanted} argument${arity.min === 1 && arity.max === 1 ? '' : 's'}, got ${args.length}`);
    }
    return fn(...args);
  };
}

/**
 * A Handlebars environment of its own, with only Peregrine's helpers added. Handlebars (CommonJS) is
 * loaded here, when the first template is compiled, not at startup: ~5 MiB of idle RSS for a config
 * without templates (docs/performance.md#idle-rss).
 */
export function createTemplateEnvironment(): typeof Handlebars {
  const env = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
  for (const [name, { arity, fn }] of Object.entries(HELPERS)) env.registerHelper(name, checked(name, arity, fn));
  return env;
}
