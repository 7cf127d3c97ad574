// match → a test and an explanation, built once at load: regexes, globs and priority masks are
// compiled here, so a test per alert is a few Set lookups, mask checks and prebuilt regex runs.
// Works on the enriched alert (alert/alert.ts); output field values may be strings, numbers,
// booleans, null, or big integers held as raw JSON text (alert/json.ts).
import type { Alert } from '../alert/alert.ts';
import { bracketName } from '../alert/fields.ts';
import { priorityRank } from '../alert/priority.ts';
import { flattenUnionIssues } from '../config/issues.ts';
import { ConfigError } from '../errors.ts';
import { MatchSchema, type FieldCondition, type InnerMatchBlock, type MatchBlock } from './match-schema.ts';
import { compilePatterns, type PatternSet } from './pattern.ts';
import { parsePriorityExpr, type PriorityExpr } from './priority-expr.ts';

export interface CompiledMatch {
  test(alert: Alert): boolean;
  /** undefined when the alert matches; else the first condition that failed, in words. */
  explain(alert: Alert): string | undefined;
}

export interface CompileOptions {
  /** The global bracketreplacer: a field written proc.aname[2] is then looked up as proc.aname_2, the name it has after enrichment. */
  bracketreplacer?: string;
  /** Where the spec sits in the config, for error paths (["outputs", "soc-pager", "match"]). */
  path?: readonly (string | number)[];
}

interface Condition {
  test(alert: Alert): boolean;
  /** Why it failed. */
  fail(alert: Alert): string;
  /** What held (for `not`). */
  hit(alert: Alert): string;
}

export const MATCH_ALL: CompiledMatch = { test: () => true, explain: () => undefined };

/** Validates (same rules and messages as the config schema) and compiles a match spec; undefined takes every alert. Throws ConfigError. */
export function compileMatch(spec: unknown, options: CompileOptions = {}): CompiledMatch {
  if (spec === undefined) return MATCH_ALL;
  const parsed = MatchSchema.safeParse(spec);
  const at = options.path ?? ['match'];
  if (!parsed.success) throw new ConfigError(flattenUnionIssues(parsed.error.issues).map((i) => ({ path: [...at, ...i.path].join('.'), message: i.message })));
  const blocks = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const compiled = blocks.map((b) => compileBlock(b, options.bracketreplacer ?? ''));
  if (compiled.length === 1) return blockMatch(compiled[0] as Condition[]);
  const matches = compiled.map(blockMatch);
  return {
    test: (alert) => matches.some((m) => m.test(alert)),
    explain(alert) {
      const why: string[] = [];
      for (const [i, m] of matches.entries()) {
        const reason = m.explain(alert);
        if (reason === undefined) return undefined;
        why.push(`[${i + 1}] ${reason}`);
      }
      return `no match block holds: ${why.join('; ')}`;
    },
  };
}

function blockMatch(conditions: Condition[]): CompiledMatch {
  if (conditions.length === 0) return MATCH_ALL;
  if (conditions.length === 1) {
    const only = conditions[0] as Condition;
    return { test: only.test, explain: (a) => (only.test(a) ? undefined : only.fail(a)) };
  }
  return {
    test(alert) {
      for (const c of conditions) if (!c.test(alert)) return false;
      return true;
    },
    explain(alert) {
      for (const c of conditions) if (!c.test(alert)) return c.fail(alert);
      return undefined;
    },
  };
}

function compileBlock(block: MatchBlock | InnerMatchBlock, replacer: string): Condition[] {
  const out: Condition[] = [];
  if (block.priority !== undefined) out.push(priorityCondition(typeof block.priority === 'string' ? [block.priority] : block.priority));
  if (block.rule !== undefined) out.push(stringCondition('rule', block.rule, (a) => a.rule));
  if (block.source !== undefined) out.push(stringCondition('source', block.source, (a) => a.source));
  if (block.hostname !== undefined) out.push(stringCondition('hostname', block.hostname, (a) => a.hostname));
  if (block.output !== undefined) out.push(stringCondition('output', block.output, (a) => a.output));
  if (block.tags !== undefined) out.push(...tagConditions(block.tags));
  for (const [name, condition] of Object.entries(block.fields ?? {})) out.push(fieldCondition(name, condition, replacer));
  if ('not' in block && block.not !== undefined) out.push(notCondition(Array.isArray(block.not) ? block.not : [block.not], replacer));
  return out;
}

function priorityCondition(texts: readonly string[]): Condition {
  const exprs = texts.map((t) => parsePriorityExpr(t) as PriorityExpr);
  const mask = exprs.reduce((m, e) => m | e.mask, 0);
  const shown = exprs.length === 1 ? (exprs[0] as PriorityExpr).text : `[${texts.map((t) => JSON.stringify(t)).join(', ')}]`;
  return {
    test: (a) => ((mask >>> priorityRank(a.priority)) & 1) === 1,
    fail: (a) => (exprs.length === 1 ? `priority ${a.priority} ${(exprs[0] as PriorityExpr).verb} ${shown}` : `priority ${a.priority} matches none of ${shown}`),
    hit: (a) => `priority ${a.priority} matches ${shown}`,
  };
}

