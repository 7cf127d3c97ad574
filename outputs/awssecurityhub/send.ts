// One worker batch → BatchImportFindings calls (≤ 100 findings and ≤ 6 MB each, every call through
// the account's token bucket) → one outcome per alert, in batch order.
import type { AwsSecurityFinding, BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { abortReason, blameWholeCall, chunkBySize, fail, notOwn, ok, retry, settle, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { classifyError, classifyFailedFinding } from './classify.ts';
import { LIMITS, serializeFinding, toFinding, type Finding, type FindingTarget } from './finding.ts';
import type { TokenBucket } from './rate-limit.ts';

const MAX_FINDINGS_PER_CALL = 100;
/** 6 MB per call, less room for the request envelope. */
export const MAX_CALL_BYTES = 6_000_000 - 64_000;

export interface SendDeps {
  hub: Pick<SecurityHubClient, 'send'>;
  target: FindingTarget;
  bucket: TokenBucket;
}

interface Item {
  index: number;
  finding: Finding;
  /** The finding's JSON: sized once, and sent as is. */
  json: string;
  bytes: number;
}

/** Groups findings into calls within the count and byte limits, keeping batch order. */
export function chunkFindings<T extends { bytes: number }>(items: readonly T[], maxCount = MAX_FINDINGS_PER_CALL, maxBytes = MAX_CALL_BYTES): T[][] {
  return chunkBySize(items, maxCount, maxBytes);
}

export async function sendFindings(alerts: readonly Alert[], deps: SendDeps, signal: AbortSignal): Promise<SendResult> {
  const outcomes: Outcome[] = new Array<Outcome>(alerts.length);
  const items: Item[] = [];
  alerts.forEach((alert, index) => {
    const finding = toFinding(alert, deps.target);
    const { json, bytes } = serializeFinding(finding);
    // The mapping keeps findings far below the limit; this guards the invariant.
    if (bytes > LIMITS.findingBytes) outcomes[index] = fail(`finding is ${bytes} bytes, over Security Hub's 240 KB limit`);
    else items.push({ index, finding, json, bytes });
  });

  const chunks = chunkFindings(items);
  // Loaded by connect() already; after the first time this is a module-cache lookup.
  const { BatchImportFindingsCommand } = await import('@aws-sdk/client-securityhub');
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c] as Item[];
    let stop: { outcome: Outcome; from: number } | undefined;
    try {
      await deps.bucket.take(signal);
      const res = await deps.hub.send(importCommand(BatchImportFindingsCommand, chunk), { abortSignal: signal });
      settleChunk(chunk, res, outcomes);
    } catch (err) {
      if (signal.aborted) {
        // The deadline: what already went out stays delivered, the rest comes back.
        if (c === 0) throw err;
        stop = { from: c, outcome: notOwn(`timed out before this part of the batch was sent: ${abortReason(signal).message}`) };
      } else {
        const { outcome, throttled } = classifyError(err);
        if (throttled) deps.bucket.drain(outcome.kind === 'retry' ? (outcome.afterMs ?? 0) : 0);
        // A call refused whole (one bad finding) is the core's to halve, as SQS's and SNS's are.
        const blamed = blameWholeCall(outcome, chunk.length);
        for (const item of chunk) outcomes[item.index] = blamed;
        // Throttling and refused credentials apply to the next call as well: do not spend it.
        if (outcome.kind === 'retry' && (throttled || outcome.auth)) stop = { from: c + 1, outcome };
      }
    }
    if (stop !== undefined) {
      for (const rest of chunks.slice(stop.from)) for (const item of rest) outcomes[item.index] = stop.outcome;
      break;
    }
  }
  return settle(outcomes);
}

/**
 * The call for one chunk, its body the findings' JSON made above (which sized them) rather than the
 * SDK's schema serialiser walking every finding again: that saved ~10–15 µs of the output's ~40 per
 * alert and ~15 KiB of garbage (docs/performance-history.md, round 14). The command's input holds the
 * findings, as ever; the serialiser is handed an empty list, and the body is set after it. Signing,
 * credentials, retries off and error parsing stay the SDK's. send.test.ts fails if an SDK update
 * stops this from sending the findings.
 */
