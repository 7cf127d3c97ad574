// One connection to Redis, opened at the first send and again after it breaks. node-redis' own
// reconnection and offline queue are off: a broken connection fails the send at once, and the
// worker's backoff is the only retry.
import type { createClient as CreateClient, RedisClientType } from 'redis';
import { raceSignal } from '../../src/plugin/index.ts';
import type { loadTls } from '../../src/plugin/index.ts';

export interface LinkOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  database: number;
  tls: ReturnType<typeof loadTls> | undefined;
  connectTimeoutMs: number;
}

type Module = { createClient: typeof CreateClient; ErrorReply: new (...args: never[]) => Error };

export class RedisLink {
  private client: RedisClientType | undefined;
  private opening: Promise<RedisClientType> | undefined;
  private readonly mod: Module;
  private readonly options: LinkOptions;

  constructor(mod: Module, options: LinkOptions) {
    this.mod = mod;
    this.options = options;
  }

  /** True for an error the server answered (a reply such as WRONGPASS or OOM), false for a connection error. */
  isReply(err: unknown): boolean {
    return err instanceof this.mod.ErrorReply;
  }

  /** Sends one command on the open connection (opening it first when needed). A deadline drops the connection. */
  async send(args: string[], signal: AbortSignal): Promise<unknown> {
    try {
      const client = await raceSignal(this.open(), signal);
      return await raceSignal(client.sendCommand(args), signal);
    } catch (err) {
      // A hung server, or a connection that broke: the next send starts on a new one.
      if (signal.aborted || !this.client?.isReady) this.drop();
      throw err;
    }
  }

  close(): void {
    this.drop();
  }

  private open(): Promise<RedisClientType> {
    if (this.client?.isReady) return Promise.resolve(this.client);
    if (this.opening) return this.opening;
    const opening = this.connect().finally(() => {
      if (this.opening === opening) this.opening = undefined;
    });
    this.opening = opening;
    return opening;
  }

  private async connect(): Promise<RedisClientType> {
    this.drop();
    const { host, port, username, password, database, tls, connectTimeoutMs } = this.options;
    const client = this.mod.createClient({
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(database ? { database } : {}),
      disableOfflineQueue: true,
      socket: {
        host,
        port,
        connectTimeout: connectTimeoutMs,
        reconnectStrategy: false,
        ...(tls ? { tls: true as const, ...tls, ...(isIpAddress(host) ? {} : { servername: host }) } : {}),
      },
    }) as unknown as RedisClientType;
    // Errors also come as events; the send that meets them reports them, so the listener only keeps them from being unhandled.
    client.on('error', () => {});
    this.client = client;
    try {
      await client.connect();
    } catch (err) {
      if (this.client === client) this.client = undefined;
      destroy(client);
      throw err;
    }
    return client;
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    // A connect still under way (its handshake unanswered) is abandoned with its client.
    this.opening = undefined;
    if (client) destroy(client);
  }
}

function destroy(client: RedisClientType): void {
  try {
    client.destroy();
  } catch {
    // already closed
  }
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