function stringCondition(label: string, spec: string | readonly string[], get: (a: Alert) => string | undefined): Condition {
  const set = compilePatterns(typeof spec === 'string' ? [spec] : spec);
  const test = (a: Alert) => {
    const v = get(a);
    return v !== undefined && set.test(v);
  };
  return {
    test,
    fail: (a) => {
      const v = get(a);
      return v === undefined ? `${label} is absent (wanted ${set.text})` : `${label} ${show(v)} matches none of ${set.text}`;
    },
    hit: (a) => `${label} ${show(get(a) ?? '')} matches ${set.text}`,
  };
}

function tagConditions(spec: readonly string[] | { any?: string[] | undefined; all?: string[] | undefined; none?: string[] | undefined }): Condition[] {
  const ops = Array.isArray(spec) ? { any: spec as string[] } : (spec as { any?: string[]; all?: string[]; none?: string[] });
  const shownTags = (a: Alert) => `[${a.tags.join(', ')}]`;
  const out: Condition[] = [];
  if (ops.any) {
    const set = compilePatterns(ops.any);
    const test = (a: Alert) => anyTag(a.tags, set);
    out.push({ test, fail: (a) => `tags ${shownTags(a)} include none of ${set.text}`, hit: (a) => `tags ${shownTags(a)} include one of ${set.text}` });
  }
  if (ops.all) {
    const sets = ops.all.map((p) => compilePatterns([p]));
    const text = compilePatterns(ops.all).text;
    const test = (a: Alert) => {
      for (const s of sets) if (!anyTag(a.tags, s)) return false;
      return true;
    };
    out.push({
      test,
      fail: (a) => `tags ${shownTags(a)} lack ${sets.find((s) => !a.tags.some((t) => s.test(t)))?.text.slice(1, -1)} (all of ${text} are required)`,
      hit: (a) => `tags ${shownTags(a)} include all of ${text}`,
    });
  }
  if (ops.none) {
    const set = compilePatterns(ops.none);
    const test = (a: Alert) => !anyTag(a.tags, set);
    out.push({
      test,
      fail: (a) => `tags ${shownTags(a)} include ${show(a.tags.find((t) => set.test(t)) ?? '')} (none of ${set.text} may be present)`,
      hit: (a) => `tags ${shownTags(a)} include none of ${set.text}`,
    });
  }
  return out;
}

// A plain loop: no closure per alert on the hot path.
function anyTag(tags: readonly string[], set: PatternSet): boolean {
  for (let i = 0; i < tags.length; i++) if (set.test(tags[i] as string)) return true;
  return false;
}

/** A field value as text for matching (and dedupe keys); undefined when absent or null. Big integers are their digits. */
export function fieldText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return undefined;
      if (JSON.isRawJSON(value)) return value.rawJSON;
      return JSON.stringify(value);
    default:
      return undefined;
  }
}

function fieldCondition(name: string, condition: FieldCondition, replacer: string): Condition {
  // After bracketreplacer, proc.aname[2] is stored as proc.aname_2: look it up under that name.
  const key = bracketName(name, replacer);
  const label = `field ${name}`;
  // An own field only: output_fields parsed by JSON.parse inherit Object.prototype, whose
  // `constructor` or `hasOwnProperty` is no field of the alert.
  const field = (a: Alert): unknown => (Object.hasOwn(a.output_fields, key) ? a.output_fields[key] : undefined);
  const absent = (a: Alert) => (field(a) === null ? 'is null' : 'is absent');
  if (typeof condition === 'object' && !Array.isArray(condition)) {
    const want = condition.exists === true;
    const test = (a: Alert) => {
      const v = field(a);
      return (v !== undefined && v !== null) === want;
    };
    return {
      test,
      fail: (a) => (want ? `${label} ${absent(a)} (exists: true)` : `${label} is present (${show(fieldText(field(a)) ?? '')}; exists: false)`),
      hit: (a) => (want ? `${label} exists` : `${label} ${absent(a)}`),
    };
  }
  const values = (Array.isArray(condition) ? condition : [condition]).map(String);
  const set = compilePatterns(values);
  const matches = (v: unknown): boolean => {
    if (Array.isArray(v)) return v.some(matches);
    const text = fieldText(v);
    return text !== undefined && set.test(text);
  };
  return {
    test: (a) => matches(field(a)),
    fail: (a) => {
      const v = field(a);
      return v === undefined || v === null ? `${label} ${absent(a)} (wanted ${set.text})` : `${label} ${show(fieldText(v) ?? '')} matches none of ${set.text}`;
    },
    hit: (a) => `${label} ${show(fieldText(field(a)) ?? '')} matches ${set.text}`,
  };
}

function notCondition(blocks: readonly InnerMatchBlock[], replacer: string): Condition {
  const compiled = blocks.map((b) => compileBlock(b, replacer));
  const holds = (conditions: Condition[], a: Alert) => conditions.every((c) => c.test(a));
  return {
    test: (a) => !compiled.some((conditions) => holds(conditions, a)),
    fail: (a) => {
      const matched = compiled.find((conditions) => holds(conditions, a)) ?? [];
      return `not: ${matched.map((c) => c.hit(a)).join(' and ') || 'an empty block matches every alert'}`;
    },
    hit: () => 'not: no excluded block matched',
  };
}

function show(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);
}
