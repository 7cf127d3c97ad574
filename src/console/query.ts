// Query-string parsing for the API: times, filters and pages, with a 400 that names the parameter.
import { PRIORITIES } from '../alert/priority.ts';
import type { DeadLetterFilter } from '../dispatch/dead-letter.ts';
import { ErrorCodes, RequestError } from '../errors.ts';
import { OUTPUT_STATES, type OutputState, type StatsDimension, type TrailQuery } from '../trail/types.ts';

type Query = Record<string, string | undefined>;

const invalid = (param: string, message: string) => new RequestError(ErrorCodes.QUERY_INVALID, 400, `${param}: ${message}`, param);

/** ISO 8601 or epoch milliseconds. */
function parseTime(value: string | undefined, param: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(param, `"${value}" is not a time; use ISO 8601 (2026-11-20T10:00:00Z) or epoch milliseconds`);
  return ms;
}

function parseInteger(value: string | undefined, param: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(param, `must be an integer from ${min} to ${max}`);
  return n;
}

const text = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/** How to give a parameter that takes several values, for the 400 when it comes twice. */
const AS_LIST: Record<string, string> = { priority: 'as a comma-separated list' };

/**
 * The query string with each parameter once. Fastify parses `?k=a&k=b` into an array; no console
 * parameter is repeatable (priority takes a comma-separated list), and read as a string an array was
 * a 500 (`.split`) or matched nothing (`rule=a&rule=b`): refused instead, naming the parameter.
 */
export function singleQuery(query: unknown): Query {
  const q = (query ?? {}) as Record<string, unknown>;
  for (const [param, value] of Object.entries(q)) {
    if (!Array.isArray(value)) continue;
    const list = AS_LIST[param];
    throw invalid(param, `given ${value.length} times; give it once${list ? `, ${list} (${param}=${value.join(',')})` : ''}`);
  }
  return q as Query;
}

export function parseTrailQuery(params: unknown): TrailQuery {
  const q = singleQuery(params);
  const priorities = text(q.priority)?.split(',').map((p) => p.trim());
  for (const p of priorities ?? []) {
    if (!PRIORITIES.some((name) => name.toLowerCase() === p.toLowerCase())) throw invalid('priority', `"${p}" is not one of ${PRIORITIES.join(', ')}`);
  }
  const state = text(q.state);
  if (state !== undefined && !OUTPUT_STATES.includes(state as OutputState)) throw invalid('state', `must be one of ${OUTPUT_STATES.join(', ')}`);
  const query: TrailQuery = { limit: parseInteger(q.limit, 'limit', 1, 500, 50) };
  const set = <K extends keyof TrailQuery>(key: K, value: TrailQuery[K] | undefined) => {
    if (value !== undefined) query[key] = value;
  };
  set('since', parseTime(q.since, 'since'));
  set('until', parseTime(q.until, 'until'));
  set('rule', text(q.rule));
  set('priorities', priorities);
  set('source', text(q.source));
  set('hostname', text(q.hostname));
  set('namespace', text(q.namespace));
  set('output', text(q.output));
  set('state', state as OutputState | undefined);
  set('text', text(q.q));
  if (q.before !== undefined) set('before', parseInteger(q.before, 'before', 0, Number.MAX_SAFE_INTEGER, 0));
  if (q.after !== undefined) set('after', parseInteger(q.after, 'after', 0, Number.MAX_SAFE_INTEGER, 0));
  return query;
}

export function parseStatsQuery(query: unknown, now: number): { by: StatsDimension; since: number; bucketMs: number } {
  const q = singleQuery(query);
  const by = q.by ?? 'priority';
  if (by !== 'priority' && by !== 'rule' && by !== 'namespace') throw invalid('by', 'must be priority, rule or namespace');
  const bucketMs = parseInteger(q.bucketms, 'bucketms', 1000, 86_400_000, 60_000);
  const since = parseTime(q.since, 'since') ?? now - 3_600_000;
  if ((now - since) / bucketMs > 1440) throw invalid('bucketms', 'at most 1440 buckets: raise bucketms or shorten the range');
  return { by, since, bucketMs };
}

/**
 * A dead-letter filter from a query string (through singleQuery: a parameter given twice is refused
 * by name) and a JSON body (numbers or strings) over it.
 */
export function parseDeadLetterFilter(query: unknown, body: Record<string, unknown> = {}): DeadLetterFilter {
  const q: Record<string, unknown> = { ...singleQuery(query), ...body };
  const str = (key: string) => {
    const v = q[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' && typeof v !== 'number') throw invalid(key, Array.isArray(v) ? 'must be one string, not a list' : 'must be a string');
    return String(v);
  };
  const filter: DeadLetterFilter = {};
  const output = str('output');
  const rule = str('rule');
  const since = parseTime(str('since'), 'since');
  const id = str('id');
  if (output !== undefined) filter.output = output;
  if (rule !== undefined) filter.rule = rule;
  if (since !== undefined) filter.since = since;
  if (id !== undefined) filter.id = parseInteger(id, 'id', 1, Number.MAX_SAFE_INTEGER, 0);
  return filter;
}
