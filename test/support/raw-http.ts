// Raw TCP clients for what an HTTP library will not send: slow bodies, broken framing, header floods.
import { connect, type Socket } from 'node:net';

export interface RawReply {
  /** Everything the server wrote before it closed the connection. */
  text: string;
  status: number | undefined;
  body: string;
  ms: number;
}

export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Writes `data` (and nothing more) and resolves with what the server answers once it closes the connection. */
export async function rawExchange(port: number, data: string | Buffer, timeoutMs = 15_000): Promise<RawReply> {
  const socket = await openSocket(port);
  return untilClosed(socket, data, timeoutMs);
}

export function untilClosed(socket: Socket, data: string | Buffer | undefined, timeoutMs = 15_000): Promise<RawReply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ text, status: status ? Number(status) : undefined, body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n'), ms: performance.now() - started });
    });
    if (data !== undefined) socket.write(data);
  });
}
