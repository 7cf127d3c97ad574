// The console's query parsers refuse a parameter given twice (fastify parses `?k=a&k=b` into an
// array) with a 400 that names it, instead of a 500 or a filter that matches nothing.
import { describe, expect, it } from 'vitest';
import { parseDeadLetterFilter, parseStatsQuery, parseTrailQuery } from '../../../src/console/query.ts';
import { RequestError } from '../../../src/errors.ts';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof RequestError ? { status: err.status, ...err.toBody().error } : err;
  }
  throw new Error('not refused');
};

describe('console query parsers', () => {
  it('refuse a repeated parameter by name, and say how to give a list', () => {
    expect(refusal(() => parseTrailQuery({ priority: ['warning', 'critical'] }))).toEqual({
      status: 400,
      code: 'ERR_QUERY_INVALID',
      path: 'priority',
      message: 'priority: given 2 times; give it once, as a comma-separated list (priority=warning,critical)',
    });
    expect(refusal(() => parseTrailQuery({ rule: ['a', 'b', 'c'] }))).toMatchObject({ status: 400, path: 'rule', message: 'rule: given 3 times; give it once' });
    expect(refusal(() => parseStatsQuery({ bucketms: ['1000', '2000'] }, 0))).toMatchObject({ status: 400, path: 'bucketms' });
    expect(refusal(() => parseDeadLetterFilter({ output: ['a', 'b'] }))).toMatchObject({ status: 400, path: 'output', message: 'output: given 2 times; give it once' });
  });

  it('take a dead-letter filter from the query and a JSON body over it; a list in the body is refused as one', () => {
    expect(parseDeadLetterFilter({ output: 'a', rule: 'r' }, { rule: 'body', id: 7 })).toEqual({ output: 'a', rule: 'body', id: 7 });
    expect(refusal(() => parseDeadLetterFilter({}, { rule: ['a', 'b'] }))).toMatchObject({ status: 400, path: 'rule', message: 'rule: must be one string, not a list' });
    expect(parseTrailQuery({ priority: 'warning,critical', rule: 'r' })).toEqual({ limit: 50, priorities: ['warning', 'critical'], rule: 'r' });
  });
});
