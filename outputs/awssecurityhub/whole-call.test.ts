// A batch of more than 100 findings (batch.maxevents raised) goes out in several BatchImportFindings
// calls. When one call fails as a whole with a 4xx (InvalidInputException: one bad finding), its
// alerts are blamed together (blameWholeCall), as SQS's and SNS's are, so the core halves them to
// find the one at fault instead of dead-lettering all of them.
import { describe, expect, it } from 'vitest';
import { freezeAlert, toAlert, type Alert, type AlertInput } from '../../src/alert/alert.ts';
import { parseJson } from '../../src/alert/json.ts';
import { falcoAlertJson } from '../../test/support/alerts.ts';
import { TokenBucket } from './rate-limit.ts';
import { sendFindings } from './send.ts';
import { judge } from '../../src/dispatch/retry-policy.ts';
import { QueueEntry } from '../../src/dispatch/queue-entry.ts';
import { Evidence } from '../../src/dispatch/evidence.ts';

const target = { accountId: '123456789012', region: 'us-east-1', partition: 'aws', productArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default' };
const alerts = (n: number): Alert[] => Array.from({ length: n }, (_, i) => freezeAlert(toAlert(parseJson(falcoAlertJson(i)) as AlertInput)));

describe('Security Hub: a call refused whole in a batch of several calls', () => {
  it('halves the refused call instead of dead-lettering all of its alerts', async () => {
    let call = 0;
    const hub = {
      send: async (cmd: { input: { Findings: unknown[] } }) => {
        call++;
        if (call === 2) {
          throw Object.assign(new Error('Invalid finding'), { name: 'InvalidInputException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
        }
        return { SuccessCount: cmd.input.Findings.length, FailedCount: 0, FailedFindings: [] };
      },
    };
    const batch = alerts(150);
    const result = await sendFindings(batch, { hub: hub as never, target, bucket: new TokenBucket(1000, 1000) }, new AbortController().signal);
    const entries = batch.map((a, seq) => new QueueEntry(a, { bytes: 100, seq, receivedAt: 0 }));
    const verdict = judge(entries, result, { maxattempts: 0, maxagems: 0 }, 0, new Evidence());
    expect(verdict.delivered).toHaveLength(100);
    // The 50 refused together are sent again in halves (all 50 were dead-lettered before).
    expect(verdict.deadLetters).toHaveLength(0);
    expect(verdict.split).toBe(25);
  });
});
