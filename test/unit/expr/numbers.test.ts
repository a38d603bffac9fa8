import { describe, expect, it } from 'vitest';
import { evaluate, parseMasmNumber } from '../../../src/expr/index.js';
import { fakeEnv } from './fake-env.js';

const kernel = fakeEnv({ kernel: true });
const user = fakeEnv({ kernel: false });

describe('MASM numbers (radix 16, kernel)', () => {
  it.each<[string, bigint]>([
    ['10', 0x10n],
    ['0x10', 0x10n],
    ['0X4aB3', 0x4ab3n],
    ['4AB3h', 0x4ab3n],
    ['4ab3h', 0x4ab3n],
    ['4aB3H', 0x4ab3n],
    ['0n10', 10n],
    ['0N10', 10n],
    ['0t10', 8n],
    ['0T17', 15n],
    ['0y10', 2n],
    ['0Y1011', 11n],
    ['0x', 0n],
    ['0n', 0n],
    ['0t', 0n],
    ['0y', 0n],
    ['0', 0n],
    ['a', 0xan],
    ['add', 0xaddn], // a number first: symbol `add` needs `!add`
    ['ah', 0xan], // h suffix beats the register
    ['1ah', 0x1an],
    ['1`', 1n],
    ['1`1', 0x11n],
    ['fffff880`06e53328', 0xfffff88006e53328n],
    ['fffff88006e53328', 0xfffff88006e53328n],
    ['00000000`0000f000', 0xf000n],
    ['12345678', 0x12345678n],
    ['7fffffff', 0x7fffffffn],
    ['EEAA1122', 0xffffffffeeaa1122n],
    ['80000000', 0xffffffff80000000n],
    ['ffffffff', 0xffffffffffffffffn],
    ['00000000EEAA1122', 0xffffffffeeaa1122n],
    ['0`EEAA1122', 0xeeaa1122n],
    ['00000000`EEAA1122', 0xeeaa1122n],
    ['0n4294967295', 0xffffffffffffffffn],
    ['100000000', 0x100000000n],
    ['fffff880`033cb000 - fffff880`033bc000', 0xf000n],
  ])('%s', (text, expected) => {
    expect(evaluate(text, kernel)).toBe(expected);
  });
});

describe('MASM numbers in user mode never sign-extend constants', () => {
  it.each<[string, bigint]>([
    ['EEAA1122', 0xeeaa1122n],
    ['0`EEAA1122', 0xeeaa1122n],
    ['80000000', 0x80000000n],
    ['0n4294967295', 0xffffffffn],
  ])('%s', (text, expected) => {
    expect(evaluate(text, user)).toBe(expected);
  });
});

describe('radix 10 and 8', () => {
  const dec = fakeEnv({ radix: 10 });
  const oct = fakeEnv({ radix: 8 });
  it.each<[string, bigint]>([
    ['10', 10n],
    ['1+10', 11n], // the n 10 transcript: `? 1+10` = 11
    ['0x10', 16n],
    ['4ab3h', 0x4ab3n],
    ['10h', 16n],
    ['0t10', 8n],
    ['2147483648', 0xffffffff80000000n],
  ])('radix 10: %s', (text, expected) => {
    expect(evaluate(text, dec)).toBe(expected);
  });
  it.each<[string, bigint]>([
    ['10', 8n],
    ['777', 511n],
    ['0n10', 10n],
    ['0x10', 16n],
    ['10h', 16n],
  ])('radix 8: %s', (text, expected) => {
    expect(evaluate(text, oct)).toBe(expected);
  });
  it('a word that is not a number in the radix is looked up as a symbol', () => {
    expect(() => evaluate('1f', dec)).toThrow("Couldn't resolve error at '1f'");
    expect(() => evaluate('8', oct)).toThrow("Couldn't resolve error at '8'");
    expect(evaluate('add', dec)).toBe(0x5000n);
  });
});

describe('parseMasmNumber', () => {
  it('reports backticks and rejects non-numbers', () => {
    expect(parseMasmNumber('0`EEAA1122', 16)).toEqual({ value: 0xeeaa1122n, hasBacktick: true });
    expect(parseMasmNumber('EEAA1122', 16)).toEqual({ value: 0xeeaa1122n, hasBacktick: false });
    expect(parseMasmNumber('`1', 16)).toBeUndefined();
    expect(parseMasmNumber('0x10h', 16)).toBeUndefined();
    expect(parseMasmNumber('rax', 16)).toBeUndefined();
    expect(parseMasmNumber('h', 16)).toBeUndefined();
  });
  it('wraps literals wider than 64 bits', () => {
    expect(parseMasmNumber('1ffffffffffffffff', 16)?.value).toBe(0xffffffffffffffffn);
  });
});
