import { describe, expect, it } from 'vitest';
import { isExpressionStart, parseExpression } from '../../../src/expr/index.js';
import { fakeEnv } from './fake-env.js';

const env = fakeEnv();

describe('parseExpression stops where the expression cannot continue', () => {
  it.each<[string, number, bigint, number, string]>([
    ['fffff800`03aab937 fffff800`03aab943', 0, 0xfffff80003aab937n, 18, 'fffff800`03aab943'],
    ['fffff800`03aab937 fffff800`03aab943', 18, 0xfffff80003aab943n, 35, ''],
    ['fffff880`0318a978 L7', 0, 0xfffff8800318a978n, 18, 'L7'],
    ['@rip L3', 0, 0xfffff80003aab937n, 5, 'L3'],
    ['nt!KeBugCheckEx+5 Ld', 0, 0xfffff80003aab945n, 18, 'Ld'],
    ['rsp L?10', 0, 0xfffff88003186c68n, 4, 'L?10'],
    ['rsp l-5', 0, 0xfffff88003186c68n, 4, 'l-5'],
    ['1 + 2 L4', 0, 3n, 6, 'L4'],
    ['u 1000 2000', 2, 0x1000n, 7, '2000'],
    ['  10  ', 0, 0x10n, 6, ''],
    ['rax=5', 4, 5n, 5, ''],
    ['poi(1000) "cmd"', 0, 0xfffff80003aab940n, 10, '"cmd"'],
    ['. L2', 0, 0xfffff80003aab937n, 2, 'L2'],
    ['1)', 0, 1n, 1, ')'],
  ])('%s from %i', (text, start, value, end, rest) => {
    const r = parseExpression(text, start, env);
    expect(r.value).toBe(value);
    expect(r.end).toBe(end);
    expect(text.slice(r.end)).toBe(rest);
  });

  it('reports errors with offsets into the whole text', () => {
    expect(() => parseExpression('dd xyz L4', 3, env)).toThrow("Couldn't resolve error at 'xyz L4'");
    try {
      parseExpression('dd xyz L4', 3, env);
    } catch (e) {
      expect((e as { offset: number }).offset).toBe(3);
    }
  });
});

describe('isExpressionStart', () => {
  it.each<[string, number, boolean]>([
    ['u 1000', 1, true],
    ['u @rip', 1, true],
    ['u (1)', 1, true],
    ['u -1', 1, true],
    ['u', 1, false],
    ['u  ', 1, false],
    ['k ;', 1, false],
    ['? "x"', 1, false],
  ])('%s at %i', (text, start, expected) => {
    expect(isExpressionStart(text, start)).toBe(expected);
  });
});
