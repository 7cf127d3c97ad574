// Falco's http_output keeps one keep-alive connection per node for as long as it lives, so a
// Deployment scaled out later never receives those nodes' alerts. Replying "Connection: close" once
// a connection is older than ingest.maxconnectionagems makes the client reconnect — after a reply,
// so nothing is in flight — and the Service balances the new connection.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../dispatch/clock.ts';

export function limitConnectionAge(server: FastifyInstance, maxAgeMs: number, clock: Clock): void {
  if (maxAgeMs <= 0) return;
  const openedAt = new WeakMap<Socket, number>();
  server.server.on('connection', (socket: Socket) => openedAt.set(socket, clock.now()));
  // secureConnection for TLS: the request's socket is the TLS socket, not the raw one.
  server.server.on('secureConnection', (socket: Socket) => openedAt.set(socket, clock.now()));
  server.addHook('onSend', async (request, reply) => {
    const at = openedAt.get(request.raw.socket);
    if (at !== undefined && clock.now() - at >= maxAgeMs) reply.header('connection', 'close');
  });
}
