// One row per alert, as falcosidekick's newTimescaleDBPayload builds it: time, rule, priority,
// source, output always; tags (joined with ",") when the alert has any; hostname when it is not "";
// each customfields/templatedfields key whose output_fields value is a string, with its double
// quotes removed. A text value "null" (any case) is written as SQL NULL. A batch is one INSERT of
// every row, with the union of their columns: a column a row lacks gets DEFAULT, as falcosidekick
// leaves it out of that row's INSERT. Values are parameters; names are quoted identifiers.
import type { Alert } from '../../src/plugin/index.ts';
import { foldName } from './options.ts';

/** PostgreSQL's limit on the parameters of one statement. */
export const MAX_PARAMETERS = 65_535;

const FIXED = ['time', 'rule', 'priority', 'source', 'output'] as const;

export type Row = Map<string, string | null>;

/** The row of one alert: column name (folded as PostgreSQL folds an unquoted name) → value. */
export function alertRow(alert: Alert, fieldKeys: readonly string[]): Row {
  const row: Row = new Map();
  row.set('time', microseconds(alert.time));
  row.set('rule', nullText(alert.rule));
  row.set('priority', nullText(alert.priority));
  row.set('source', nullText(alert.source));
  row.set('output', nullText(alert.output));
  if (alert.tags.length > 0) row.set('tags', nullText(alert.tags.join(',')));
  if (alert.hostname) row.set('hostname', nullText(alert.hostname));
  for (const key of fieldKeys) {
    const value = alert.output_fields[key];
    if (typeof value === 'string') row.set(foldName(key), nullText(value.replaceAll('"', '')));
  }
  return row;
}

/**
 * The time with its fraction cut to microseconds (PostgreSQL's precision), as falcosidekick's
 * driver (pgx) cuts it: PostgreSQL itself would round the nanoseconds of the text.
 */
export function microseconds(time: string): string {
  return time.replace(/(\.\d{1,6})\d*/, '$1');
}

function nullText(value: string): string | null {
  return value.toLowerCase() === 'null' ? null : value;
}

export interface Statement {
  text: string;
  values: (string | null)[];
}

/**
 * The INSERT statements of a batch: one, unless its parameters would pass PostgreSQL's limit.
 * `table` and column names are quoted by `quote` (pg's escapeIdentifier).
 */
export function insertStatements(rows: readonly Row[], table: readonly string[], quote: (name: string) => string): Statement[] {
  const columns = columnsOf(rows);
  const into = `INSERT INTO ${table.map(quote).join('.')} (${columns.map(quote).join(', ')}) VALUES `;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const statements: Statement[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const values: (string | null)[] = [];
    const tuples = rows.slice(start, start + perStatement).map((row) => {
      const cells = columns.map((c) => {
        if (!row.has(c)) return 'DEFAULT';
        values.push(row.get(c) ?? null);
        return `$${values.length}`;
      });
      return `(${cells.join(', ')})`;
    });
    statements.push({ text: into + tuples.join(', '), values });
  }
  return statements;
}

/** The fixed columns, then every other column in the order the rows name them. */
function columnsOf(rows: readonly Row[]): string[] {
  const columns = new Set<string>(FIXED);
  for (const row of rows) for (const c of row.keys()) columns.add(c);
  return [...columns];
}
