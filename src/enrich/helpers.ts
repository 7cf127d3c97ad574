// Template helpers, registered on a private Handlebars environment so that nothing else in the
// process (or a plugin) can change what a user's template means. Semantics follow Go's
// text/template builtins (and sprig for default/lower/upper) because most templates users have
// were written for falcosidekick: `or` returns a value, 0 and "" are false, `eq a b c` is a|b|c.
// Translated Go templates run on a Go view of the alert (go-values.ts) and get Go's rules exactly;
// Handlebars templates see plain values and keep the lenient ones (a type mismatch is not equal).
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import { compare, eq, field, html, index, isTrue, js, length, slice, urlquery } from './go-builtins.ts';
import { goSprint, goSprintf, goSprintln, goValue } from './go-format.ts';
import { GoFailure, isGoView } from './go-values.ts';

export { isTrue } from './go-builtins.ts';

export interface Arity {
  readonly min: number;
  readonly max: number;
}

/** `go`: the template is a translated Go template (strict Go rules). */
type Helper = (go: boolean, ...args: unknown[]) => unknown;

function text(value: unknown): string {
  return value === null || value === undefined ? '' : typeof value === 'string' ? value : goValue(value);
}

// Go's and/or return an argument, not a boolean (`or .x "none"` is a value), and stop at the first
// deciding one: a failure in an argument after it is never reached.
function firstOrLast(args: readonly unknown[], stopAt: (value: unknown) => boolean): unknown {
  for (const [i, arg] of args.entries()) {
    if (arg instanceof GoFailure) throw arg.error;
    if (stopAt(arg) || i === args.length - 1) return arg;
  }
  return undefined;
}

function format(go: boolean, value: unknown): string {
  if (go && typeof value !== 'string') throw new Error(`wrong type for value; expected string; got ${goValue(value)}`);
  return text(value);
}

const HELPERS: Record<string, { arity: Arity; fn: Helper }> = {
  eq: { arity: { min: 2, max: Infinity }, fn: (go, a, ...bs) => eq(!go, a, bs) },
  ne: { arity: { min: 2, max: 2 }, fn: (go, a, b) => !eq(!go, a, [b]) },
  lt: { arity: { min: 2, max: 2 }, fn: (_go, a, b) => compare(a, b) < 0 },
  le: { arity: { min: 2, max: 2 }, fn: (_go, a, b) => compare(a, b) <= 0 },
  gt: { arity: { min: 2, max: 2 }, fn: (_go, a, b) => compare(a, b) > 0 },
  ge: { arity: { min: 2, max: 2 }, fn: (_go, a, b) => compare(a, b) >= 0 },
  and: { arity: { min: 1, max: Infinity }, fn: (_go, ...args) => firstOrLast(args, (a) => !isTrue(a)) },
  or: { arity: { min: 1, max: Infinity }, fn: (_go, ...args) => firstOrLast(args, isTrue) },
  not: { arity: { min: 1, max: 1 }, fn: (_go, a) => !isTrue(a) },
  // sprig's order: `default "none" .x`, so `.x | default "none"` reads naturally.
  default: { arity: { min: 1, max: 2 }, fn: (_go, fallback, ...given) => (isTrue(given[0]) ? given[0] : fallback) },
  lower: { arity: { min: 1, max: 1 }, fn: (_go, a) => text(a).toLowerCase() },
  upper: { arity: { min: 1, max: 1 }, fn: (_go, a) => text(a).toUpperCase() },
  len: { arity: { min: 1, max: 1 }, fn: (_go, a) => length(a) },
  index: { arity: { min: 1, max: Infinity }, fn: (_go, item, ...keys) => index(item, ...keys) },
  slice: { arity: { min: 1, max: Infinity }, fn: (_go, item, ...indexes) => slice(item, ...indexes) },
  printf: { arity: { min: 1, max: Infinity }, fn: (go, f, ...args) => goSprintf(format(go, f), args, !go) },
  print: { arity: { min: 0, max: Infinity }, fn: (_go, ...args) => goSprint(args) },
  println: { arity: { min: 0, max: Infinity }, fn: (_go, ...args) => goSprintln(args) },
  html: { arity: { min: 0, max: Infinity }, fn: (_go, ...args) => html(...args) },
  js: { arity: { min: 0, max: Infinity }, fn: (_go, ...args) => js(...args) },
  urlquery: { arity: { min: 0, max: Infinity }, fn: (_go, ...args) => urlquery(...args) },
  // Emitted by the Go translator around `if`/`with` conditions: Handlebars' own `if` treats 0 as true.
  truthy: { arity: { min: 1, max: 1 }, fn: (_go, a) => isTrue(a) },
  // Emitted by the Go translator around every printed value: Go's text/template prints a missing
  // map key (nil) as "<no value>", and falcosidekick users' fields hold that text.
  goout: { arity: { min: 1, max: 1 }, fn: (_go, a) => (a === null || a === undefined ? '<no value>' : text(a)) },
  // Emitted for a field chain `.a.b` (Go's walk through nested maps, or the dotted Falco key).
  gofield: { arity: { min: 2, max: Infinity }, fn: (_go, base, ...names) => field(base, ...(names as string[])) },
  // Emitted for a number literal Handlebars cannot write (1e21, 0x1p4): its value from the digits.
  gonum: { arity: { min: 1, max: 1 }, fn: (_go, digits) => Number(digits) },
  // Emitted for a string literal with a backslash, which Handlebars' string syntax cannot carry.
  gostr: { arity: { min: 1, max: 1 }, fn: (_go, encoded) => decodeURIComponent(String(encoded)) },
};

