// A request body → the alerts it carries. One object (falcosidekick), a JSON array, NDJSON, or
// Falco's text/plain lines; gzip decoded within the body limit. Per-item errors stay per item so a
// batch with a few bad alerts still delivers the good ones.
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import { ErrorCodes, RequestError } from '../errors.ts';
import { parseJson } from '../alert/json.ts';
import { textLineToInput } from './text.ts';

const gunzip = promisify(gunzipCb);

type Item = { value: unknown } | { error: RequestError };

export interface ParsedBody {
  /** false for one object / one text line: the reply is falcosidekick's empty 200 or a 400. */
  batch: boolean;
  items: Item[];
  /** Lines left unparsed because the batch had MAX_BATCH_ERRORS errors already. */
  skipped?: number;
}

/**
 * A batch stops at this many bad items: the rest is neither parsed nor accepted, only counted.
 * 2 MB of bad NDJSON lines used to take tens of seconds and a 134 MB reply.
 */
export const MAX_BATCH_ERRORS = 100;

/** Most alerts in one request: the work per request stays bounded (about 10 ms of parsing). */
export const MAX_BATCH_ITEMS = 10_000;

function tooMany(n: number): RequestError {
  return new RequestError(ErrorCodes.BODY_TOO_LARGE, 413, `${n} alerts in one request: send at most ${MAX_BATCH_ITEMS} per request (none of these was accepted)`);
}

function nonEmpty(lines: string[]): string[] {
  const kept = lines.filter((l) => l.trim() !== '');
  if (kept.length > MAX_BATCH_ITEMS) throw tooMany(kept.length);
  return kept;
}

export async function decodeBody(raw: Buffer, encoding: string | undefined, limit: number): Promise<string> {
  const enc = (encoding ?? 'identity').trim().toLowerCase();
  if (enc === 'identity' || enc === '') return raw.toString('utf8');
  if (enc !== 'gzip' && enc !== 'x-gzip') {
    throw new RequestError(ErrorCodes.CONTENT_ENCODING_UNSUPPORTED, 415, `Content-Encoding "${enc}" is not supported; send identity or gzip`);
  }
  try {
    return (await gunzip(raw, { maxOutputLength: limit })).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RequestError(ErrorCodes.BODY_TOO_LARGE, 413, `the gunzipped body is larger than ingest.maxbodybytes (${limit} bytes)`);
    }
    throw new RequestError(ErrorCodes.GZIP_INVALID, 400, `Content-Encoding is gzip but the body is not valid gzip (${(err as Error).message})`);
  }
}

function jsonError(err: unknown, where: string): RequestError {
  return new RequestError(ErrorCodes.JSON_MALFORMED, 400, `malformed JSON${where}: ${(err as Error).message}`);
}

function parseNdjson(text: string): { items: Item[]; skipped: number } {
  const lines = text.split('\n');
  nonEmpty(lines);
  const items: Item[] = [];
  let errors = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as string;
    if (line.trim() === '') continue;
    if (errors >= MAX_BATCH_ERRORS) return { items, skipped: lines.slice(n).filter((l) => l.trim() !== '').length };
    try {
      items.push({ value: parseJson(line) });
    } catch (err) {
      errors++;
      items.push({ error: jsonError(err, ` on line ${n + 1}`) });
    }
  }
  return { items, skipped: 0 };
}

/**
 * A JSON body that did not parse, read as NDJSON. Too many lines for a batch: NDJSON's 413 when its
 * first line is an alert of its own, else undefined (pretty-printed JSON with an error in it).
 */
function asNdjson(text: string): { items: Item[]; skipped: number } | undefined {
  try {
    return parseNdjson(text);
  } catch (err) {
    try {
      parseJson(text.trimStart().split('\n', 1)[0] as string);
    } catch {
      return undefined;
    }
    throw err;
  }
}

/** Media types read as NDJSON: one alert per line. */
const NDJSON_TYPES: readonly string[] = ['application/x-ndjson', 'application/jsonl', 'application/json-seq'];

/** The media types ingest reads by name: app.ts gives each a body parser of its own, which fastify caches. */
export const INGEST_MEDIA_TYPES: readonly string[] = ['application/json', 'text/plain', ...NDJSON_TYPES];

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function parseBody(text: string, contentType: string | undefined, now: Date): ParsedBody {
  // /\S/ is trim()'s whitespace set, without copying the body.
  if (!/\S/.test(text)) throw new RequestError(ErrorCodes.BODY_EMPTY, 400, 'the request body is empty; send one Falco alert as JSON (or an array / NDJSON of alerts)');
  const type = mediaType(contentType);

  if (NDJSON_TYPES.includes(type)) {
    return { batch: true, ...parseNdjson(text) };
  }
  // Falco's text lines start with a timestamp; a text/plain body that opens with `{` is JSON.
  if (type === 'text/plain' && !text.trimStart().startsWith('{')) {
    const lines = nonEmpty(text.split('\n'));
    const items: Item[] = [];
    let errors = 0;
    for (const line of lines) {
      if (errors >= MAX_BATCH_ERRORS) break;
      try {
        items.push({ value: textLineToInput(line, now) });
      } catch (err) {
        errors++;
        items.push({ error: err as RequestError });
      }
    }
    if (lines.length === 1) {
      const only = items[0] as Item;
      if ('error' in only) throw only.error;
      return { batch: false, items };
    }
    return { batch: true, items, skipped: lines.length - items.length };
  }
  const declaredJson = type === '' || type === 'application/json' || type.endsWith('+json');
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (err) {
    // falcosidekick decodes any body as JSON whatever its Content-Type (`curl -d` sends
    // application/x-www-form-urlencoded; some clients send text/json or application/octet-stream).
    // Peregrine does too, but a body of another type that is not JSON gets a precise 415.
    if (!declaredJson) {
      throw new RequestError(
        ErrorCodes.CONTENT_TYPE_UNSUPPORTED,
        415,
        `Content-Type "${type}" is not supported and the body is not JSON; use application/json (one alert or an array), application/x-ndjson, or text/plain`,
      );
    }
    // Several JSON documents, one per line, sent as application/json: treat as NDJSON.
    // A body that is not NDJSON either (pretty-printed JSON with an error, too many lines to be a
    // batch) gets the JSON error: that is what was meant.
    if (text.trim().includes('\n')) {
      const ndjson = asNdjson(text);
      if (ndjson && ndjson.items.length > 1 && ndjson.items.some((i) => 'value' in i)) return { batch: true, ...ndjson };
    }
    throw jsonError(err, '');
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RequestError(ErrorCodes.BODY_EMPTY, 400, 'the JSON array holds no alerts');
    if (value.length > MAX_BATCH_ITEMS) throw tooMany(value.length);
    return { batch: true, items: value.map((v) => ({ value: v })) };
  }
  return { batch: false, items: [{ value }] };
}
