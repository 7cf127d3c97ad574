// OCSF findings → one Parquet file (one row group, Snappy), with falcosidekick's schema: the same
// column names (its "classname" included), physical and logical types, required fields, nested
// structs as groups and field ids. Its lists are legacy two-level repeated fields, which
// hyparquet-writer cannot write: here they are three-level LISTs whose element keeps the field's
// name, so a reader sees the same types (pyarrow: list<labels: string not null>).
// hyparquet-writer is imported on first use (from sendBatch), never at module load.
import type { SchemaElement } from 'hyparquet-writer';
import type { OcsfFinding } from './ocsf.ts';

type Leaf = 'INT32' | 'INT64' | 'STRING';

const leaf = (name: string, type: Leaf): SchemaElement =>
  type === 'STRING'
    ? { name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED', field_id: 0 }
    : { name, type, repetition_type: 'REQUIRED', field_id: 0 };

const group = (name: string, children: SchemaElement[][]): SchemaElement[] => [{ name, repetition_type: 'REQUIRED', num_children: children.length }, ...children.flat()];

/** A list of `element` (a leaf, or a group: its first element heads it), named as falcosidekick's field. */
const list = (name: string, element: SchemaElement[]): SchemaElement[] => [
  { name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  ...element,
];

/** The file's schema, depth-first as Parquet stores it; the top-level fields in falcosidekick's order. */
export const FINDING_SCHEMA: SchemaElement[] = group('parquet_go_root', [
  [leaf('activity_id', 'INT32')],
  [leaf('activity_name', 'STRING')],
  [leaf('category_name', 'STRING')],
  [leaf('category_uid', 'INT32')],
  [leaf('classname', 'STRING')],
  [leaf('class_uid', 'INT32')],
  group('finding', [[leaf('created_time', 'INT64')], [leaf('desc', 'STRING')], [leaf('title', 'STRING')], list('types', [leaf('types', 'STRING')]), [leaf('uid', 'STRING')]]),
  [leaf('message', 'STRING')],
  group('metadata', [[leaf('version', 'STRING')], group('product', [[leaf('vendor_name', 'STRING')], [leaf('name', 'STRING')]]), list('labels', [leaf('labels', 'STRING')])]),
  list('observables', group('observables', [[leaf('name', 'STRING')], [leaf('type', 'STRING')], [leaf('type_id', 'INT32')], [leaf('value', 'STRING')]])),
  [leaf('raw_data', 'STRING')],
  [leaf('severity', 'STRING')],
  [leaf('severity_id', 'INT32')],
  [leaf('state', 'STRING')],
  [leaf('state_id', 'INT32')],
  [leaf('status', 'STRING')],
  [leaf('time', 'INT64')],
  [leaf('type_name', 'STRING')],
  [leaf('type_uid', 'INT32')],
]);

/** Top-level column → the finding's value for it (only "classname" is named apart from the OCSF field). */
const COLUMNS: [string, (f: OcsfFinding) => unknown][] = [
  ['activity_id', (f) => f.activity_id],
  ['activity_name', (f) => f.activity_name],
  ['category_name', (f) => f.category_name],
  ['category_uid', (f) => f.category_uid],
  ['classname', (f) => f.class_name],
  ['class_uid', (f) => f.class_uid],
  ['finding', (f) => f.finding],
  ['message', (f) => f.message],
  ['metadata', (f) => f.metadata],
  ['observables', (f) => f.observables],
  ['raw_data', (f) => f.raw_data],
  ['severity', (f) => f.severity],
  ['severity_id', (f) => f.severity_id],
  ['state', (f) => f.state],
  ['state_id', (f) => f.state_id],
  ['status', (f) => f.status],
  ['time', (f) => f.time],
  ['type_name', (f) => f.type_name],
  ['type_uid', (f) => f.type_uid],
];

const CREATED_BY = 'peregrine awssecuritylake (hyparquet-writer)';

/** The findings as one Parquet file: one row group, Snappy-compressed pages. */
export async function findingsParquet(findings: readonly OcsfFinding[]): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const buffer = parquetWriteBuffer({
    schema: FINDING_SCHEMA,
    columnData: COLUMNS.map(([name, pick]) => ({ name, data: findings.map(pick) })),
    codec: 'SNAPPY',
    rowGroupSize: Math.max(1, findings.length),
    createdBy: CREATED_BY,
  });
  return new Uint8Array(buffer);
}