/** Helpers only the translator emits: not Go functions a template may name. */
export const INTERNAL_HELPERS: ReadonlySet<string> = new Set(['truthy', 'goout', 'gofield', 'gonum', 'gostr']);

// Where a failure carried as a value must surface: printing it, or deciding a branch on it.
const SINKS: ReadonlySet<string> = new Set(['truthy', 'goout']);

/** Argument counts, checked at load for translated Go templates and at render time for all. */
export const HELPER_ARITY: Readonly<Record<string, Arity>> = Object.fromEntries(
  Object.entries(HELPERS).map(([name, h]) => [name, h.arity]),
);

/** Helpers compile as known so that an unknown one is a load error, not a silent empty string. */
export const KNOWN_HELPERS: Readonly<Record<string, true>> = Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true]));

function checked(name: string, arity: Arity, fn: Helper): (...argsAndOptions: unknown[]) => unknown {
  const lazy = name === 'and' || name === 'or';
  const sink = SINKS.has(name);
  return (...argsAndOptions) => {
    const args = argsAndOptions.slice(0, -1); // Handlebars appends its options object
    const options = argsAndOptions.at(-1) as { data?: { root?: unknown } } | undefined;
    if (args.length < arity.min || args.length > arity.max) {
      const wanted = arity.min === arity.max ? `${arity.min}` : arity.max === Infinity ? `at least ${arity.min}` : `${arity.min}-${arity.max}`;
      throw new Error(`${name}: wants ${wanted} argument${arity.min === 1 && arity.max === 1 ? '' : 's'}, got ${args.length}`);
    }
    const go = isGoView(options?.data?.root);
    const failed = lazy ? undefined : args.find((arg) => arg instanceof GoFailure);
    if (failed !== undefined) {
      if (sink || !go) throw (failed as GoFailure).error;
      return failed;
    }
    try {
      return fn(go, ...args);
    } catch (error) {
      const failure = error instanceof Error && !error.message.startsWith(`${name}:`) ? new Error(`${name}: ${error.message}`) : (error as Error);
      if (go && !sink) return new GoFailure(failure);
      throw failure;
    }
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
