// AWS API reference, RejectedLogEventsInfo: "tooOldLogEventEndIndex — The index of the last log
// event that is too old. This field is exclusive." (tooNewLogEventStartIndex is inclusive.)
import { describe, expect, it } from 'vitest';
import { rejectionOf } from '../../../outputs/awscloudwatchlogs/events.ts';

describe('review: CloudWatch rejectedLogEventsInfo', () => {
  it('tooOldLogEventEndIndex is exclusive: the event AT that index was stored', () => {
    // AWS: events 0 and 1 too old, event 2 onward stored.
    const info = { tooOldLogEventEndIndex: 2 };
    expect(rejectionOf(info, 0)).toBeDefined();
    expect(rejectionOf(info, 1)).toBeDefined();
    expect(rejectionOf(info, 2)).toBeUndefined(); // actual: 'too old: …' → stored alert dead-lettered
  });
});
