// awssecuritylake against moto_server's S3: every alert lands once as an OCSF Security Finding row
// of a Parquet object under <prefix>/region=/accountId=/eventDay=/, read back by pyarrow (an
// independent reader, read-parquet.py): falcosidekick's schema, Snappy, one row group per object,
// every row exact; a missing bucket keeps the alerts queued until it exists.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectAclCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type AlertInput } from '../../../src/alert/alert.ts';
import { parseJson } from '../../../src/alert/json.ts';
import { contentId } from '../../../outputs/awssecuritylake/objects.ts';
import { ocsfFinding } from '../../../outputs/awssecuritylake/ocsf.ts';
import { startApp, type RunningApp } from '../../support/app.ts';
import { expectExactAlerts, postInOrder, runAlertJson } from '../../support/exact.ts';
import { waitFor } from '../../support/receiver.ts';
import { objectKeys } from '../../support/moto-reads.ts';
import type { SecurityHubInfra as MotoInfra } from '../../infra/securityhub/state.ts';
import { infraSkipped, useInfra } from '../../infra/state.ts';

const run = promisify(execFile);

/** The moto venv's python, where test/infra/securityhub/install.sh installs pyarrow. */
function venvPython(): string {
  const cache = process.env.PEREGRINE_IT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'peregrine-test');
  const venv = readdirSync(join(cache, 'securityhub')).find((name) => name.startsWith('venv-moto-'));
  if (!venv) throw new Error(`no moto venv under ${cache}/securityhub: run bash test/infra/infra.sh securityhub install`);
  return join(cache, 'securityhub', venv, 'bin/python');
}

interface Read {
  parquetSchema: string;
  arrowSchema: string[];
  createdBy: string;
  rowGroups: number;
  rows: number;
  codecs: string[];
  columns: string[];
  records: Record<string, unknown>[];
}

// falcosidekick 2.34.1's schema as pyarrow shows it, but for its lists (legacy repeated fields there,
// three-level LISTs here: the same Arrow types, list<labels: string not null>).
const PARQUET_SCHEMA = `required group field_id=-1 parquet_go_root {
  required int32 field_id=0 activity_id;
  required binary field_id=0 activity_name (String);
  required binary field_id=0 category_name (String);
  required int32 field_id=0 category_uid;
  required binary field_id=0 classname (String);
  required int32 field_id=0 class_uid;
  required group field_id=-1 finding {
    required int64 field_id=0 created_time;
    required binary field_id=0 desc (String);
    required binary field_id=0 title (String);
    required group field_id=-1 types (List) {
      repeated group field_id=-1 list {
        required binary field_id=0 types (String);
      }
    }
    required binary field_id=0 uid (String);
  }
  required binary field_id=0 message (String);
  required group field_id=-1 metadata {
    required binary field_id=0 version (String);
    required group field_id=-1 product {
      required binary field_id=0 vendor_name (String);
      required binary field_id=0 name (String);
    }
    required group field_id=-1 labels (List) {
      repeated group field_id=-1 list {
        required binary field_id=0 labels (String);
      }
    }
  }
  required group field_id=-1 observables (List) {
    repeated group field_id=-1 list {
      required group field_id=-1 observables {
        required binary field_id=0 name (String);
        required binary field_id=0 type (String);
        required int32 field_id=0 type_id;
        required binary field_id=0 value (String);
      }
    }
  }
  required binary field_id=0 raw_data (String);
  required binary field_id=0 severity (String);
  required int32 field_id=0 severity_id;
  required binary field_id=0 state (String);
  required int32 field_id=0 state_id;
  required binary field_id=0 status (String);
  required int64 field_id=0 time;
  required binary field_id=0 type_name (String);
  required int32 field_id=0 type_uid;
}`;

// The Arrow schema falcosidekick's objects have (pyarrow 21 reading falcosidekick 2.34.1's file).
const ARROW_SCHEMA = [
  'activity_id: int32 not null',
  'activity_name: string not null',
  'category_name: string not null',
  'category_uid: int32 not null',
  'classname: string not null',
  'class_uid: int32 not null',
  'finding: struct<created_time: int64 not null, desc: string not null, title: string not null, types: list<types: string not null> not null, uid: string not null> not null',
  'message: string not null',
  'metadata: struct<version: string not null, product: struct<vendor_name: string not null, name: string not null> not null, labels: list<labels: string not null> not null> not null',
  'observables: list<observables: struct<name: string not null, type: string not null, type_id: int32 not null, value: string not null> not null> not null',
  'raw_data: string not null',
  'severity: string not null',
  'severity_id: int32 not null',
  'state: string not null',
  'state_id: int32 not null',
  'status: string not null',
  'time: int64 not null',
  'type_name: string not null',
  'type_uid: int32 not null',
];

/** The row pyarrow should read for alert JSON `json`: the OCSF finding, times as numbers, class_name as falcosidekick's "classname". */
function expectedRow(json: string): Record<string, unknown> {
  const { class_name, finding, time, ...rest } = ocsfFinding(freezeAlert(toAlert(parseJson(json) as AlertInput)));
  const ordered = { ...rest, classname: class_name, finding: { ...finding, created_time: Number(finding.created_time) }, time: Number(time) };
  return ordered;
}

