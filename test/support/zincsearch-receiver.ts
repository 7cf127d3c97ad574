// ZincSearch's document API as its handlers answer (github.com/zincsearch/zincsearch, Apache-2.0:
// pkg/routes/routes.go, pkg/routes/middleware.go AuthMiddleware, pkg/handlers/document/create_update.go,
// pkg/core/newindex.go CheckIndexName). Its server could not be installed here (the Go module proxy
// refuses the module; its build embeds a web UI), so this stand-in answers in its place:
// POST|PUT /api/:target/_doc; basic auth required (401 {"auth":"Missing credentials"} or
// {"auth":"Invalid credentials"}); a role without document.Create 403 {"error":"No permission:document.Create"};
// a body that is no JSON object 400 {"error"}; an index name it refuses, or a failing write-ahead log,
// 500 {"error"}; else the document stored under a new id, 200 {"message":"ok","id",…,"result":"created"}.
import { randomBytes } from 'node:crypto';
import { Receiver, type Behaviour, type Received } from './receiver.ts';

export interface ZincUser {
  password: string;
  /** Whether the user's role has document.Create (admin: yes). */
  canCreate: boolean;
}

export interface ZincSearchStandIn {
  receiver: Receiver;
  /** Documents stored, per index, in arrival order. */
  stored: Map<string, Record<string, unknown>[]>;
  /** Set to a message to answer 500 with it (the WAL or the disk failing), undefined to store. */
  failing: string | undefined;
}

const DOC = /^(?:\/[^/]+)*\/api\/([^/]+)\/_doc$/;
const INDEX_NAME = /^[a-zA-Z0-9_.-]+$/;
const json = (status: number, body: unknown): Behaviour => ({ kind: 'status', status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });

function answer(state: ZincSearchStandIn, users: Record<string, ZincUser>, req: Received): Behaviour {
  const path = req.url.split('?')[0] as string;
  const match = DOC.exec(path);
  if (!match || (req.method !== 'POST' && req.method !== 'PUT')) return { kind: 'status', status: 404, headers: { 'content-type': 'text/plain' }, body: '404 page not found' };
  const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (!auth) return json(401, { auth: 'Missing credentials' });
  const [user, ...rest] = Buffer.from(auth[1] as string, 'base64').toString('utf8').split(':');
  const known = users[user as string];
  if (!known || known.password !== rest.join(':')) return json(401, { auth: 'Invalid credentials' });
  if (!known.canCreate) return json(403, { error: 'No permission:document.Create' });
  let doc: unknown;
  try {
    doc = JSON.parse(req.body);
  } catch (err) {
    return json(400, { error: (err as Error).message });
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return json(400, { error: 'json: cannot unmarshal into Go value of type map[string]interface {}' });
  const index = decodeURIComponent(match[1] as string);
  if (index.startsWith('_')) return json(500, { error: 'index name cannot start with _' });
  if (!INDEX_NAME.test(index)) return json(500, { error: `index name [${index}] is invalid, just accept [a-zA-Z0-9_.-]` });
  if (state.failing !== undefined) return json(500, { error: state.failing });
  const id = randomBytes(14).toString('base64url');
  const docs = state.stored.get(index) ?? [];
  state.stored.set(index, docs);
  docs.push(doc as Record<string, unknown>);
  return { kind: 'ok', body: JSON.stringify({ message: 'ok', id, _id: id, _index: index, _version: 1, _seq_no: 0, _primary_term: 0, result: 'created' }) };
}

export async function startZincSearch(users: Record<string, ZincUser>): Promise<ZincSearchStandIn> {
  const receiver = await new Receiver().start();
  const state: ZincSearchStandIn = { receiver, stored: new Map(), failing: undefined };
  receiver.setBehaviour((req) => answer(state, users, req));
  return state;
}
