import { describe, expect, it } from 'vitest';
import { testAlerts } from '../../test/support/alerts.ts';
import { ocsfFinding } from './ocsf.ts';
import { FINDING_SCHEMA, findingsParquet } from './parquet.ts';

// The file is read back by pyarrow, row by row, in test/integration/awssecuritylake.
describe('awssecuritylake Parquet', () => {
  it('falcosidekick\'s schema: its names, types and required fields; lists as LISTs whose element keeps the name', () => {
    const s = (name: string) => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED', field_id: 0 });
    const i32 = (name: string) => ({ name, type: 'INT32', repetition_type: 'REQUIRED', field_id: 0 });
    const i64 = (name: string) => ({ name, type: 'INT64', repetition_type: 'REQUIRED', field_id: 0 });
    const group = (name: string, n: number) => ({ name, repetition_type: 'REQUIRED', num_children: n });
    const list = (name: string) => [{ name, repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 }];
    expect(FINDING_SCHEMA).toEqual([
      group('parquet_go_root', 19),
      i32('activity_id'),
      s('activity_name'),
      s('category_name'),
      i32('category_uid'),
      s('classname'),
      i32('class_uid'),
      group('finding', 5),
      i64('created_time'),
      s('desc'),
      s('title'),
      ...list('types'),
      s('types'),
      s('uid'),
      s('message'),
      group('metadata', 3),
      s('version'),
      group('product', 2),
      s('vendor_name'),
      s('name'),
      ...list('labels'),
      s('labels'),
      ...list('observables'),
      group('observables', 4),
      s('name'),
      s('type'),
      i32('type_id'),
      s('value'),
      s('raw_data'),
      s('severity'),
      i32('severity_id'),
      s('state'),
      i32('state_id'),
      s('status'),
      i64('time'),
      s('type_name'),
      i32('type_uid'),
    ]);
  });

  it('writes a Parquet file (PAR1 at both ends), the same bytes for the same findings', async () => {
    const findings = testAlerts(3).map((a) => ocsfFinding(a));
    const file = await findingsParquet(findings);
    const magic = (at: number) => Buffer.from(file.subarray(at, at + 4)).toString('latin1');
    expect([magic(0), magic(file.length - 4)]).toEqual(['PAR1', 'PAR1']);
    expect(Buffer.from(await findingsParquet(findings)).equals(Buffer.from(file))).toBe(true);
  });
});
