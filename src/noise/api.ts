// The silences API of the running daemon (what `peregrine silence` talks to):
//   POST   /api/v1/silences        {match, for | until, reason, outputs?}  → 201 {silence}
//   GET    /api/v1/silences        → {silences: [...]} (active ones)
//   DELETE /api/v1/silences/:id    → 200 {silence} (ended now) | 404
// A silence stops alerts, so this API is never open: it takes the ingest token (when one is set) or,
// with the console on, the console's tokens (reading with either role, changes with admin). With
// neither configured it answers 401 and says what to set.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../dispatch/clock.ts';
import { flattenUnionIssues } from '../config/issues.ts';
import { ConfigError, ErrorCodes, RequestError } from '../errors.ts';
import { authorized } from '../ingest/routes.ts';
import { SilenceSpecSchema } from './schema.ts';
import { newSilenceId, silenceEnd, type Silence, type Silences } from './silences.ts';

export interface SilenceApiDeps {
  silences: Silences;
  outputs: readonly string[];
  /** ingest.token: "" = not a way in. */
  token: string;
  /** The console's check (console/auth.ts), when the console is on: throws 401/403. */
  consoleAuth?: (request: FastifyRequest, write: boolean) => void;
  clock: Clock;
}

function silenceView(s: Silence): Record<string, unknown> {
  return { ...s, until: new Date(s.until).toISOString(), createdAt: new Date(s.createdAt).toISOString(), outputs: s.outputs ?? 'all' };
}

const invalid = (message: string, path?: string) => new RequestError(ErrorCodes.SILENCE_INVALID, 400, message, path);

function body(request: FastifyRequest): unknown {
  const raw = request.body instanceof Buffer ? request.body.toString('utf8') : '';
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw invalid('the body must be a JSON object: {"match": {...}, "for": "2h" | "until": "<RFC 3339>", "reason": "...", "outputs": ["..."]}');
  }
}

export function registerSilenceRoutes(server: FastifyInstance, deps: SilenceApiDeps): void {
  // On each route, not by the URL's text: the router decodes the path (/api/v1/%73ilences is this
  // route), so a test of request.url let such a request past.
  const guard = async (request: FastifyRequest) => {
    if (deps.token !== '' && authorized(request, deps.token)) return;
    if (deps.consoleAuth) return deps.consoleAuth(request, request.method !== 'GET');
    throw new RequestError(
      ErrorCodes.UNAUTHORIZED,
      401,
      deps.token === ''
        ? 'silences need a credential: set ingest.token (then send "Authorization: Bearer <ingest.token>") or turn the console on with console.token'
        : 'missing or wrong token: send "Authorization: Bearer <ingest.token>"',
    );
  };
  server.get('/api/v1/silences', { onRequest: guard }, async () => ({ silences: deps.silences.active(deps.clock.now()).map(silenceView) }));
  server.post('/api/v1/silences', { onRequest: guard }, async (request, reply) => {
    const parsed = SilenceSpecSchema.safeParse(body(request));
    if (!parsed.success) {
      const first = flattenUnionIssues(parsed.error.issues)[0];
      throw invalid(first?.message ?? 'invalid silence', first?.path.join('.'));
    }
    const spec = parsed.data;
    const unknown = spec.outputs?.find((o) => !deps.outputs.includes(o));
    if (unknown !== undefined) throw invalid(`unknown output "${unknown}"; outputs: ${deps.outputs.join(', ')}`, 'outputs');
    const now = deps.clock.now();
    const until = silenceEnd(spec, now);
    if (until <= now) throw invalid('the silence would already be over: until must be in the future', 'until');
    try {
      const silence = { match: spec.match, until, reason: spec.reason, outputs: spec.outputs, createdAt: now, origin: 'api' as const, id: newSilenceId() };
      // The reply is built before the silence is stored (and saved in the spool): one it cannot show is never kept.
      const view = silenceView({ ...silence, hits: 0 });
      deps.silences.add(silence);
      return reply.code(201).send({ silence: view });
    } catch (err) {
      if (err instanceof ConfigError) throw invalid(err.problems[0]?.message ?? err.message, err.problems[0]?.path);
      throw err;
    }
  });
  server.delete('/api/v1/silences/:id', { onRequest: guard }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const now = deps.clock.now();
    const silence = deps.silences.active(now).find((s) => s.id === id);
    if (!silence || !deps.silences.expire(id, now)) throw new RequestError(ErrorCodes.NOT_FOUND, 404, `no active silence with id "${id}" (peregrine silence list)`);
    return reply.send({ silence: silenceView({ ...silence, until: now }) });
  });
}
