import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/expr/index.js';
import { fakeEnv } from './fake-env.js';

const env = fakeEnv();
const ALL = 0xffffffffffffffffn;

describe('binary operators', () => {
  it.each<[string, bigint]>([
    ['2*3', 6n],
    ['7/2', 3n],
    ['7 mod 4', 3n],
    ['7 MOD 4', 3n],
    ['7%4', 3n],
    ['1+2', 3n],
    ['5-7', ALL - 1n],
    ['1<<4', 0x10n],
    ['8>>1', 4n],
    ['-1>>4', 0x0fffffffffffffffn],
    ['-1>>>4', ALL], // arithmetic shift keeps the sign
    ['-8>>>1', ALL - 3n],
    ['1<<0n64', 0n],
    ['1<<0n65', 0n],
    ['-1>>0n64', 0n],
    ['-1>>>0n200', ALL],
    ['1 == 1', 1n],
    ['1 = 1', 1n],
    ['1 == 2', 0n],
    ['1 != 2', 1n],
    ['1 < 2', 1n],
    ['2 > 1', 1n],
    ['2 <= 2', 1n],
    ['1 >= 2', 0n],
    ['-1 > 0', 1n], // unsigned comparison
    ['6 and 3', 2n],
    ['6 & 3', 2n],
    ['6 xor 3', 5n],
    ['6 ^ 3', 5n],
    ['6 or 1', 7n],
    ['6 | 1', 7n],
    ['ffffffffffffffff * 2', ALL - 1n],
    ['ffffffffffffffff + 2', 1n],
  ])('%s', (text, expected) => {
    expect(evaluate(text, env)).toBe(expected);
  });
});

describe('precedence and associativity', () => {
  it.each<[string, bigint]>([
    ['1+2*3', 7n],
    ['(1+2)*3', 9n],
    ['1 + 2 * 3 + 4', 0x0bn],
    ['1 + 2 * 3 / 4', 2n],
    ['1 or 2 and 3', 3n], // and binds tighter: 1 | (2 & 3)
    ['(1 or 2) and 1', 1n],
    ['1 or 2 xor 3', 1n], // 1 | (2 ^ 3)
    ['1 xor 3 and 2', 3n], // 1 ^ (3 & 2)
    ['1 == 1 and 2 == 2', 1n],
    ['1 + 1 == 2', 1n],
    ['1 << 2 + 1', 8n], // shift below additive
    ['2 < 1 << 2', 1n], // comparison below shift
    ['10 - 4 - 2', 0xan],
    ['100 / 4 / 2', 0x20n],
    ['2 * 3 mod 4', 2n],
    ['1+(2*(3+4))', 0xfn],
    ['((((1))))', 1n],
  ])('%s', (text, expected) => {
    expect(evaluate(text, env)).toBe(expected);
  });
});

describe('unary operators', () => {
  it.each<[string, bigint]>([
    ['-1', ALL],
    ['+1', 1n],
    ['--1', 1n],
    ['+-1', ALL],
    ['- 1 + 2', 1n],
    ['not 0', 1n],
    ['not 5', 0n],
    ['NOT 0', 1n],
    ['not 1+1', 1n], // unary binds tighter than binary
    ['not(1+1)', 0n],
    ['hi 12345678', 0x1234n],
    ['low 12345678', 0x5678n],
    ['HI(12345678)', 0x1234n],
    ['low fffff880`06e53328', 0x3328n],
    ['-hi 10000', ALL],
  ])('%s', (text, expected) => {
    expect(evaluate(text, env)).toBe(expected);
  });
});

describe('memory operators', () => {
  it.each<[string, bigint]>([
    ['poi(1000)', 0xfffff80003aab940n],
    ['poi 1000', 0xfffff80003aab940n],
    ['POI(1000)', 0xfffff80003aab940n],
    ['poi(poi(2000))', 0xfffff80003aab940n],
    ['poi poi 2000', 0xfffff80003aab940n],
    ['poi(2000)+8', 0x1008n],
    ['poi 2000+8', 0x1008n], // unary binds tighter than +
    ['poi(@rsp)', 0xfffff80003aab940n],
    ['by(3000)', 0x11n],
    ['wo(3000)', 0x2211n],
    ['dwo(3000)', 0x44332211n],
    ['qwo(3000)', 0x8877665544332211n],
    ['by 3001', 0x22n],
    ['dwo(3000) == 44332211', 1n],
    ['poi(@$teb + 0x108)==0x409', 1n], // MS docs example
    ['by(0000008e`ed57b108)', 9n],
    ['wo(0000008e`ed57b108)', 0x409n],
  ])('%s', (text, expected) => {
    expect(evaluate(text, env)).toBe(expected);
  });

  it('poi reads the pointer size', () => {
    expect(evaluate('poi(3000)', fakeEnv({ pointerSize: 4 }))).toBe(0x44332211n);
    expect(evaluate('poi(3000)', fakeEnv({ pointerSize: 8 }))).toBe(0x8877665544332211n);
  });

  it('memory values are not sign-extended', () => {
    expect(evaluate('dwo(3004)', fakeEnv({ kernel: true }))).toBe(0x88776655n);
  });
});

describe('sign extension applies to literals and registers, not to results', () => {
  it('masking with a backtick constant clears the high bits', () => {
    expect(evaluate('0x0`FFFFFFFF & EEAA1122', env)).toBe(0xeeaa1122n);
  });
  it('a sum that lands in the 32-bit range is not extended', () => {
    expect(evaluate('7fffffff + 1', env)).toBe(0x80000000n);
  });
});

describe('the MS docs example with registers and prefixes', () => {
  it('? @r10 + 0x10 + 0t10 + 0y10 = 26', () => {
    expect(evaluate('@r10 + 0x10 + 0t10 + 0y10', env)).toBe(26n);
  });
  it('NOT(($ip = .) AND ($ip = @rip) AND (@rip =. )) = 0', () => {
    expect(evaluate('NOT(($ip = .) AND ($ip = @rip) AND (@rip =. ))', env)).toBe(0n);
  });
});
