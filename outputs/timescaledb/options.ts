// The timescaledb section: falcosidekick's keys (host, port, user, password, database,
// hypertablename) with its defaults (config.go, not its docs page, which names other ones).
// Validation only; no IO.
import { secret, z } from '../../src/plugin/index.ts';

export const timescaledbSchema = z.object({
  host: z.string().trim().default('').describe('PostgreSQL/TimescaleDB server host name or IP. Setting it turns the output on.'),
  port: z
    .union([z.number(), z.string().trim().regex(/^\d*$/, 'must be a port number such as 5432')])
    .default(5432)
    .transform((v) => (v === '' ? 5432 : Number(v)))
    .pipe(z.number().int('must be a whole number').min(1, 'must be 1-65535').max(65535, 'must be 1-65535'))
    .describe('Server port (a number or a string as falcosidekick reads it).'),
  user: z
    .string()
    .default('postgres')
    .transform((v) => v || 'postgres')
    .describe('Role to log in as ("" means the default).'),
  password: secret(z.string().default('postgres').describe('Password of the role ("" = none: for a server that does not ask, e.g. trust authentication).')),
  database: z
    .string()
    .default('falcosidekick')
    .transform((v) => v || 'falcosidekick')
    .describe('Database to connect to ("" means the default).'),
  hypertablename: z
    .string()
    .trim()
    .default('falcosidekick_events')
    .transform((v) => v || 'falcosidekick_events')
    .refine((v) => tableName(v) !== undefined, { error: 'must be a table name, or schema.table (letters, digits, _ and $, not starting with a digit or $)' })
    .describe('Table (a TimescaleDB hypertable, or any PostgreSQL table) the rows go to; "schema.table" for another schema than the search path; "" means the default. Unquoted PostgreSQL names: folded to lower case.'),
});

const NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * The table's name parts as PostgreSQL reads them unquoted (what falcosidekick sends: the name
 * pasted into the statement): ASCII letters folded to lower case. Undefined for a name that is not
 * one or two plain identifiers.
 */
export function tableName(value: string): string[] | undefined {
  const parts = value.split('.');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p))) return undefined;
  return parts.map(foldName);
}

/** A name as PostgreSQL folds an unquoted identifier: A-Z to a-z, nothing else. */
export function foldName(name: string): string {
  return name.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
