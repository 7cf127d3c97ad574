import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import type { Alert, AlertInput } from '../../src/alert/alert.ts';
import { testAlerts } from '../../test/support/alerts.ts';
import { attributeName, chunkEntries, MAX_MESSAGE_BYTES, messageAttributes, toEntries } from './entries.ts';

/** The form fields of a PublishBatch of `alert`, as the real SDK serialises it (the request is captured, never sent). */
async function serialised(alert: Alert): Promise<URLSearchParams> {
  let body = '';
  const sns = new SNSClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test' },
    requestHandler: {
      handle: async (request: { body: string }) => {
        body = request.body;
        throw new Error('captured');
      },
    },
  });
  const [entry] = toEntries([alert], { rawjson: false, fifo: false });
  const send = sns.send(new PublishBatchCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:falco', PublishBatchRequestEntries: [{ Id: '0', Message: entry?.message, MessageAttributes: entry?.attributes }] }));
  await expect(send).rejects.toThrow('captured');
  return new URLSearchParams(body);
}

describe('awssns entries', () => {
  it('rawjson: the alert JSON as the message, big integers intact, no attributes, no FIFO ids on a standard topic', () => {
    const [entry] = toEntries(testAlerts(1), { rawjson: true, fifo: false });
    expect(entry).toEqual({ index: 0, id: '0', message: expect.stringContaining('"evt.time":1700000000167531875'), bytes: Buffer.byteLength(entry?.message ?? '') });
    expect(JSON.parse(entry?.message ?? '')).toMatchObject({ uuid: 'alert-0', rule: 'Terminal shell in container', time: '2026-11-20T10:21:36.167531875Z' });
  });

  it('default: the output text with falcosidekick\'s attributes, numbers as Number with every digit, null fields left out', () => {
    const [alert] = testAlerts(1);
    const [entry] = toEntries([alert as never], { rawjson: false, fifo: false });
    expect(entry?.message).toBe(alert?.output);
    expect(entry?.attributes).toEqual({
      priority: { DataType: 'String', StringValue: 'Notice' },
      rule: { DataType: 'String', StringValue: 'Terminal shell in container' },
      source: { DataType: 'String', StringValue: 'syscall' },
      tags: { DataType: 'String', StringValue: 'T1059,container,mitre_execution,shell' },
      hostname: { DataType: 'String', StringValue: 'node-1' },
      'container.id': { DataType: 'String', StringValue: '1f0a2e5c8d3b' },
      'evt.time': { DataType: 'Number', StringValue: '1700000000167531875' },
      'proc.cmdline': { DataType: 'String', StringValue: 'sh -c id' },
      'k8s.ns.name': { DataType: 'String', StringValue: 'default' },
      'k8s.pod.name': { DataType: 'String', StringValue: 'web-7d9' },
      'user.name': { DataType: 'String', StringValue: 'root' },
    });
    const attrBytes = Object.entries(entry?.attributes ?? {}).reduce((n, [k, a]) => n + k.length + a.DataType.length + Buffer.byteLength(a.StringValue), 0);
    expect(entry?.bytes).toBe(Buffer.byteLength(alert?.output ?? '') + attrBytes);
  });

  it('maps brackets like falcosidekick, skips booleans, empty strings and names SNS refuses; no tags or hostname when absent', () => {
    expect(attributeName('proc.aname[2]')).toBe('proc.aname.2');
    const [alert] = testAlerts(1, {
      tags: [],
      hostname: '',
      output_fields: { 'proc.aname[2]': 'bash', 'proc.pid': 42, 'evt.score': 1.5, 'fd.is_server': true, 'k8s.ns.name': '', 'jevt.value[/user]': 'x', 'AWS.region': 'y', 'a..b': 'z', 'o.obj': { a: 1 } },
    });
    expect(messageAttributes(alert as never)).toEqual({
      priority: { DataType: 'String', StringValue: 'Notice' },
      rule: { DataType: 'String', StringValue: 'Terminal shell in container' },
      source: { DataType: 'String', StringValue: 'syscall' },
      'proc.aname.2': { DataType: 'String', StringValue: 'bash' },
      'proc.pid': { DataType: 'Number', StringValue: '42' },
      'evt.score': { DataType: 'Number', StringValue: '1.5' },
    });
  });

  it('an output field named __proto__ is an attribute like any other, down to the request the SDK writes', async () => {
    // JSON.parse makes `__proto__` an own key, as ingest's parser does.
    const [alert] = testAlerts(1, { output_fields: JSON.parse('{"__proto__":"x","proc.name":"bash"}') as AlertInput['output_fields'] });
    const attrs = messageAttributes(alert as never);
    expect(Object.keys(attrs)).toEqual(['priority', 'rule', 'source', 'tags', 'hostname', '__proto__', 'proc.name']);
    expect(attrs['__proto__']).toEqual({ DataType: 'String', StringValue: 'x' });
    // The SDK's query serialiser walks inherited keys too: a replaced prototype sent two nameless attributes.
    const names = [...(await serialised(alert as never))].filter(([k]) => k.endsWith('.Name')).map(([, v]) => v);
    expect(names.sort()).toEqual(['__proto__', 'hostname', 'priority', 'proc.name', 'rule', 'source', 'tags']);
  });

  it('a lone surrogate in the text goes out as U+FFFD instead of failing the whole call in the SDK', async () => {
    const [alert] = testAlerts(1, {
      output: 'shell \ud800 spawned',
      rule: 'rule \udfff',
      tags: ['t\ud800'],
      output_fields: { 'proc.name': 'ba\udc00sh', 'proc.pid': 42 } as AlertInput['output_fields'],
    });
    const params = await serialised(alert as never);
    const values = [...params].filter(([k]) => k.endsWith('.StringValue') || k.endsWith('.Message')).map(([, v]) => v);
    expect(values).toEqual(expect.arrayContaining(['shell \ufffd spawned', 'rule \ufffd', 't\ufffd', 'ba\ufffdsh', '42']));
    const [entry] = toEntries([alert as never], { rawjson: false, fifo: false });
    expect(entry?.bytes).toBe(Buffer.byteLength(entry?.message ?? '') + Object.entries(entry?.attributes ?? {}).reduce((n, [k, a]) => n + Buffer.byteLength(k) + a.DataType.length + Buffer.byteLength(a.StringValue), 0));
  });

  it('no tags attribute when the tags join to an empty string (SNS refuses an empty value)', () => {
    const [alert] = testAlerts(1, { tags: [''] });
    expect(messageAttributes(alert as never)).not.toHaveProperty('tags');
  });

  it('an alert without output text carries its rule name (SNS refuses an empty message)', () => {
    const [entry] = toEntries(testAlerts(1, { output: '' }), { rawjson: false, fifo: false });
    expect(entry?.message).toBe('Terminal shell in container');
  });

  it('FIFO topics: hostname as MessageGroupId, the uuid as MessageDeduplicationId', () => {
    const entries = toEntries([...testAlerts(1), ...testAlerts(1, { hostname: 'my host', uuid: 'u-2' })], { rawjson: true, fifo: true });
    expect(entries.map((e) => [e.groupId, e.dedupId])).toEqual([
      ['node-1', 'alert-0'],
      ['my_host', 'u-2'],
    ]);
  });

  it('splits into calls of at most 10 entries and 256 KiB, in order, ids restarting per call; a huge entry goes alone', () => {
    const small = toEntries(testAlerts(25), { rawjson: true, fifo: false });
    const chunks = chunkEntries(small);
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
    expect(chunks.flat().map((e) => e.index)).toEqual(small.map((e) => e.index));
    expect(chunks[2]?.map((e) => e.id)).toEqual(['0', '1', '2', '3', '4']);

    const sizes = [100_000, 100_000, 62_144, 1, 300_000, 10];
    const sized = sizes.map((bytes, index) => ({ index, id: String(index), message: '', bytes }));
    expect(chunkEntries(sized).map((c) => c.map((e) => e.index))).toEqual([[0, 1, 2], [3], [4], [5]]);
    for (const chunk of chunkEntries(sized)) if (chunk.length > 1) expect(chunk.reduce((n, e) => n + e.bytes, 0)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
  });
});
