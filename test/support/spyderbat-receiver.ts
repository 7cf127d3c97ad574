// The Spyderbat API as the spyderbat output uses it (falcosidekick's client is the reference: the
// API's public docs say little about these calls), with "Authorization: Bearer <api key>" on every
// call: GET /api/v1/org/<org>/source/ answers the org's sources as a JSON list of
// {uid, name, description}; POST there with {"name","description","uid"} creates one (200 with it;
// 400 for a uid it already has, a name over 32 or a description over 256 characters, or a body it
// does not take); POST
// /api/v1/org/<org>/source/<uid>/data/sb-agent takes gzip'd newline-delimited JSON
// (Content-Type: application/ndjson, Content-Encoding: gzip), one "falco_alert::1.0.0" event per
// line, and answers 202. Errors: 401 for a key it does not accept, 404 for an org or a source it
// does not have, 429 (with Retry-After) over its rate limit, 5xx. The body of each event is checked
// against falcosidekick's event: exactly its ten fields, with their types and levels.
import { GzipSaasReceiver, type GzipVendorSpec, type RawRequest, type VendorAnswer, type VendorFault } from './gzip-saas-receiver.ts';

export interface SpyderbatSource {
  uid: string;
  name: string;
  description: string;
}

export interface SpyderbatApi {
  receiver: GzipSaasReceiver;
  /** The org's sources, by uid: a test may delete one (gone) or add one (already there). */
  sources: Map<string, SpyderbatSource>;
  /** The events of the accepted data POSTs, in arrival order. */
  events(): Record<string, unknown>[];
}

const EVENT_FIELDS = ['schema', 'id', 'monotonic_time', 'orc_time', 'time', 'pid', 'level', 'msg', 'args', 'container'];
const LEVELS = ['critical', 'high', 'medium', 'low', 'info'];

const json = (status: number, body: unknown): VendorAnswer => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Everything wrong with one NDJSON line by the falco_alert::1.0.0 event's shape. */
export function eventProblems(line: string): string[] {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return ['not JSON'];
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return ['not a JSON object'];
  const e = event as Record<string, unknown>;
  const problems: string[] = [];
  const keys = Object.keys(e);
  if (keys.join() !== EVENT_FIELDS.join()) problems.push(`fields ${keys.join(',')} are not ${EVENT_FIELDS.join(',')}`);
  if (e.schema !== 'falco_alert::1.0.0') problems.push(`schema ${String(e.schema)}`);
  if (typeof e.id !== 'string' || e.id === '') problems.push('id is not a text');
  if (!Number.isInteger(e.monotonic_time) || (e.monotonic_time as number) < 0) problems.push('monotonic_time is not a whole number of ns');
  if (typeof e.orc_time !== 'number' || e.orc_time <= 0) problems.push('orc_time is not epoch seconds');
  if (!Number.isInteger(e.time) || (e.time as number) <= 0) problems.push('time is not whole epoch seconds');
  if (!Number.isInteger(e.pid) || (e.pid as number) < -(2 ** 31) || (e.pid as number) >= 2 ** 31) problems.push('pid is not a 32-bit integer');
  if (!LEVELS.includes(e.level as string)) problems.push(`level ${String(e.level)}`);
  if (e.msg !== null && !(Array.isArray(e.msg) && e.msg.every((w) => typeof w === 'string'))) problems.push('msg is not a list of words or null');
  if (typeof e.args !== 'string') problems.push('args is not a text');
  if (typeof e.container !== 'string') problems.push('container is not a text');
  return problems;
}

function spyderbatSpec(org: string, apikey: string, sources: Map<string, SpyderbatSource>): GzipVendorSpec {
  const sourcesPath = `/api/v1/org/${org}/source/`;
  const dataPath = /^\/api\/v1\/org\/([^/]+)\/source\/([^/]+)\/data\/sb-agent$/;
  return {
    authorize(req) {
      return req.headers.authorization === `Bearer ${apikey}` ? undefined : json(401, { error: 'Unauthorized' });
    },
    route(req: RawRequest) {
      if (req.url === sourcesPath && req.method === 'GET') return json(200, [...sources.values()]);
      if (req.url === sourcesPath && req.method === 'POST') {
        let body: unknown;
        try {
          body = JSON.parse(req.body ?? '');
        } catch {
          return json(400, { error: 'the body is not JSON' });
        }
        const s = body as Record<string, unknown>;
        if (Object.keys(s).sort().join() !== 'description,name,uid' || typeof s.uid !== 'string' || s.uid === '' || typeof s.name !== 'string' || s.name === '' || typeof s.description !== 'string') {
          return json(400, { error: 'a source is {name, description, uid}, name and uid not empty' });
        }
        if ((s.name as string).length > 32 || (s.description as string).length > 256) return json(400, { error: 'name is at most 32 characters, description at most 256' });
        if (sources.has(s.uid)) return json(400, { error: `source ${s.uid} exists` });
        const source = { uid: s.uid, name: s.name, description: s.description };
        sources.set(s.uid, source);
        return json(200, source);
      }
      const data = dataPath.exec(req.url);
      if (!data || data[1] !== org) return json(404, { error: 'Not Found' });
      if (!sources.has(data[2] as string)) return json(404, { error: `no source ${data[2]}` });
      return undefined;
    },
    validate(req) {
      const problems: string[] = [];
      if (req.method !== 'POST') problems.push(`${req.method} is not POST`);
      if (req.headers['content-type'] !== 'application/ndjson') problems.push(`Content-Type ${req.headers['content-type']} is not application/ndjson`);
      if (req.headers['content-encoding'] !== 'gzip') problems.push('the body is not gzip\'d');
      if (req.body === undefined) return [...problems, 'the body does not decode (gzip, then UTF-8)'];
      if (!req.body.endsWith('\n')) problems.push('the last line does not end with a newline');
      const lines = req.body.split('\n').slice(0, -1);
      if (lines.length === 0) problems.push('no event');
      lines.forEach((line, i) => problems.push(...eventProblems(line).map((p) => `event ${i + 1}: ${p}`)));
      return problems;
    },
    accept: () => json(202, {}),
    reject: (problems) => json(400, { error: problems.join('; ') }),
    fault(fault: VendorFault): VendorAnswer {
      switch (fault.kind) {
        case 'throttle':
          return { status: 429, headers: { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) }, body: JSON.stringify({ error: 'Too Many Requests' }) };
        case 'unavailable':
          return json(fault.status ?? 503, { error: 'Service Unavailable' });
        case 'status':
          return json(fault.status, { error: `HTTP ${fault.status}` });
      }
    },
  };
}

/** The API for org `org` with key `apikey`, holding `existing` sources. */
export async function startSpyderbatApi(org: string, apikey: string, existing: SpyderbatSource[] = [], now?: () => number): Promise<SpyderbatApi> {
  const sources = new Map(existing.map((s) => [s.uid, s]));
  const receiver = await new GzipSaasReceiver(spyderbatSpec(org, apikey, sources), now).start();
  return {
    receiver,
    sources,
    events: () => receiver.accepted.flatMap((req) => (req.body ?? '').split('\n').slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>)),
  };
}
