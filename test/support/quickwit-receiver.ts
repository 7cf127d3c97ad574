// Quickwit's REST API as its docs describe the answers (quickwit.io/docs/reference/rest-api; Quickwit
// is AGPL: no real server in the tests, this stand-in answers in its place):
// GET /api/v1/indexes/<id>/describe 200 with the index's stats, or 404 {"message":"index `<id>` not found"};
// POST /api/v1/indexes with an index config: 200 with its metadata; 400 {"message"} for a config it
// refuses (an index id outside ^[a-zA-Z][a-zA-Z0-9-_.]{2,254}$, an unknown field type, a
// timestamp_field that is not a fast datetime field) or an index that already exists;
// POST /api/v1/<id>/ingest, NDJSON: 404 for a missing index, 400 for a line that is no JSON object,
// 429 {"message":"too many requests"} when rate-limited, else 200 {"num_docs_for_processing":n,
// "num_ingested_docs":k,"num_rejected_docs":r} (a document without a valid `time`, the timestamp
// field, is rejected).
import { Receiver, type Behaviour, type Received } from './receiver.ts';

export interface QuickwitStandIn {
  receiver: Receiver;
  /** Index configs created, by id. */
  indexes: Map<string, Record<string, unknown>>;
  /** Documents ingested, per index. */
  docs: Map<string, Record<string, unknown>[]>;
  /** Answer the next ingests 429 while > 0 (counted down). */
  throttle: number;
  /** Every request, whatever the answer: "METHOD path". */
  requests: string[];
}

const ID = /^[a-zA-Z][a-zA-Z0-9._-]{2,254}$/;
const TYPES = new Set(['text', 'i64', 'u64', 'f64', 'bool', 'datetime', 'ip', 'bytes', 'json', 'object', 'concatenate']);
const json = (status: number, body: unknown): Behaviour => ({ kind: 'status', status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ok = (body: unknown): Behaviour => ({ kind: 'ok', body: JSON.stringify(body) });

function configProblem(config: Record<string, unknown>): string | undefined {
  if (typeof config.index_id !== 'string' || !ID.test(config.index_id)) return `invalid index id \`${String(config.index_id)}\``;
  if (typeof config.version !== 'string' || !/^0\.[4-9]$/.test(config.version)) return `unknown config version \`${String(config.version)}\``;
  const mapping = config.doc_mapping as { field_mappings?: { name: string; type: string; fast?: boolean }[]; timestamp_field?: string; mode?: string } | undefined;
  for (const f of mapping?.field_mappings ?? []) {
    const type = f.type.replace(/^array<(.*)>$/, '$1');
    if (!TYPES.has(type)) return `unknown field type \`${f.type}\` for field \`${f.name}\``;
  }
  if (mapping?.timestamp_field) {
    const ts = mapping.field_mappings?.find((f) => f.name === mapping.timestamp_field);
    if (!ts || ts.type !== 'datetime' || ts.fast !== true) return `timestamp field \`${mapping.timestamp_field}\` must be a fast datetime field`;
  }
  return undefined;
}

function answer(state: QuickwitStandIn, req: Received): Behaviour {
  const path = req.url.split('?')[0] as string;
  state.requests.push(`${req.method} ${req.url}`);
  let m: RegExpExecArray | null;
  if (req.method === 'GET' && (m = /^\/api\/v1\/indexes\/([^/]+)\/describe$/.exec(path))) {
    const id = m[1] as string;
    return state.indexes.has(id) ? ok({ index_id: id, num_published_docs: state.docs.get(id)?.length ?? 0 }) : json(404, { message: `index \`${id}\` not found` });
  }
  if (req.method === 'POST' && path === '/api/v1/indexes') {
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(req.body) as Record<string, unknown>;
    } catch (err) {
      return json(400, { message: `failed to parse index config: ${(err as Error).message}` });
    }
    const problem = configProblem(config);
    if (problem) return json(400, { message: problem });
    const id = config.index_id as string;
    if (state.indexes.has(id)) return json(400, { message: `index \`${id}\` already exists` });
    state.indexes.set(id, config);
    return ok({ version: config.version, index_uid: `${id}:01HQ`, index_config: config });
  }
  if (req.method === 'POST' && (m = /^\/api\/v1\/([^/]+)\/ingest$/.exec(path))) {
    const id = m[1] as string;
    if (!state.indexes.has(id)) return json(404, { message: `index \`${id}\` not found` });
    if (state.throttle > 0) {
      state.throttle--;
      return json(429, { message: 'too many requests' });
    }
    const lines = req.body.split('\n').filter((l) => l.trim() !== '');
    const docs: Record<string, unknown>[] = [];
    for (const line of lines) {
      try {
        const doc = JSON.parse(line) as unknown;
        if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('not an object');
        docs.push(doc as Record<string, unknown>);
      } catch {
        return json(400, { message: 'failed to parse the request body as NDJSON' });
      }
    }
    const valid = docs.filter((d) => typeof d.time === 'string' && !Number.isNaN(Date.parse(d.time)));
    state.docs.set(id, [...(state.docs.get(id) ?? []), ...valid]);
    return ok({ num_docs_for_processing: docs.length, num_ingested_docs: valid.length, num_rejected_docs: docs.length - valid.length });
  }
  return json(404, { message: `route not found: ${req.method} ${path}` });
}

export async function startQuickwit(existing: string[] = []): Promise<QuickwitStandIn> {
  const receiver = await new Receiver().start();
  const state: QuickwitStandIn = { receiver, indexes: new Map(existing.map((id) => [id, { index_id: id }])), docs: new Map(), throttle: 0, requests: [] };
  receiver.setBehaviour((req) => answer(state, req));
  return state;
}