describe.skipIf(infraSkipped('securityhub'))('awssecuritylake against moto S3, read back by pyarrow', () => {
  let moto: MotoInfra;
  let s3: S3Client;
  let python: string;
  const dir = mkdtempSync(join(tmpdir(), 'peregrine-lake-'));
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    moto = await useInfra<MotoInfra>('securityhub');
    python = venvPython();
    s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: moto.region, credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey }, maxAttempts: 1 });
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    s3?.destroy();
  });

  const yaml = (bucket: string, batch: string) =>
    `aws:\n  accesskeyid: ${moto.accessKeyId}\n  secretaccesskey: ${moto.secretAccessKey}\n  region: ${moto.region}\n  endpoint: ${moto.endpoint}\n  securitylake:\n    bucket: ${bucket}\n    region: eu-west-3\n    prefix: ext/falco\n    accountid: '123456789012'\n    retry:\n      initialbackoffms: 50\n      maxbackoffms: 500\n    batch:\n${batch}`;

  async function start(config: string): Promise<RunningApp> {
    const app = await startApp(config);
    apps.push(app);
    return app;
  }

  /** The object as pyarrow reads it, with its content type checked. */
  async function readObject(bucket: string, key: string): Promise<Read> {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(res.ContentType).toBe('application/vnd.apache.parquet');
    const file = join(dir, `${randomUUID()}.parquet`);
    writeFileSync(file, await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
    const { stdout } = await run(python, [join(import.meta.dirname, 'read-parquet.py'), file], { maxBuffer: 256 << 20 });
    return JSON.parse(stdout) as Read;
  }

  it('1,200 alerts over two days: one Parquet object per batch and eventDay, every row exact, each alert once', async () => {
    const bucket = `lake-${randomUUID().slice(0, 8)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const app = await start(yaml(bucket, '      maxevents: 500\n      flushms: 100\n'));
    const time = (i: number) => (i % 3 ? '2026-11-20T23:59:59.999999999Z' : '2026-11-21T00:00:00.5+00:00');
    const marker = `lake-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, marker, 1200, { time });
    const worker = app.workers.find((w) => w.name === 'awssecuritylake');
    await waitFor(() => worker?.healthSnapshot().delivered === 1200, 60_000, '1,200 deliveries');

    const keys = await objectKeys(s3, bucket);
    const rows: Record<string, unknown>[] = [];
    for (const key of keys) {
      const match = new RegExp(`^ext/falco/region=eu-west-3/accountId=123456789012/eventDay=(2026112[01])/(${marker}-\\d+)-[0-9a-f]{16}\\.parquet$`).exec(key);
      expect(match, key).not.toBeNull();
      const read = await readObject(bucket, key);
      expect({ ...read, records: undefined }).toEqual({
        parquetSchema: PARQUET_SCHEMA,
        arrowSchema: ARROW_SCHEMA,
        createdBy: 'peregrine awssecuritylake (hyparquet-writer)',
        rowGroups: 1,
        rows: read.records.length,
        codecs: ['SNAPPY'],
        columns: read.columns,
        records: undefined,
      });
      // Named after its first row; every row of its eventDay.
      expect((read.records[0]?.finding as { uid: string }).uid).toBe(match?.[2]);
      for (const record of read.records) expect(new Date(record.time as number).toISOString().slice(0, 10).replaceAll('-', '')).toBe(match?.[1]);
      rows.push(...read.records);
    }
    // Every alert exactly once (its raw_data keeps the evt.time digits), and each row exactly the finding of its alert.
    expectExactAlerts(rows.map((r) => r.raw_data as string), marker, 1200, { time });
    for (const row of rows) {
      const i = Number(/-(\d+)$/.exec((row.finding as { uid: string }).uid)?.[1]);
      expect(row).toEqual(expectedRow(runAlertJson(marker, i, { time: time(i) })));
    }
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: keys[0] }));
    expect(acl.Grants?.some((g) => g.Permission === 'FULL_CONTROL')).toBe(true);
  });

  it('a missing bucket keeps alerts queued (failing, nothing dead-lettered) until it exists; then one object', async () => {
    const bucket = `late-${randomUUID().slice(0, 8)}`;
    const app = await start(yaml(bucket, '      flushms: 20\n'));
    const marker = `late-${randomUUID().slice(0, 8)}`;
    await postInOrder(app, marker, 5);
    const worker = app.workers.find((w) => w.name === 'awssecuritylake');
    await waitFor(() => worker?.healthSnapshot().state === 'failing', 20_000, 'failing on NoSuchBucket');
    expect(worker?.healthSnapshot().lastError).toMatch(/NoSuchBucket.*fix aws.securitylake.bucket/);
    expect(app.deadLetters.size()).toBe(0);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await waitFor(() => worker?.healthSnapshot().delivered === 5, 20_000, 'delivery once the bucket exists');
    const keys = await objectKeys(s3, bucket);
    const uuids = Array.from({ length: 5 }, (_, i) => `${marker}-${i}`);
    expect(keys).toEqual([`ext/falco/region=eu-west-3/accountId=123456789012/eventDay=20261120/${marker}-0-${contentId(uuids)}.parquet`]);
    const read = await readObject(bucket, keys[0] as string);
    expect(read.records).toEqual(Array.from({ length: 5 }, (_, i) => expectedRow(runAlertJson(marker, i))));
  });
});
