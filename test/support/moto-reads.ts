// Reading back what an output wrote to moto's S3 and Kinesis (the aws.s3/yandex.s3 and
// aws.kinesis/yandex.datastreams integration tests share these).
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { expect } from 'vitest';
import { waitFor } from './receiver.ts';

/** Every object key of the bucket, page after page. */
export async function objectKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
    out.push(...(page.Contents ?? []).map((c) => c.Key as string));
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** A gzipped NDJSON object's lines (its content type and encoding checked). */
export async function ndjsonLines(s3: S3Client, bucket: string, key: string): Promise<string[]> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  expect([res.ContentType, res.ContentEncoding]).toEqual(['application/x-ndjson', 'gzip']);
  const text = gunzipSync(Buffer.from(await (res.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())).toString();
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

export async function createStream(kinesis: KinesisClient, name: string, shards: number): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitFor(async () => (await kinesis.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription?.StreamStatus === 'ACTIVE', 20_000, 'stream ACTIVE');
}

/** Every record of every shard, from the start: [partition key, data text]. */
export async function streamRecords(kinesis: KinesisClient, name: string): Promise<[string, string][]> {
  const shards = (await kinesis.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription?.Shards ?? [];
  const out: [string, string][] = [];
  for (const shard of shards) {
    let iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const records = page.Records ?? [];
      out.push(...records.map((r): [string, string] => [r.PartitionKey as string, Buffer.from(r.Data as Uint8Array).toString('utf8')]));
      iterator = records.length ? page.NextShardIterator : undefined;
    }
  }
  return out;
}
