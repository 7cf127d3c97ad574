// The two transports: one TCP connection per output (opened on first use, opened again after it
// broke; TLS when given its options: logstash uses it too), or one connected UDP socket.
// falcosidekick's syslog dialled a new connection per alert and never closed it. Neither retries: a
// failure is thrown to sendBatch, which classifies it.
import { createSocket, type Socket as DatagramSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { connect, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { abortReason, raceSignal } from '../../src/plugin/index.ts';

export interface Target {
  /** Without IPv6 brackets. */
  host: string;
  port: number;
}

/** The largest UDP payload over IPv4 (65,535 - 8 bytes UDP header - 20 bytes IP header). */
export const MAX_DATAGRAM = 65_507;

/** A newline-framed stream of lines (syslog, JSON) on one TCP connection, TLS when `tls` is given. */
export class TcpStream {
  #socket: Socket | undefined;
  #opening: { socket: Socket; ready: Promise<Socket> } | undefined;

  readonly target: Target;
  readonly #tls: ConnectionOptions | undefined;

  constructor(target: Target, tls?: ConnectionOptions) {
    this.target = target;
    this.#tls = tls;
  }

  /**
   * Writes `text` (whole lines). Resolves once the kernel took it: TCP's delivery, not the server's
   * (a server that dies right after may never have read it). A write that fails or is cut short by
   * the deadline ends the connection: the stream may hold half a line, so the next write starts a
   * new one.
   */
  async write(text: string, signal: AbortSignal): Promise<void> {
    const socket = await this.open(signal);
    try {
      await raceSignal(new Promise<void>((resolve, reject) => socket.write(text, (err) => (err ? reject(err) : resolve()))), signal);
    } catch (err) {
      this.#drop(socket);
      throw err;
    }
  }

  /** The live connection, or a new one; the deadline's abort ends a connect still under way. */
  open(signal: AbortSignal): Promise<Socket> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    if (this.#socket) return Promise.resolve(this.#socket);
    this.#opening ??= this.#connect();
    const { socket, ready } = this.#opening;
    const onAbort = () => socket.destroy(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    return ready.finally(() => signal.removeEventListener('abort', onAbort));
  }

  close(): void {
    this.#opening?.socket.destroy();
    this.#socket?.destroySoon();
    this.#socket = undefined;
  }

  #connect(): { socket: Socket; ready: Promise<Socket> } {
    const { host, port } = this.target;
    const socket = this.#tls
      ? connectTls({ ...this.#tls, host, port, ...(isIP(host) ? {} : { servername: host }) }).setNoDelay(true).setKeepAlive(true, 60_000)
      : connect({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 60_000 });
    // Over TLS the connection is usable once the handshake is done (a refused certificate is its error).
    const established = this.#tls ? 'secureConnect' : 'connect';
    const ready = new Promise<Socket>((resolve, reject) => {
      // close() while connecting destroys the socket without an error: 'close' settles the wait.
      const closed = () => reject(new Error('the connection was closed before it was established'));
      socket.once('error', reject);
      socket.once('close', closed);
      socket.once(established, () => {
        socket.off('error', reject);
        socket.off('close', closed);
        this.#adopt(socket);
        resolve(socket);
      });
    }).finally(() => {
      this.#opening = undefined;
    });
    ready.catch(() => socket.destroy());
    return { socket, ready };
  }

  #adopt(socket: Socket): void {
    this.#socket = socket;
    // A write reports its own error; this listener only keeps an error without a write from throwing.
    socket.on('error', () => this.#drop(socket));
    // The server closed the connection (a restart, an idle timeout): it reads nothing more. The
    // next write opens a new connection instead of failing on this one.
    socket.on('close', () => this.#drop(socket));
    socket.resume(); // a syslog server (or Logstash's tcp input) sends nothing; whatever comes is read and dropped
  }

  #drop(socket: Socket): void {
    if (this.#socket === socket) this.#socket = undefined;
    socket.destroy();
  }
}

/** Datagrams to one server through a connected socket, so that the kernel reports a closed port. */
export class UdpSender {
  #socket: Promise<DatagramSocket> | undefined;
  #refused: Error | undefined;

  readonly target: Target;

  constructor(target: Target) {
    this.target = target;
  }

  /** Sends one datagram; the next send (or settle) throws the refusal an earlier one brought back. */
  async send(datagram: Buffer, signal: AbortSignal): Promise<void> {
    const socket = await raceSignal(this.#open(), signal);
    this.#throwRefusal();
    try {
      await raceSignal(new Promise<void>((resolve, reject) => socket.send(datagram, (err) => (err ? reject(err) : resolve()))), signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EMSGSIZE') this.close(); // the next send resolves the host again
      throw err;
    }
  }

  /**
   * Throws when the server's host answered the datagrams sent so far with "port unreachable": the
   * kernel reports it a moment after the send, as an error on the socket. One turn of the event
   * loop catches it from a server on this host (a node-local relay); from a remote one it comes
   * later and fails the next send instead.
   */
  async settle(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#throwRefusal();
  }

  close(): void {
    const socket = this.#socket;
    this.#socket = undefined;
    void socket?.then((s) => s.close(), () => {});
  }

  #throwRefusal(): void {
    const refused = this.#refused;
    this.#refused = undefined;
    if (refused) throw refused;
  }

  #open(): Promise<DatagramSocket> {
    this.#socket ??= this.#connect().catch((err: unknown) => {
      this.#socket = undefined;
      throw err;
    });
    return this.#socket;
  }

  async #connect(): Promise<DatagramSocket> {
    const { host, port } = this.target;
    const { address, family } = isIP(host) ? { address: host, family: isIP(host) } : await lookup(host);
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((err: unknown) => {
      socket.close();
      throw err;
    });
    // A connected socket's errors are ICMP answers to earlier datagrams ("port unreachable").
    socket.on('error', (err) => {
      this.#refused = err;
    });
    return socket;
  }
}
