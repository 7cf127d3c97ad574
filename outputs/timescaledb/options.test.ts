import { describe, expect, it } from 'vitest';
import { configFromEnv, configFromYaml, envProblems } from '../../test/support/config.ts';
import { tableName } from './options.ts';

describe('timescaledb options', () => {
  it('falcosidekick\'s defaults (config.go): port 5432, user/password postgres, database falcosidekick, table falcosidekick_events', () => {
    const { config, enabled } = configFromYaml('timescaledb:\n  host: tsdb\n');
    expect(enabled).toContain('timescaledb');
    expect(config).toMatchObject({ timescaledb: { host: 'tsdb', port: 5432, user: 'postgres', password: 'postgres', database: 'falcosidekick', hypertablename: 'falcosidekick_events' } });
  });

  it('from env vars, the port as a string as the chart writes it', () => {
    const { config, enabled } = configFromEnv({ TIMESCALEDB_HOST: 'db.ns.svc', TIMESCALEDB_PORT: '5433', TIMESCALEDB_USER: 'falco', TIMESCALEDB_PASSWORD: 'pw', TIMESCALEDB_DATABASE: 'events', TIMESCALEDB_HYPERTABLENAME: 'falco.Events', TIMESCALEDB_MINIMUMPRIORITY: 'warning' });
    expect(enabled).toContain('timescaledb');
    expect(config).toMatchObject({ timescaledb: { host: 'db.ns.svc', port: 5433, user: 'falco', password: 'pw', database: 'events', hypertablename: 'falco.Events', minimumpriority: 'warning' } });
  });

  it('"" for port, user, database or hypertablename means the default (config_example.yaml\'s `database: ""`)', () => {
    const { config } = configFromYaml('timescaledb:\n  host: tsdb\n  port: ""\n  user: ""\n  database: ""\n  hypertablename: ""\n  password: ""\n');
    expect(config).toMatchObject({ timescaledb: { port: 5432, user: 'postgres', database: 'falcosidekick', hypertablename: 'falcosidekick_events', password: '' } });
  });

  it('off without a host', () => {
    expect(configFromYaml('timescaledb:\n  port: "5432"\n').enabled).not.toContain('timescaledb');
  });

  it('a bad port or a table name that is not one: config errors naming the key', () => {
    expect(envProblems({ TIMESCALEDB_HOST: 'db', TIMESCALEDB_PORT: 'x' })).toEqual(['timescaledb.port: must be a port number such as 5432']);
    expect(envProblems({ TIMESCALEDB_HOST: 'db', TIMESCALEDB_PORT: '70000' })).toEqual(['timescaledb.port: must be 1-65535']);
    expect(envProblems({ TIMESCALEDB_HOST: 'db', TIMESCALEDB_HYPERTABLENAME: 'events; DROP TABLE x' })).toEqual([
      'timescaledb.hypertablename: must be a table name, or schema.table (letters, digits, _ and $, not starting with a digit or $)',
    ]);
  });

  it('tableName: one or two names, folded to lower case as PostgreSQL folds unquoted names', () => {
    expect(tableName('falcosidekick_events')).toEqual(['falcosidekick_events']);
    expect(tableName('Falco.Events_2')).toEqual(['falco', 'events_2']);
    expect(tableName('a.b.c')).toBeUndefined();
    expect(tableName('2x')).toBeUndefined();
    expect(tableName('')).toBeUndefined();
  });
});
