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

function parseNdjson(text: string): Item[] {
  return text
    .split('\n')
    .map((line, n) => ({ line, n }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, n }) => {
      try {
        return { value: parseJson(line) };
      } catch (err) {
        return { error: jsonError(err, ` on line ${n + 1}`) };
      }
    });
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function parseBody(text: string, contentType: string | undefined, now: Date): ParsedBody {
  if (text.trim() === '') throw new RequestError(ErrorCodes.BODY_EMPTY, 400, 'the request body is empty; send one Falco alert as JSON (or an array / NDJSON of alerts)');
  const type = mediaType(contentType);

  if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/json-seq') {
    return { batch: true, items: parseNdjson(text) };
  }
  // Falco's text lines start with a timestamp; a text/plain body that opens with `{` is JSON.
  if (type === 'text/plain' && !text.trimStart().startsWith('{')) {
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const items = lines.map((line): Item => {
      try {
        return { value: textLineToInput(line, now) };
      } catch (err) {
        return { error: err as RequestError };
      }
    });
    if (lines.length === 1) {
      const only = items[0] as Item;
      if ('error' in only) throw only.error;
      return { batch: false, items };
    }
    return { batch: true, items };
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
    if (text.trim().includes('\n')) {
      const items = parseNdjson(text);
      if (items.length > 1 && items.some((i) => 'value' in i)) return { batch: true, items };
    }
    throw jsonError(err, '');
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RequestError(ErrorCodes.BODY_EMPTY, 400, 'the JSON array holds no alerts');
    return { batch: true, items: value.map((v) => ({ value: v })) };
  }
  return { batch: false, items: [{ value }] };
}
