import { escapeIdentifier } from 'pg';
import { describe, expect, it } from 'vitest';
import { toAlert, type AlertInput } from '../../src/alert/alert.ts';
import { alertRow, insertStatements, MAX_PARAMETERS, microseconds } from './rows.ts';

const alert = (input: Partial<AlertInput>) => toAlert({ priority: 'Notice', rule: 'r', time: '2026-11-20T10:21:36.167531875Z', ...input }, () => 'id');

describe('timescaledb rows', () => {
  it('the fixed columns, tags joined, hostname, and the custom/templated fields whose value is a string, quotes removed (falcosidekick\'s row)', () => {
    const row = alertRow(
      alert({
        output: 'a shell',
        priority: 'critical',
        source: 'k8s_audit',
        tags: ['T1059', 'container'],
        hostname: 'node-1',
        output_fields: { custom_field_1: 'v"1"', k8s_namespace: 'default', pid: 4, 'proc.name': 'sh' },
      }),
      ['custom_field_1', 'k8s_namespace', 'pid', 'absent'],
    );
    expect([...row]).toEqual([
      ['time', '2026-11-20T10:21:36.167531Z'],
      ['rule', 'r'],
      ['priority', 'Critical'],
      ['source', 'k8s_audit'],
      ['output', 'a shell'],
      ['tags', 'T1059,container'],
      ['hostname', 'node-1'],
      ['custom_field_1', 'v1'],
      ['k8s_namespace', 'default'],
    ]);
  });

  it('no tags, no hostname: no such columns; source defaults to syscalls; "null" in any case is SQL NULL; a field name folded as PostgreSQL folds it', () => {
    const row = alertRow(alert({ output: 'NULL', rule: 'null', output_fields: { Env: 'Null', Team: 'a' } }), ['Env', 'Team']);
    expect([...row]).toEqual([
      ['time', '2026-11-20T10:21:36.167531Z'],
      ['rule', null],
      ['priority', 'Notice'],
      ['source', 'syscalls'],
      ['output', null],
      ['env', null],
      ['team', 'a'],
    ]);
  });

  it('the time cut (not rounded) to microseconds, as pgx does; shorter fractions, none, and offsets kept', () => {
    expect(microseconds('2026-11-20T10:21:36.167531875Z')).toBe('2026-11-20T10:21:36.167531Z');
    expect(microseconds('2026-11-20T10:21:36.9999999+02:00')).toBe('2026-11-20T10:21:36.999999+02:00');
    expect(microseconds('2026-11-20T10:21:36.12Z')).toBe('2026-11-20T10:21:36.12Z');
    expect(microseconds('2026-11-20T10:21:36Z')).toBe('2026-11-20T10:21:36Z');
  });

  it('a batch is one INSERT of every row, the union of their columns, DEFAULT where a row has none, values as parameters', () => {
    const rows = [
      alertRow(alert({ output: 'o1', tags: ['a'], output_fields: { team: 'x' } }), ['team']),
      alertRow(alert({ output: 'o2', hostname: 'h', time: '2026-11-20T10:21:37Z' }), ['team']),
    ];
    expect(insertStatements(rows, ['public', 'Falco Events'], escapeIdentifier)).toEqual([
      {
        text:
          'INSERT INTO "public"."Falco Events" ("time", "rule", "priority", "source", "output", "tags", "team", "hostname") VALUES ' +
          '($1, $2, $3, $4, $5, $6, $7, DEFAULT), ($8, $9, $10, $11, $12, DEFAULT, DEFAULT, $13)',
        values: ['2026-11-20T10:21:36.167531Z', 'r', 'Notice', 'syscalls', 'o1', 'a', 'x', '2026-11-20T10:21:37Z', 'r', 'Notice', 'syscalls', 'o2', 'h'],
      },
    ]);
  });

  it('alert text never reaches the statement text: a field value or name with quotes and SQL stays a parameter or a quoted name', () => {
    const rows = [alertRow(alert({ output: '\'); DROP TABLE t; --', output_fields: { 'x") VALUES (1); --': 'v' } }), ['x") VALUES (1); --'])];
    const [s] = insertStatements(rows, ['t'], escapeIdentifier);
    expect(s?.text).toBe('INSERT INTO "t" ("time", "rule", "priority", "source", "output", "x"") values (1); --") VALUES ($1, $2, $3, $4, $5, $6)');
    expect(s?.values[4]).toBe('\'); DROP TABLE t; --');
  });

  it('more parameters than PostgreSQL takes in one statement: several statements, none over the limit', () => {
    const keys = Array.from({ length: 95 }, (_, i) => `f${i}`);
    const fields = Object.fromEntries(keys.map((k) => [k, 'v']));
    const rows = Array.from({ length: 1000 }, () => alertRow(alert({ output_fields: fields }), keys));
    const statements = insertStatements(rows, ['t'], escapeIdentifier);
    expect(statements.map((s) => s.values.length)).toEqual([655 * 100, 345 * 100]);
    expect(Math.max(...statements.map((s) => s.values.length))).toBeLessThanOrEqual(MAX_PARAMETERS);
  });
});
