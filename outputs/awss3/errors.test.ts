// S3 answers a bucket in another region with a 301 PermanentRedirect (or a 400
// AuthorizationHeaderMalformed naming the region). Both are the config's mistake: the alerts wait,
// the output failing with what to set, instead of being retried for an hour without a word (301) or
// dead-lettered one by one (400).
import { describe, expect, it } from 'vitest';
import s3 from './index.ts';
import { outputSchema } from '../../src/config/schema.ts';
import { testAlerts } from '../../test/support/alerts.ts';
import { connectContext } from '../../test/support/plugin-context.ts';

describe('awss3: a bucket in another region', () => {
  it.each([
    ['PermanentRedirect', 301],
    ['AuthorizationHeaderMalformed', 400],
  ])('%s (HTTP %i): retried, marked as the config\'s, naming aws.region', async (name, status) => {
    const client = { s3: { send: async () => Promise.reject(Object.assign(new Error('The bucket you are attempting to access must be addressed using the specified endpoint.'), { name, $fault: 'client', $metadata: { httpStatusCode: status } })) } };
    const options = outputSchema(s3).parse({ bucket: 'falco' });
    const ctx = connectContext('awss3', {});
    const result = await s3.sendBatch(testAlerts(2), { options: options as never, client: client as never, signal: new AbortController().signal, log: ctx.log, clock: ctx.clock });
    expect(result).toMatchObject({ kind: 'retry', auth: true, reason: expect.stringContaining('set aws.region to the bucket\'s region') });
  });
});
