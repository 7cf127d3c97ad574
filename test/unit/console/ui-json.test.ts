// The console page's JSON parser and printer (ui/json.js): integers beyond 2^53 keep their digits,
// everything else reads and prints as JSON.parse / JSON.stringify(value, null, 2) have it.
import { describe, expect, it } from 'vitest';

// ui/ is plain browser JavaScript without type declarations: imported by a path TS does not resolve.
const uiJson = '../../../ui/json.js';
const { parseJson, formatJson } = (await import(uiJson)) as { parseJson: (text: string) => unknown; formatJson: (value: unknown) => string };

describe('console page JSON (ui/json.js)', () => {
  it('keeps integers beyond 2^53 as their digits, both signs, and prints them back unchanged', () => {
    const text = '{"evt.time":1795170096167531877,"fd.ino":-9007199254740993,"safe":9007199254740991,"f":1.5e300}';
    const value = parseJson(text) as Record<string, unknown>;
    expect(value['evt.time']).toBe(1795170096167531877n);
    expect(value['fd.ino']).toBe(-9007199254740993n);
    expect(value.safe).toBe(9007199254740991);
    expect(formatJson(value)).toBe('{\n  "evt.time": 1795170096167531877,\n  "fd.ino": -9007199254740993,\n  "safe": 9007199254740991,\n  "f": 1.5e+300\n}');
  });

  it('reads everything else as JSON.parse does and prints as JSON.stringify(v, null, 2)', () => {
    const text = ' {"s":"a \\"quoted\\" \\\\ \\u00e9 \\n","n":[0,-1.25,3e-2,true,false,null,[],{}],"o":{"__proto__":{"x":1},"deep":[{"k":"v"}]}} ';
    const value = parseJson(text);
    expect(value).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(formatJson(value)).toBe(JSON.stringify(JSON.parse(text), null, 2));
  });

  it('refuses what JSON.parse refuses, saying where', () => {
    for (const bad of ['{"a":1,}', '[1 2]', '{"a"}', '"open', '01', '{} x']) expect(() => parseJson(bad), bad).toThrow(SyntaxError);
    expect(() => parseJson('{"a":1,}')).toThrow('invalid JSON at 7: expected a key');
  });
});
