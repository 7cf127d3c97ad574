// The Spyderbat source the alerts go to, falcosidekick_<orguid>: looked up among the org's sources
// (GET …/source/) and, when missing, created (POST …/source/ {"name","description","uid"}), as
// falcosidekick does at start. A creation that fails is not final when a second lookup finds the
// source (another replica made it meanwhile).
import type { Dispatcher } from 'undici';
import { ok, sendHttp, type Outcome } from '../../src/plugin/index.ts';
import { classifySource } from './classify.ts';
import { goJson } from './event.ts';

export interface SourceTarget {
  pool: Dispatcher;
  path: string;
  headers: Record<string, string>;
  uid: string;
  name: string;
  description: string;
}

/** The source's uids in a source list answer, or undefined when it is not one. */
function sourceUids(text: string): string[] | undefined {
  try {
    const list = JSON.parse(text) as unknown;
    if (!Array.isArray(list)) return undefined;
    return list.flatMap((item: unknown) => (item !== null && typeof item === 'object' && typeof (item as { uid?: unknown }).uid === 'string' ? [(item as { uid: string }).uid] : []));
  } catch {
    return undefined;
  }
}

async function listed(target: SourceTarget, signal: AbortSignal, now: number): Promise<boolean | Outcome> {
  const res = await sendHttp(target.pool, { path: target.path, method: 'GET', headers: target.headers, signal });
  if (res.status < 200 || res.status >= 300) return classifySource(res, now, 'listing the sources');
  const uids = sourceUids(res.text);
  if (!uids) return classifySource({ ...res, status: 502 }, now, 'listing the sources (not a JSON list)');
  return uids.includes(target.uid);
}

/** ok() once the source exists; else what stops it. */
export async function ensureSource(target: SourceTarget, signal: AbortSignal, now: number): Promise<Outcome> {
  const first = await listed(target, signal, now);
  if (first === true) return ok();
  if (first !== false) return first;
  const body = `${goJson({ name: target.name, description: target.description, uid: target.uid })}\n`;
  const res = await sendHttp(target.pool, { path: target.path, method: 'POST', headers: { ...target.headers, 'content-type': 'application/json' }, body, signal });
  if (res.status >= 200 && res.status < 300) return ok();
  const again = await listed(target, signal, now);
  if (again === true) return ok();
  return classifySource(res, now, 'creating the source');
}
