// One worker batch → BatchImportFindings calls (≤ 100 findings and ≤ 6 MB each, every call through
// the account's token bucket) → one outcome per alert, in batch order.
import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { chunkBySize, fail, ok, retry, settle, type Alert, type Outcome, type SendResult } from '../../src/plugin/index.ts';
import { classifyError, classifyFailedFinding } from './classify.ts';
import { findingBytes, LIMITS, toFinding, type Finding, type FindingTarget } from './finding.ts';
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
    const bytes = findingBytes(finding);
    // The mapping keeps findings far below the limit; this guards the invariant.
    if (bytes > LIMITS.findingBytes) outcomes[index] = fail(`finding is ${bytes} bytes, over Security Hub's 240 KB limit`);
    else items.push({ index, finding, bytes });
  });

  const chunks = chunkFindings(items);
  // Loaded by connect() already; after the first time this is a module-cache lookup.
  const { BatchImportFindingsCommand } = await import('@aws-sdk/client-securityhub');
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c] as Item[];
    let stop: { outcome: Outcome; from: number } | undefined;
    try {
      await deps.bucket.take(signal);
      const res = await deps.hub.send(new BatchImportFindingsCommand({ Findings: chunk.map((i) => i.finding as AwsSecurityFinding) }), { abortSignal: signal });
      settleChunk(chunk, res, outcomes);
    } catch (err) {
      if (signal.aborted) {
        // The deadline: what already went out stays delivered, the rest comes back.
        if (c === 0) throw err;
        stop = { from: c, outcome: retry(`timed out before this part of the batch was sent: ${String((signal.reason as Error | undefined)?.message ?? signal.reason)}`) };
      } else {
        const { outcome, throttled } = classifyError(err);
        if (throttled) deps.bucket.drain(outcome.kind === 'retry' ? (outcome.afterMs ?? 0) : 0);
        for (const item of chunk) outcomes[item.index] = outcome;
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
  // FailedCount above the failures we could match to an Id: we cannot tell which ones failed, so
  // the rest is sent again (findings are upserts by Id, a re-send is harmless).
  const unmatched = (res.FailedCount ?? 0) > failed.size;
  for (const item of chunk) {
    if (failed.has(item)) continue;
    outcomes[item.index] = unmatched ? retry(`Security Hub reported ${res.FailedCount} failed findings but named only ${failed.size}`) : ok();
  }
}
