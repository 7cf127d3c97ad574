// One worker batch → PutRecords calls → one outcome per alert. Kinesis answers each record in
// request order: a record refused for the shard's throughput is retried alone after a pause (the
// stream's state, not the alert's), an InternalFailure is retried, and the records it took are done.
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { blameWholeCall, notOwn, ok, retry, sendChunks, settle, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { classifyAwsError, entryCodeOutcome, THROTTLE_AFTER_MS } from '../../src/plugin/aws-errors.ts';
import { chunkRecords, toRecords, type KinesisRecord } from './records.ts';

/** A missing stream is a configuration problem, not the alerts' fault: they wait (output "failing"). */
export const streamHints = (key: string): Record<string, string> => ({ ResourceNotFoundException: `the stream does not exist: create it or fix ${key}` });
const HINTS = streamHints('aws.kinesis.streamname');

/** A shard over its write throughput (1 MiB or 1,000 records per second): the stream's state. */
const THROUGHPUT = 'ProvisionedThroughputExceededException';

export interface KinesisTarget {
  kinesis: Pick<KinesisClient, 'send'>;
  streamName: string;
  /** Names the destination in reasons (default "Kinesis"; a Kinesis-compatible service its own). */
  service?: string;
  /** Error name → what to fix, naming the output's own keys (default: aws.kinesis's). */
  hints?: Record<string, string>;
}

interface PutRecordsAnswer {
  Records?: { SequenceNumber?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

/** A record's own answer in PutRecords (`Records[i].ErrorCode`). */
export function recordOutcome(code: string, message: string | undefined, service = 'Kinesis'): Outcome {
  const detail = `${code}: ${message ?? ''}`.trim();
  if (code === THROUGHPUT) return notOwn(`throttled by ${service}: ${detail}`, { afterMs: THROTTLE_AFTER_MS });
  return entryCodeOutcome(code, service, detail) ?? retry(`${service} failed the record: ${detail}`);
}

/** A thrown error: the call as a whole failed, for every record in it. */
export function classifyKinesisError(err: unknown, service = 'Kinesis', hints: Record<string, string> = HINTS): Outcome {
  const e = (err ?? {}) as { name?: string; message?: string };
  // Both are 400s that say "later": a shard over its throughput, a stream being created or resharded.
  if (e.name === THROUGHPUT) return retry(`throttled by ${service}: ${e.name}: ${e.message ?? ''}`, { afterMs: THROTTLE_AFTER_MS });
  if (e.name === 'ResourceInUseException') return retry(`the stream is not ACTIVE (being created, updated or resharded): ${e.message ?? ''}`);
  return classifyAwsError(err, service, hints).outcome;
}

function settleAnswer(chunk: readonly KinesisRecord[], answer: PutRecordsAnswer, outcomes: Outcome[], service: string): void {
  const records = answer.Records ?? [];
  chunk.forEach((record, i) => {
    const result = records[i];
    if (result === undefined) outcomes[record.index] = retry(`${service} answered without this record`);
    else if (result.ErrorCode) outcomes[record.index] = recordOutcome(result.ErrorCode, result.ErrorMessage, service);
    else if (result.SequenceNumber) outcomes[record.index] = ok();
    else outcomes[record.index] = retry(`${service} answered this record without a sequence number or an error`);
  });
}

export async function putRecords(alerts: readonly Alert[], target: KinesisTarget, signal: AbortSignal): Promise<SendResult> {
  const outcomes: Outcome[] = new Array<Outcome>(alerts.length);
  const service = target.service ?? 'Kinesis';
  const { PutRecordsCommand } = await import('@aws-sdk/client-kinesis');
  await sendChunks(
    chunkRecords(toRecords(alerts)),
    outcomes,
    signal,
    async (chunk) => {
      const answer: PutRecordsAnswer = await target.kinesis.send(
        new PutRecordsCommand({ StreamName: target.streamName, Records: chunk.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })) }),
        { abortSignal: signal },
      );
      settleAnswer(chunk, answer, outcomes, service);
    },
    (err, chunk) => blameWholeCall(classifyKinesisError(err, service, target.hints), chunk.length),
  );
  return settle(outcomes);
}
