// Every gRPC status a Publish call can end with, and an error without one.
import { describe, expect, it } from 'vitest';
import { classifyPublishError } from './classify.ts';

const grpcError = (code: number, details = `details ${code}`) => Object.assign(new Error(`${code} X: ${details}`), { code, details });
const topic = 'projects/p/topics/t';

describe('classifyPublishError', () => {
  it.each([
    [16, { kind: 'retry', auth: true, reason: 'Pub/Sub answered UNAUTHENTICATED: details 16 (the credentials were refused: check gcp.credentials or the Application Default Credentials)' }],
    [7, { kind: 'retry', auth: true, reason: 'Pub/Sub answered PERMISSION_DENIED: details 7 (the account may not publish to projects/p/topics/t: grant it roles/pubsub.publisher)' }],
    [5, { kind: 'retry', auth: true, reason: 'Pub/Sub answered NOT_FOUND: details 5 (topic projects/p/topics/t does not exist: create it or fix gcp.pubsub.projectid/topic)' }],
    [8, { kind: 'retry', afterMs: 1000, reason: 'Pub/Sub answered RESOURCE_EXHAUSTED: details 8' }],
    [3, { kind: 'fail', reason: 'Pub/Sub answered INVALID_ARGUMENT: details 3' }],
    [11, { kind: 'fail', reason: 'Pub/Sub answered OUT_OF_RANGE: details 11' }],
    [12, { kind: 'fail', reason: 'Pub/Sub answered UNIMPLEMENTED: details 12' }],
    [6, { kind: 'fail', reason: 'Pub/Sub answered ALREADY_EXISTS: details 6' }],
    [1, { kind: 'retry', reason: 'Pub/Sub answered CANCELLED: details 1' }],
    [2, { kind: 'retry', reason: 'Pub/Sub answered UNKNOWN: details 2' }],
    [4, { kind: 'retry', reason: 'Pub/Sub answered DEADLINE_EXCEEDED: details 4' }],
    [9, { kind: 'retry', reason: 'Pub/Sub answered FAILED_PRECONDITION: details 9' }],
    [10, { kind: 'retry', reason: 'Pub/Sub answered ABORTED: details 10' }],
    [13, { kind: 'retry', reason: 'Pub/Sub answered INTERNAL: details 13' }],
    [14, { kind: 'retry', reason: 'Pub/Sub answered UNAVAILABLE: details 14' }],
    [15, { kind: 'retry', reason: 'Pub/Sub answered DATA_LOSS: details 15' }],
  ])('gRPC code %i', (code, outcome) => {
    expect(classifyPublishError(grpcError(code), topic)).toEqual(outcome);
  });

  it('an error without a gRPC code (a network error) is retried with its message', () => {
    expect(classifyPublishError(new Error('getaddrinfo ENOTFOUND pubsub.googleapis.com'), topic)).toEqual({ kind: 'retry', reason: 'Pub/Sub: getaddrinfo ENOTFOUND pubsub.googleapis.com' });
    expect(classifyPublishError(Object.assign(new Error('x'), { code: 99 }), topic)).toEqual({ kind: 'retry', reason: 'Pub/Sub: x' });
  });
});
