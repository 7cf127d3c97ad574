import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody, parseBody } from '../../../src/ingest/body.ts';
import type { RequestError } from '../../../src/errors.ts';

const now = new Date('2026-11-20T10:00:00Z');
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as RequestError).code;
  }
  return 'no error';
};

describe('request bodies', () => {
  it('one JSON object is not a batch; an array and NDJSON are', () => {
    expect(parseBody('{"a":1}', 'application/json', now)).toEqual({ batch: false, items: [{ value: { a: 1 } }] });
    expect(parseBody('[{"a":1},{"a":2}]', 'application/json; charset=utf-8', now).items).toHaveLength(2);
    const nd = parseBody('{"a":1}\n\n{"a":2}\n', 'application/x-ndjson', now);
    expect(nd.batch).toBe(true);
    expect(nd.items).toEqual([{ value: { a: 1 } }, { value: { a: 2 } }]);
  });

  it('NDJSON keeps per-line errors with the line number', () => {
    const nd = parseBody('{"a":1}\n{oops\n', 'application/x-ndjson', now);
    expect(nd.items[0]).toEqual({ value: { a: 1 } });
    const second = nd.items[1] as { error: RequestError };
    expect(second.error.code).toBe('ERR_JSON_MALFORMED');
    expect(second.error.message).toContain('line 2');
  });

  it('a long pretty-printed JSON body with an error gets the JSON error; NDJSON of too many alerts the 413', () => {
    const pretty = `{\n"rule": "r",\n${Array.from({ length: 10_050 }, (_, i) => `"f${i}": ${i},`).join('\n')}\n"oops"\n}`;
    expect(codeOf(() => parseBody(pretty, 'application/json', now))).toBe('ERR_JSON_MALFORMED');
    const ndjson = Array.from({ length: 10_050 }, () => '{"a":1}').join('\n');
    expect(codeOf(() => parseBody(`${ndjson}\n{oops`, 'application/json', now))).toBe('ERR_BODY_TOO_LARGE');
  });

  it('rejects empty, malformed and unsupported bodies with stable codes', () => {
    expect(codeOf(() => parseBody('  ', 'application/json', now))).toBe('ERR_BODY_EMPTY');
    expect(codeOf(() => parseBody('[]', 'application/json', now))).toBe('ERR_BODY_EMPTY');
    expect(codeOf(() => parseBody('{"a":', 'application/json', now))).toBe('ERR_JSON_MALFORMED');
    expect(codeOf(() => parseBody('<xml/>', 'application/xml', now))).toBe('ERR_CONTENT_TYPE_UNSUPPORTED');
  });

  it('turns a Falco text line into an alert input, or explains the expected shape', () => {
    const parsed = parseBody('10:21:36.167531875: Critical Sensitive file opened (user=root)', 'text/plain', now);
    expect(parsed.batch).toBe(false);
    expect((parsed.items[0] as { value: Record<string, unknown> }).value).toMatchObject({
      priority: 'Critical',
      output: '10:21:36.167531875: Critical Sensitive file opened (user=root)',
      time: now.toISOString(),
    });
    const iso = parseBody('2026-11-20T10:21:36.167531875+0000: Warning x', 'text/plain', now);
    expect((iso.items[0] as { value: Record<string, unknown> }).value.time).toBe('2026-11-20T10:21:36.167531875+00:00');
    expect(codeOf(() => parseBody('hello world', 'text/plain', now))).toBe('ERR_TEXT_UNPARSEABLE');
  });

  it('gunzips within the limit and refuses bombs and garbage', async () => {
    expect(await decodeBody(gzipSync('{"a":1}'), 'gzip', 1024)).toBe('{"a":1}');
    await expect(decodeBody(gzipSync('x'.repeat(10_000)), 'gzip', 1024)).rejects.toMatchObject({ code: 'ERR_BODY_TOO_LARGE', status: 413 });
    await expect(decodeBody(Buffer.from('not gzip'), 'gzip', 1024)).rejects.toMatchObject({ code: 'ERR_GZIP_INVALID', status: 400 });
    await expect(decodeBody(Buffer.from('x'), 'br', 1024)).rejects.toMatchObject({ code: 'ERR_CONTENT_ENCODING_UNSUPPORTED', status: 415 });
  });
});
