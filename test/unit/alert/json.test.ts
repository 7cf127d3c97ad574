import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/alert/json.ts';
import { collectStartupGarbage } from '../../../src/heap.ts';
import { falcoAlertJson } from '../../support/alerts.ts';

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
  // Digit runs in a number's place inside strings and keys: the fast path's swap must give way.
  '{"s":"[12345678901234567890]","t":"a:-12345678901234567890}","n":12345678901234567890}',
  '{"k,12345678901234567890]":1,"v":[ 12345678901234567891 ]}',
  '{"a":\n\t 1700000000167531875 \r\n,"b":[\n-1700000000167531876\n]}',
  '{"s":"\\",1700000000167531875]","n":1700000000167531876}',
];

describe('lossless JSON', () => {
  it.each(cases)('parses %s exactly as a source-access reviver would', (text) => {
    expect(JSON.stringify(parseJson(text))).toBe(JSON.stringify(reference(text)));
  });

  it('agrees with the reference on 3,000 generated documents, and throws exactly when it does', () => {
    // Strings full of what the fast path looks for (delimiters, 16+ digit runs, escapes), big and
    // small numbers, odd whitespace; a third of them then cut or spliced into malformed JSON.
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)] as T;
    const ws = () => pick(['', '', ' ', '\n', '\t ', '\r\n']);
    const digits = () => `${1 + rnd(9)}${Array.from({ length: 15 + rnd(6) }, () => rnd(10)).join('')}`;
    const strPart = () => pick([':', ',', '[', ']', '{', '}', ' ', '\\"', '\\\\', 'x', '-', '.5', 'e3', '\\u0041', '\u00a0', digits()]);
    const str = () => `"${Array.from({ length: rnd(6) }, strPart).join('')}"`;
    const num = () => pick([digits(), `-${digits()}`, `${digits()}.5`, `${digits()}e2`, '7', '-0', '9007199254740991', '9007199254740993']);
    const value = (depth: number): string => {
      const kind = depth > 3 ? rnd(2) : rnd(4);
      if (kind === 0) return str();
      if (kind === 1) return num();
      const n = rnd(4);
      if (kind === 2) return `[${ws()}${Array.from({ length: n }, () => `${ws()}${value(depth + 1)}${ws()}`).join(',')}]`;
      return `{${Array.from({ length: n }, () => `${ws()}${str()}${ws()}:${ws()}${value(depth + 1)}${ws()}`).join(',')}}`;
    };
    const outcome = (f: () => unknown) => {
      try {
        return JSON.stringify(f());
      } catch (err) {
        return `throws ${(err as Error).name}`;
      }
    };
    let malformed = 0;
    for (let i = 0; i < 3000; i++) {
      let text = rnd(2) ? `{"a":${value(0)},"b":${value(0)}}` : `[${value(0)}]`;
      if (rnd(3) === 0) {
        const at = rnd(text.length);
        text = rnd(2) ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + pick(['"', ',', '\\', ':']) + text.slice(at);
      }
      const expected = outcome(() => reference(text));
      if (expected.startsWith('throws')) malformed++;
      expect(outcome(() => parseJson(text)), text).toBe(expected);
    }
    expect(malformed).toBeGreaterThan(300);
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

  it('keeps no part of the request body alive through an alert it parsed', () => {
    // One alert of each POST of 100 lives on, as when one output still queues it. Its evt.time is a
    // raw integer; were its text a slice of the body, the alert would keep the body's 54 KiB.
    const posts = 100;
    const body = (post: number) => Buffer.from(`[${Array.from({ length: 100 }, (_, i) => falcoAlertJson(post * 100 + i)).join(',')}]`).toString('utf8');
    const kept: unknown[] = [];
    collectStartupGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let post = 0; post < posts; post++) kept.push((parseJson(body(post)) as unknown[])[0]);
    collectStartupGarbage();
    const perAlert = (process.memoryUsage().heapUsed - before) / posts;
    expect(JSON.isRawJSON((kept[0] as { output_fields: Record<string, unknown> }).output_fields['evt.time'])).toBe(true);
    expect(perAlert).toBeLessThan(10 * 1024);
  });
});
