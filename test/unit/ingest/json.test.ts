import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/ingest/json.ts';

// What a JSON.parse reviver with source access gives: the reference semantics.
function reference(text: string): unknown {
  return JSON.parse(text, (_k, v, ctx: { source?: string }) =>
    typeof v === 'number' && !Number.isSafeInteger(v) && ctx.source !== undefined && /^-?\d+$/.test(ctx.source) ? JSON.rawJSON(ctx.source) : v,
  );
}

const cases = [
  '{"a":1700000000167531875}',
  '{"a":-1700000000167531875,"b":[18446744073709551615, 1, 2.5e300, 12345678901234567.5]}',
  '{"s":"pid:1700000000167531875, \\"quoted\\" 1234567890123456789","n":9007199254740993}',
  '{"safe":9007199254740991,"unsafe":9007199254740992,"exp":1234567890123456789e2}',
  '[1700000000167531875,{"k":"\\\\","v":1700000000167531876}]',
  '{"deep":{"x":[[{"y":12345678901234567890}]]}}',
  '{"evt.time":1700000000167531875,"proc.aname[2]":null,"t":true}',
  // Quotes after runs of backslashes: an odd run escapes the quote, an even one does not.
  '{"k":"a\\\\\\\\","v":1700000000167531875}',
  '{"k":"\\\\\\"1700000000167531875","v":1700000000167531876}',
  '1700000000167531875',
  '{"s":"x-1 -9007199254740993","n":-9007199254740993}',
  '[[],{},"",1700000000167531875]',
];

describe('lossless JSON', () => {
  it.each(cases)('parses %s exactly as a source-access reviver would', (text) => {
    expect(JSON.stringify(parseJson(text))).toBe(JSON.stringify(reference(text)));
  });

  it('writes big integers back byte for byte', () => {
    expect(JSON.stringify(parseJson('{"a":1700000000167531875,"b":"1700000000167531875"}'))).toBe('{"a":1700000000167531875,"b":"1700000000167531875"}');
  });

  it('never turns a string into a number, whatever it contains', () => {
    const value = parseJson('{"x":"\\u0000deadbeef:0","n":1700000000167531875}') as Record<string, unknown>;
    expect(value.x).toBe('\u0000deadbeef:0');
  });

  it('reports malformed JSON like JSON.parse, with the position in what was sent', () => {
    expect(() => parseJson('{"a":1700000000167531875,}')).toThrow(/position 25/);
    expect(() => parseJson('{"a":')).toThrow(SyntaxError);
    expect(() => parseJson('{"a":1700000000167531875,"b":"open')).toThrow(SyntaxError);
  });
});
