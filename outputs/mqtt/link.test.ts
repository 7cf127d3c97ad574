// close() while a connection is being opened (the output stopped by a reload or at shutdown): the
// client that connects afterwards is ended at once, never kept, and the link opens nothing again.
import { describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { MqttLink } from './link.ts';

describe('mqtt link', () => {
  it('close() during a connect: the client it makes is ended, open() refuses afterwards', async () => {
    const made: { ended: number }[] = [];
    let release: () => void = () => {};
    const connectAsync = () =>
      new Promise<MqttClient>((resolve) => {
        release = () => {
          const client = { ended: 0, connected: true, on: () => client, end: () => void client.ended++ };
          made.push(client);
          resolve(client as unknown as MqttClient);
        };
      });
    const link = new MqttLink(connectAsync, 'mqtt://127.0.0.1:1883', {});
    const opened = link.open(new AbortController().signal);
    link.close();
    release();
    await expect(opened).rejects.toThrow('the output is closing');
    expect(made.map((c) => c.ended)).toEqual([1]);
    await expect(link.open(new AbortController().signal)).rejects.toThrow('the output is closing');
  });
});
