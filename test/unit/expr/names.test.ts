import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/expr/index.js';
import { fakeEnv } from './fake-env.js';

const env = fakeEnv({ kernel: true });
const user = fakeEnv({ kernel: false });

describe('registers', () => {
  it.each<[string, bigint]>([
    ['rax', 0x1122334455667788n],
    ['@rax', 0x1122334455667788n],
    ['RAX', 0x1122334455667788n],
    ['@RAX', 0x1122334455667788n],
    ['eax', 0x55667788n],
    ['@eax', 0x55667788n],
    ['al', 0x88n],
    ['@ah', 0x77n], // without @ `ah` is the hex number 0xa
    ['@rip', 0xfffff80003aab937n],
    ['@rsp+8', 0xfffff88003186c70n],
    ['rbx+0x10', 0x20n],
    ['cs', 0x10n],
  ])('%s', (text, expected) => {
    expect(evaluate(text, env)).toBe(expected);
  });

  it('32-bit registers are sign-extended in both modes', () => {
    expect(evaluate('ebx', env)).toBe(0xffffffff80000010n);
    expect(evaluate('@ebx', user)).toBe(0xffffffff80000010n);
    expect(evaluate('r8d', user)).toBe(0xffffffff90000000n);
  });
});

describe('pseudo-registers and `.`', () => {
  it.each<[string, bigint]>([
    ['$t0', 0x1234n],
    ['@$t0', 0x1234n],
    ['@$T0', 0x1234n],
    ['$t1', 0x80000000n], // pseudo-registers are never sign-extended
    ['@$teb + 0x108', 0x0000008eed57b108n],
    ['.', 0xfffff80003aab937n],
    ['. + 5', 0xfffff80003aab93cn],
    ['.+5', 0xfffff80003aab93cn],
    ['$ip', 0xfffff80003aab937n],
  ])('%s', (text, expected) => {
    expect(evaluate(text, env)).toBe(expected);
  });
});

describe('symbols', () => {
  it.each<[string, bigint]>([
    ['nt', 0xfffff80003a5e000n],
    ['nt!KeBugCheckEx', 0xfffff80003aab940n],
    ['KeBugCheckEx', 0xfffff80003aab940n],
    ['nt!KeBugCheckEx+5', 0xfffff80003aab945n],
    ['nt!KeBugCheckEx+0x10', 0xfffff80003aab950n],
    ['nt!KeBugCheckEx-nt', 0x4d940n],
    ['nt!KiServiceTable+(0x53*4)', 0xfffff80003a8b44cn],
    ['!add', 0x5000n],
    ['nt!add', 0x5100n],
    ['ab!Func', 0x7400n], // a hex-looking module name followed by `!`
    ['cls::member', 0x7200n],
    ['nt!std::vector<int>::size', 0x7000n],
    ['nt!std::vector<int>::size+1', 0x7001n],
    ["nt!`anonymous namespace'::Foo", 0x7100n],
    ['?Foo@@YAXXZ', 0x7300n],
    ['MyCounter', 0x0012fedcn],
    ["nt! ?? ::FNODOBFM::`string'", 0xfffff80003b0c6a0n],
    ["nt! ?? ::FNODOBFM::`string'+0x4e3e", 0xfffff80003b114den],
    ["nt! ?? ::FNODOBFM::`string' + 1", 0xfffff80003b0c6a1n],
    ['poi(nt!KeBugCheckEx - 0xfffff80003aab940 + 1000)', 0xfffff80003aab940n],
    ['nt!KeBugCheckEx!=0', 1n], // `!=` after a symbol is an operator
    ['nt < nt!KeBugCheckEx', 1n],
  ])('%s', (text, expected) => {
    expect(evaluate(text, env)).toBe(expected);
  });

  it('keywords are only keywords as whole words', () => {
    const e = fakeEnv({ symbols: { poison: 0x99n, notes: 0x98n } });
    expect(evaluate('poison', e)).toBe(0x99n);
    expect(evaluate('notes+1', e)).toBe(0x99n);
  });

  it('a word is a number before a register before a symbol', () => {
    const e = fakeEnv({ symbols: { rax: 0x1n, beef: 0x2n } });
    expect(evaluate('rax', e)).toBe(0x1122334455667788n);
    expect(evaluate('beef', e)).toBe(0xbeefn);
    expect(evaluate('!beef', e)).toBe(2n);
  });
});

describe('backtick quotes after module!', () => {
  it('an unclosed quote does not swallow the rest of the command', () => {
    const e = fakeEnv({ symbols: { 'nt!a`b': 0x10n } });
    expect(evaluate("nt!a`b + 1", e)).toBe(0x11n);
    expect(() => evaluate("nt!a`b + 'x'", e)).toThrow("Syntax error at ''x''");
  });
});

describe('@@masm()', () => {
  it('evaluates its parenthesised MASM expression', () => {
    expect(evaluate('@@masm(1+2)*2', fakeEnv())).toBe(6n);
    expect(evaluate('@@MASM (rbx)', fakeEnv())).toBe(0x10n);
  });
});
