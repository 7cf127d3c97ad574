// Mounts the console (API + page) on the ingest server, or on a listener of its own when
// console.port is set. Its routes live in their own encapsulated context: their own rate limit and
// error handling, nothing added to the ingest routes.
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ErrorCodes, RequestError } from '../errors.ts';
import { registerApi, type ConsoleDeps } from './api.ts';
import { RateLimiter } from './rate-limit.ts';
import { registerUi } from './static.ts';

export type { ConsoleDeps } from './api.ts';

function consoleRoutes(deps: ConsoleDeps) {
  const limiter = new RateLimiter(deps.config.ratelimit, deps.config.ratelimit * 5);
  return async (instance: FastifyInstance) => {
    instance.addHook('onRequest', async (request, reply) => {
      if (!limiter.take(request.ip)) {
        reply.header('retry-after', String(limiter.retryAfter(request.ip)));
        throw new RequestError(ErrorCodes.RATE_LIMITED, 429, `too many console requests from ${request.ip} (console.ratelimit ${deps.config.ratelimit}/s)`);
      }
    });
    instance.setErrorHandler((error: FastifyError | RequestError, request, reply) => {
      let known: RequestError;
      if (error instanceof RequestError) known = error;
      else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) known = new RequestError(ErrorCodes.QUERY_INVALID, error.statusCode, error.message);
      else {
        deps.log.error({ err: error, url: request.url }, 'console: unexpected error');
        known = new RequestError(ErrorCodes.INTERNAL, 500, 'internal error; the details are in the Peregrine log');
      }
      if (known.status === 401) reply.header('www-authenticate', 'Bearer realm="peregrine-console"');
      return reply.code(known.status).send(known.toBody());
    });
    registerApi(instance, deps);
    registerUi(instance);
  };
}

/** Registers the console; returns its own server when console.port is set (the caller listens on it). */
export function attachConsole(ingestServer: FastifyInstance, deps: ConsoleDeps): FastifyInstance | undefined {
  if (deps.config.port === 0) {
    void ingestServer.register(consoleRoutes(deps));
    return undefined;
  }
  const server = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  void server.register(consoleRoutes(deps));
  server.setNotFoundHandler((request, reply) =>
    reply.code(404).send(new RequestError(ErrorCodes.NOT_FOUND, 404, `no route ${request.method} ${request.url}; the console is at /ui, its API under /api/v1/`).toBody()),
  );
  return server;
}
