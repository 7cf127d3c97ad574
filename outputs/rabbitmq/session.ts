// One AMQP connection and one confirm channel per output, opened on first use and opened again after
// either closed (a broker restart, a channel error). What the broker says on the way (a message
// returned as unroutable, a resource alarm blocking publishers, why the channel closed) is kept for
// the classifier. Nothing here retries: a failure is thrown to, or returned for, sendBatch.
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import type { ConnectionOptions } from 'node:tls';
import { abortReason, raceSignal } from '../../src/plugin/index.ts';

export interface Session {
  channel: ConfirmChannel;
  /**
   * How many messages of each messageId the broker returned as unroutable and whose confirm has not
   * come yet (basic.return comes before the message's confirm; one ack may confirm several copies).
   */
  returned: Map<string, number>;
  /** The broker's resource alarm ("low on memory"), while it blocks publishers. */
  blocked: string | undefined;
  /** Why the channel or the connection closed; set once, the session is then replaced. */
  closed: Error | undefined;
}

export class RabbitSession {
  #current: Session | undefined;
  #model: ChannelModel | undefined;
  #opening: Promise<Session> | undefined;
  #ended = false;

  readonly #url: string;
  readonly #socket: ConnectionOptions & { timeout: number };

  constructor(url: string, socket: ConnectionOptions & { timeout: number }) {
    this.#url = url;
    this.#socket = socket;
  }

  /** The live session, or a new one; the deadline's abort stops waiting for a connect under way. */
  open(signal: AbortSignal): Promise<Session> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (this.#ended) return Promise.reject(new Error('the output is closing'));
    if (this.#current && !this.#current.closed) return Promise.resolve(this.#current);
    this.#opening ??= this.#connect().finally(() => {
      this.#opening = undefined;
    });
    return raceSignal(this.#opening, signal);
  }

  async close(): Promise<void> {
    this.#ended = true;
    await this.#opening?.catch(() => undefined); // a connect under way ends on #ended, closing what it made
    const model = this.#model;
    this.#current = this.#model = undefined;
    await model?.close().catch(() => undefined);
  }

  async #connect(): Promise<Session> {
    await this.#model?.close().catch(() => undefined); // the broken one, if any
    const { connect } = await import('amqplib');
    const model = await connect(this.#url, this.#socket as Options.Connect);
    const session: Session = { channel: undefined as unknown as ConfirmChannel, returned: new Map(), blocked: undefined, closed: undefined };
    const end = (err: unknown) => {
      session.closed ??= err instanceof Error ? err : new Error('the connection to RabbitMQ closed');
    };
    // Listeners keep an error with no send waiting from being thrown; the next send opens a new session.
    model.on('error', end);
    model.on('close', end);
    model.on('blocked', (reason: string) => (session.blocked = reason));
    model.on('unblocked', () => (session.blocked = undefined));
    try {
      if (!this.#ended) session.channel = await model.createConfirmChannel();
      if (this.#ended) throw new Error('the output is closing'); // close() came while connecting
    } catch (err) {
      await model.close().catch(() => undefined);
      throw err;
    }
    session.channel.on('error', end);
    session.channel.on('close', () => end(new Error('the channel to RabbitMQ closed')));
    session.channel.on('return', (message: { properties: { messageId?: string } }) => {
      const id = message.properties.messageId;
      if (id !== undefined) session.returned.set(id, (session.returned.get(id) ?? 0) + 1);
    });
    this.#model = model;
    this.#current = session;
    return session;
  }
}
