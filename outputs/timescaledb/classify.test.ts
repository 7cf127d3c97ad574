import { describe, expect, it } from 'vitest';
import { classifyPgError, type PgFailure } from './classify.ts';

const what = 'INSERT INTO falcosidekick_events on db:5432/falcosidekick';

describe('timescaledb classifyPgError', () => {
  const rows: [string, PgFailure, unknown][] = [
    ['wrong password', { code: '28P01', message: 'password authentication failed for user "falco"' }, { kind: 'retry', auth: true, reason: `${what}: password authentication failed for user "falco" (SQLSTATE 28P01: check timescaledb.user and timescaledb.password)` }],
    ['pg_hba refuses', { code: '28000', message: 'no pg_hba.conf entry' }, { kind: 'retry', auth: true }],
    ['no INSERT privilege', { code: '42501', message: 'permission denied for table falcosidekick_events' }, { kind: 'retry', auth: true }],
    ['missing table', { code: '42P01', message: 'relation "falcosidekick_events" does not exist' }, { kind: 'retry', reason: `${what}: relation "falcosidekick_events" does not exist (SQLSTATE 42P01: the table does not exist: create it (docs/outputs/timescaledb.md) or set timescaledb.hypertablename)` }],
    ['missing column', { code: '42703', message: 'column "team" of relation "falcosidekick_events" does not exist' }, { kind: 'retry' }],
    ['missing database', { code: '3D000', message: 'database "x" does not exist' }, { kind: 'retry' }],
    ['admin shutdown', { code: '57P01', message: 'terminating connection due to administrator command' }, { kind: 'retry' }],
    ['too many connections', { code: '53300', message: 'sorry, too many clients already' }, { kind: 'retry' }],
    ['serialization failure', { code: '40001', message: 'could not serialize access' }, { kind: 'retry' }],
    ['deadlock', { code: '40P01', message: 'deadlock detected' }, { kind: 'retry' }],
    ['read-only standby', { code: '25006', message: 'cannot execute INSERT in a read-only transaction' }, { kind: 'retry' }],
    ['disk full', { code: '53100', message: 'could not extend file' }, { kind: 'retry' }],
    ['another connection class (08006)', { code: '08006', message: 'connection failure' }, { kind: 'retry', reason: `${what}: connection failure (SQLSTATE 08006)` }],
    ['unknown auth class code', { code: '28XYZ', message: 'x' }, { kind: 'retry', auth: true }],
    ['value too long', { code: '22001', message: 'value too long for type character varying(20)' }, { kind: 'fail', reason: `${what}: value too long for type character varying(20) (SQLSTATE 22001: a value the table refuses; the alert at fault is dead-lettered)` }],
    ['NUL character', { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' }, { kind: 'fail' }],
    ['bad time for the column', { code: '22007', message: 'invalid input syntax for type timestamp' }, { kind: 'fail' }],
    ['NOT NULL broken', { code: '23502', message: 'null value in column "rule" violates not-null constraint', detail: 'Failing row contains (…)' }, { kind: 'fail', reason: `${what}: null value in column "rule" violates not-null constraint (Failing row contains (…)) (SQLSTATE 23502: a value the table refuses; the alert at fault is dead-lettered)` }],
    ['CHECK broken', { code: '23514', message: 'new row violates check constraint' }, { kind: 'fail' }],
    ['empty password, the server asks for one (pg\'s SCRAM refusal)', { message: 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string' }, { kind: 'retry', auth: true, reason: `${what}: the server asks for a password and timescaledb.password is empty: set it` }],
    ['connection refused', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, { kind: 'retry', reason: `${what}: connect ECONNREFUSED 127.0.0.1:5432 (the server cannot be reached: check timescaledb.host and timescaledb.port)` }],
    ['connection timeout', { message: 'timeout exceeded when trying to connect' }, { kind: 'retry', reason: `${what}: timeout exceeded when trying to connect` }],
  ];
  it.each(rows)('%s', (_, failure, expected) => {
    const outcome = classifyPgError(failure, what);
    expect(outcome).toMatchObject(expected as object);
    if (outcome.kind === 'retry' && !(expected as { auth?: boolean }).auth) expect(outcome.auth).toBeUndefined();
  });
});
