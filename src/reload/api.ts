// POST /api/v1/reload: reload the config file now (what SIGHUP does), answering with what changed.
//   200 {generation, outputs: {unchanged, changed, added, removed}, restartRequired: [...]}
//   422 {error: {code: ERR_CONFIG_INVALID, message, problems: [...]}}: the running config stays.
// Reloading changes where alerts go, so it is never open: the ingest token (when one is set) or,
// with the console on, the console's admin token, as for silences (noise/api.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ErrorCodes, RequestError } from '../errors.ts';
import { authorized } from '../ingest/routes.ts';
import type { Reloader } from './reloader.ts';

export interface ReloadApiDeps {
  reloader: Reloader;
  /** ingest.token: "" = not a way in. */
  token: string;
  /** The console's check (console/auth.ts), when the console is on: throws 401/403. */
  consoleAuth?: ((request: FastifyRequest, write: boolean) => void) | undefined;
  log: Logger;
}

export function registerReloadRoute(server: FastifyInstance, deps: ReloadApiDeps): void {
  server.post('/api/v1/reload', async (request, reply) => {
    if (!(deps.token !== '' && authorized(request, deps.token))) {
      if (!deps.consoleAuth) {
        throw new RequestError(
          ErrorCodes.UNAUTHORIZED,
          401,
          deps.token === ''
            ? 'reloading needs a credential: set ingest.token (then send "Authorization: Bearer <ingest.token>") or turn the console on with console.token; SIGHUP reloads too'
            : 'missing or wrong token: send "Authorization: Bearer <ingest.token>"',
        );
      }
      deps.consoleAuth(request, true);
    }
    deps.log.info({ from: request.ip }, 'config reload asked through the API');
    const result = await deps.reloader.reload('api');
    if (!result.ok) {
      const error = new RequestError(ErrorCodes.CONFIG_INVALID, 422, `the new config has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; the running config stays`);
      return reply.code(422).send({ error: { ...error.toBody().error, problems: result.problems } });
    }
    return reply.send({ generation: deps.reloader.status().generation, outputs: result.outputs, restartRequired: result.restartRequired });
  });
}
