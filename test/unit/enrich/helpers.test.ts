import { describe, it, expect } from 'vitest';
import Handlebars from 'handlebars';
import { goSprint, goSprintf } from '../../../src/enrich/go-format.ts';
import { createTemplateEnvironment, isTrue, KNOWN_HELPERS } from '../../../src/enrich/helpers.ts';

const env = createTemplateEnvironment();

function run(template: string, context: Record<string, unknown> = {}): string {
  return env.compile(template, { noEscape: true, knownHelpers: KNOWN_HELPERS, knownHelpersOnly: true })(context);
}

describe('the private Handlebars environment', () => {
  it('does not touch the global Handlebars instance', () => {
    expect(Handlebars.helpers['eq']).toBeUndefined();
    expect(env.helpers['eq']).toBeTypeOf('function');
  });
});

describe('helpers', () => {
  const ctx = { s: 'Abc', zero: 0, empty: '', list: ['a', 'b'], none: [], big: '1700000000167531875', n: 5 };

  it('eq compares the first argument with each of the others (Go semantics)', () => {
    expect(run('{{eq s "x" "Abc"}} {{eq s "x" "y"}} {{eq missing null}} {{eq n 5}} {{eq big 1700000000167531875}}', ctx)).toBe(
      'true false true true false',
    );
  });

  it('ne, lt, le, gt, ge', () => {
    expect(run('{{ne s "x"}} {{lt n 6}} {{le n 5}} {{gt n 5}} {{ge n 5}} {{lt "a" "b"}}', ctx)).toBe('true true true false true true');
  });

  it('compares big integers (digit strings) with numbers exactly', () => {
    expect(run('{{gt big 1}} {{lt big 1}} {{eq "12" 12}} {{ne "12" 13}}', ctx)).toBe('true false true true');
  });

  it('refuses to compare values of different kinds', () => {
    expect(() => run('{{lt s 1}}', ctx)).toThrow('lt: incompatible types for comparison: string and int');
    expect(() => run('{{gt missing 1}}', ctx)).toThrow('gt: invalid type for comparison');
  });

  it('and/or return an argument, as in Go', () => {
    expect(run('[{{or empty zero "x"}}] [{{or empty zero}}] [{{and s zero "x"}}] [{{and s n}}] [{{or missing "d"}}]', ctx)).toBe(
      '[x] [0] [0] [5] [d]',
    );
    expect(run('[{{and missing "x"}}]', ctx)).toBe('[]');
  });

  it('not, default, lower, upper, len', () => {
    expect(run('{{not zero}} {{not list}} {{not none}}', ctx)).toBe('true false true');
    expect(run('{{default "d" empty}} {{default "d" s}} {{default "d" zero}} {{default "d"}}', ctx)).toBe('d Abc d d');
    expect(run('{{lower s}} {{upper s}} [{{lower missing}}]', ctx)).toBe('abc ABC []');
    expect(run('{{len s}} {{len list}} {{len "é"}}', ctx)).toBe('3 2 2');
    expect(() => run('{{len n}}', ctx)).toThrow('len: len of type int');
  });

  it('checks the number of arguments at render time', () => {
    expect(() => run('{{not}}')).toThrow('not: wants 1 argument, got 0');
    expect(() => run('{{eq 1}}')).toThrow('eq: wants at least 2 arguments, got 1');
  });

  it('printf and print', () => {
    expect(run('{{printf "%s=%d %v %q" s n list s}}', ctx)).toBe('Abc=5 [a b] "Abc"');
    expect(run('{{print s n n}}', ctx)).toBe('Abc5 5');
  });

  it('are known at compile time, so an unknown helper is an error', () => {
    expect(() => run('{{nope 1}}')).toThrow('unknown helper nope');
  });
});

describe('Go truth', () => {
  it.each([
    [null, false],
    [undefined, false],
    [false, false],
    [0, false],
    ['', false],
    [[], false],
    [{}, false],
    [true, true],
    [-1, true],
    ['0', true],
    [['x'], true],
    [{ a: 1 }, true],
  ])('%j is %s', (value, expected) => {
    expect(isTrue(value)).toBe(expected);
  });
});

describe('Go formatting', () => {
  it('marks missing, extra and mismatched arguments as fmt does', () => {
    expect(goSprintf('%s %s', ['a'])).toBe('a %!s(MISSING)');
    expect(goSprintf('%s', ['a', 2])).toBe('a%!(EXTRA int=2)');
    expect(goSprintf('%d', ['x'])).toBe('%!d(string=x)');
    expect(goSprintf('%t', [1])).toBe('%!t(int=1)');
    expect(goSprintf('%v %v', [null, { b: 1, a: [true] }])).toBe('<nil> map[a:[true] b:1]');
    // Inside a slice or map the verb applies to each element, as Go's fmt does.
    expect(goSprintf('%s', [{ b: 1, a: [true] }])).toBe('map[a:[%!s(bool=true)] b:%!s(int=1)]');
  });

  it('spaces print operands only between non-strings', () => {
    expect(goSprint(['a', 'b', 1, 2, 'c'])).toBe('ab1 2c');
  });
});