function importCommand(Command: typeof BatchImportFindingsCommand, chunk: readonly Item[]): BatchImportFindingsCommand {
  const command = new Command({ Findings: chunk.map((i) => i.finding as AwsSecurityFinding) });
  const body = findingsBody(chunk);
  command.middlewareStack.add((next) => (args) => next({ ...args, input: { Findings: [] } }), { step: 'serialize', priority: 'high', name: 'peregrineFindingsAsJson' });
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { body?: unknown; headers?: Record<string, string> };
      request.body = body;
      if (request.headers) delete request.headers['content-length'];
      return next(args);
    },
    { step: 'build', priority: 'high', name: 'peregrineFindingsBody' },
  );
  return command;
}

const OPEN = '{"Findings":[';
const CLOSE = ']}';

/**
 * `{"Findings":[…]}` as bytes, each finding's JSON written once, in place. It goes out as bytes: a
 * string body (~190 KB per 100 findings) was encoded to UTF-8 twice, for the signature's hash and
 * again for the socket, and scanned once more for its length. As bytes, the SDK's send of 100
 * findings cost 6–12 µs less per alert in bench/securityhub-send.ts; in the daemon the CPU stayed
 * within the noise and the output's peak RSS fell ~4 MiB (docs/performance-history.md, round 31). Writing
 * the parts into the Buffer, rather than joining them first, spares a ~190 KB string per call,
 * which V8 puts in its large-object space (round 32).
 */
export function findingsBody(chunk: readonly { json: string; bytes: number }[]): Buffer {
  let size = OPEN.length + CLOSE.length + Math.max(0, chunk.length - 1);
  for (const item of chunk) size += item.bytes;
  const body = Buffer.allocUnsafe(size);
  let at = body.write(OPEN, 0, 'latin1');
  for (let i = 0; i < chunk.length; i++) {
    if (i > 0) body[at++] = 0x2c; // ,
    const item = chunk[i] as { json: string; bytes: number };
    // Unbounded, so that a finding whose bytes were miscounted writes a different count: a bug to
    // report, not a body cut short.
    const written = body.write(item.json, at, 'utf8');
    if (written !== item.bytes) throw new Error(`Security Hub body: a finding of ${item.bytes} bytes wrote ${written}`);
    at += written;
  }
  body.write(CLOSE, at, 'latin1');
  return body;
}

interface ImportResponse {
  FailedCount?: number;
  SuccessCount?: number;
  FailedFindings?: { Id?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

function settleChunk(chunk: Item[], res: ImportResponse, outcomes: Outcome[]): void {
  const byId = new Map<string, Item[]>();
  for (const item of chunk) {
    const list = byId.get(item.finding.Id);
    if (list) list.push(item);
    else byId.set(item.finding.Id, [item]);
  }
  const failed = new Set<Item>();
  for (const f of res.FailedFindings ?? []) {
    for (const item of byId.get(f.Id ?? '') ?? []) {
      outcomes[item.index] = classifyFailedFinding(f.ErrorCode, f.ErrorMessage);
      failed.add(item);
    }
  }
  // FailedCount above the failures we could match to an Id, or fewer findings counted than sent:
  // we cannot tell which ones it lacks, so the rest is sent again (findings are upserts by Id, a
  // re-send is harmless).
  const counted = (res.SuccessCount ?? chunk.length) + (res.FailedCount ?? 0);
  const doubt =
    (res.FailedCount ?? 0) > failed.size
      ? `Security Hub reported ${res.FailedCount} failed findings but named only ${failed.size}`
      : counted < chunk.length
        ? `Security Hub counted ${counted} of the ${chunk.length} findings sent`
        : undefined;
  const outcome = doubt === undefined ? ok() : retry(doubt);
  for (const item of chunk) if (!failed.has(item)) outcomes[item.index] = outcome;
}
