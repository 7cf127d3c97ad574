// One connection to the broker, opened at the first send and again after it closes. mqtt.js' own
// reconnection is off (it would queue publishes while it tries): a lost connection fails the send,
// and the worker's backoff is the only retry.
import { randomBytes } from 'node:crypto';
import type { IClientOptions, MqttClient } from 'mqtt';
import { raceSignal } from '../../src/plugin/index.ts';

type ConnectAsync = (url: string, options: IClientOptions) => Promise<MqttClient>;

export class MqttLink {
  private client: MqttClient | undefined;
  private opening: Promise<MqttClient> | undefined;
  /** close() was called: nothing opens again, and a connect that ends after it is closed at once. */
  private closed = false;
  private readonly connectAsync: ConnectAsync;
  private readonly url: string;
  private readonly options: IClientOptions;

  constructor(connectAsync: ConnectAsync, url: string, options: IClientOptions) {
    this.connectAsync = connectAsync;
    this.url = url;
    this.options = options;
  }

  async open(signal: AbortSignal): Promise<MqttClient> {
    try {
      return await raceSignal(this.connection(), signal);
    } catch (err) {
      if (signal.aborted) this.drop();
      throw err;
    }
  }

  /** Ends the link for good (the output stops): the connection, and one still being opened when it opens. */
  close(): void {
    this.closed = true;
    this.drop();
  }

  drop(): void {
    const client = this.client;
    this.client = undefined;
    this.opening = undefined;
    client?.end(true);
  }

  private connection(): Promise<MqttClient> {
    if (this.closed) return Promise.reject(new Error('the output is closing'));
    if (this.client?.connected) return Promise.resolve(this.client);
    if (this.opening) return this.opening;
    const opening = this.connect().finally(() => {
      if (this.opening === opening) this.opening = undefined;
    });
    this.opening = opening;
    return opening;
  }

  private async connect(): Promise<MqttClient> {
    this.drop();
    // A client id of its own per connection, as falcosidekick's "falcosidekick-<6 hex>": two replicas must not share one (the broker would drop the first).
    const client = await this.connectAsync(this.url, { ...this.options, clientId: `peregrine-${randomBytes(4).toString('hex')}` });
    client.on('error', () => {}); // errors reach the publish that meets them
    if (this.closed) {
      client.end(true);
      throw new Error('the output is closing');
    }
    this.client = client;
    return client;
  }
}
