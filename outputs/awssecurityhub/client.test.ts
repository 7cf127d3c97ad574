// The Security Hub client as connect() builds it, without any network call (accountid given).
import { describe, expect, it } from 'vitest';
import { createAws } from './client.ts';

describe('createAws', () => {
  it('builds the client without the SDK logger middleware (it filtered every finding on every call)', async () => {
    const options = { region: 'eu-west-1', accountid: '123456789012', productarn: '', endpoint: 'http://127.0.0.1:9', stsendpoint: '', rolearn: '' };
    const { hub, target } = await createAws(options, { timeoutMs: 1_000, concurrency: 1 });
    const stack = hub.middlewareStack.identify();
    expect(stack.some((m) => m.startsWith('loggerMiddleware'))).toBe(false);
    // The stack is otherwise intact: serialization and signing are still there.
    expect(stack.some((m) => m.startsWith('serializerMiddleware'))).toBe(true);
    expect(stack.some((m) => m.startsWith('httpSigningMiddleware'))).toBe(true);
    expect(target).toEqual({ accountId: '123456789012', region: 'eu-west-1', partition: 'aws', productArn: 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default' });
    hub.destroy();
  });

  it('falls back to the aws: section\'s static keys when the output has none', async () => {
    const options = { region: 'eu-west-1', accountid: '123456789012', productarn: '', endpoint: 'http://127.0.0.1:9', stsendpoint: '', rolearn: '' };
    const { hub } = await createAws(options, { timeoutMs: 1_000, concurrency: 1 }, { accesskeyid: 'AKIASHARED', secretaccesskey: 'shh', rolearn: '', externalid: '' });
    const credentials = await (hub.config.credentials as () => Promise<{ accessKeyId: string; secretAccessKey: string }>)();
    expect(credentials).toMatchObject({ accessKeyId: 'AKIASHARED', secretAccessKey: 'shh' });
    hub.destroy();
  });
});
