// One connection to NATS, opened at the first send and again after it closes. nats.js' own
// reconnection is off (it would buffer publishes in memory while it tries): a lost connection fails
// the send, and the worker's backoff is the only retry. The server reports a refused publish
// ("Permissions Violation for Publish to …") asynchronously: the link collects them.
import type { NatsConnection } from '@nats-io/transport-node';
import type { connect as Connect } from '@nats-io/transport-node';
import { raceSignal } from '../../src/plugin/index.ts';
import type { NatsServer } from './options.ts';

export interface NatsLinkOptions {
  servers: NatsServer[];
  tls: Record<string, unknown> | undefined;
  connectTimeoutMs: number;
}

export class NatsLink {
  private nc: NatsConnection | undefined;
  private opening: Promise<NatsConnection> | undefined;
  /** close() was called: nothing opens again, and a connect that ends after it is closed at once. */
  private closed = false;
  private readonly connectFn: typeof Connect;
  private readonly options: NatsLinkOptions;
  /** Subjects the server refused since the last take (PermissionViolationError). */
  private refused: { subject: string; message: string }[] = [];

  constructor(connectFn: typeof Connect, options: NatsLinkOptions) {
    this.connectFn = connectFn;
    this.options = options;
  }

  async open(signal: AbortSignal): Promise<NatsConnection> {
    try {
      return await raceSignal(this.connection(), signal);
    } catch (err) {
      if (signal.aborted) this.drop();
      throw err;
    }
  }

  /** Refusals the server sent since the last call. */
  takeRefused(): { subject: string; message: string }[] {
    return this.refused.splice(0);
  }

  /** Ends the link for good (the output stops): the connection, and one still being opened when it opens. */
  close(): void {
    this.closed = true;
    this.drop();
  }

  drop(): void {
    const nc = this.nc;
    this.nc = undefined;
    this.opening = undefined;
    if (nc && !nc.isClosed()) nc.close().catch(() => {});
  }

  private connection(): Promise<NatsConnection> {
    if (this.closed) return Promise.reject(new Error('the output is closing'));
    if (this.nc && !this.nc.isClosed()) return Promise.resolve(this.nc);
    if (this.opening) return this.opening;
    const opening = this.connect().finally(() => {
      if (this.opening === opening) this.opening = undefined;
    });
    this.opening = opening;
    return opening;
  }

  private async connect(): Promise<NatsConnection> {
    this.drop();
    const { servers, tls, connectTimeoutMs } = this.options;
    const creds = servers.find((s) => s.user !== undefined || s.token !== undefined);
    const nc = await this.connectFn({
      servers: servers.map((s) => s.server),
      name: 'peregrine',
      reconnect: false,
      timeout: connectTimeoutMs,
      ...(creds?.user !== undefined ? { user: creds.user, pass: creds.pass ?? '' } : {}),
      ...(creds?.token !== undefined ? { token: creds.token } : {}),
      // tls:// or mutualtls: TLS required, with these options; else TLS only if the server asks (system CAs).
      ...(tls ? { tls } : {}),
    });
    if (this.closed) {
      void nc.close().catch(() => {});
      throw new Error('the output is closing');
    }
    this.nc = nc;
    void this.watch(nc);
    return nc;
  }

  private async watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type !== 'error') continue;
      const err = status.error as Error & { subject?: string; operation?: string };
      if (err.name === 'PermissionViolationError' && err.operation === 'publish' && err.subject !== undefined) {
        this.refused.push({ subject: err.subject, message: err.message });
      }
    }
  }
}
