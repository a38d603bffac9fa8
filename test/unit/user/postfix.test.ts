import { describe, expect, it } from 'vitest';
import { evaluatePostfix, runPostfixProgram } from '../../../src/unwind/x86/postfix.js';

const memory = new Map<bigint, bigint>([
  [0x1000n, 0x2000n],
  [0x1004n, 0x401234n],
]);
const read32 = (a: bigint): bigint | undefined => memory.get(a);

describe('postfix programs', () => {
  it('runs a FRAME_DATA program string', () => {
    const vars = new Map([['$ebp', 0x1000n], ['$esp', 0xff0n], ['.cbSavedRegs', 4n], ['.cbParams', 8n]]);
    const out = runPostfixProgram('$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + = $L $T0 .cbSavedRegs - = $P $T0 8 + .cbParams + =', vars, read32);
    expect(out && Object.fromEntries(out)).toEqual({
      $T0: 0x1000n, $eip: 0x401234n, $ebp: 0x2000n, $esp: 0x1008n, $L: 0xffcn, $P: 0x1010n,
    });
    // The inputs are not modified.
    expect(vars.get('$ebp')).toBe(0x1000n);
  });

  it('aligns with @ and wraps at 32 bits', () => {
    const out = runPostfixProgram('$T0 $x 8 @ = $T1 0 4 - = $T2 0xfffffffe 3 + =', new Map([['$x', 0x1237n]]), read32);
    expect(out && Object.fromEntries(out)).toEqual({ $T0: 0x1230n, $T1: 0xfffffffcn, $T2: 1n });
  });

  it('accepts `=` glued to the next token (an MSVC quirk)', () => {
    const out = runPostfixProgram('$T0 $ebp = $eip $T0 4 + ^ =$ebp $T0 ^ =', new Map([['$ebp', 0x1000n]]), read32);
    expect(out?.get('$eip')).toBe(0x401234n);
    expect(out?.get('$ebp')).toBe(0x2000n);
  });

  it('fails on unknown variables, unreadable memory, bad operators and leftovers', () => {
    const vars = new Map([['$ebp', 0x3000n]]);
    expect(runPostfixProgram('$eip $nope 4 + =', vars, read32)).toBeUndefined();
    expect(runPostfixProgram('$eip $ebp ^ =', vars, read32)).toBeUndefined();
    expect(runPostfixProgram('$eip 4 0 / =', vars, read32)).toBeUndefined();
    expect(runPostfixProgram('$eip 4 =  5', vars, read32)).toBeUndefined();
    expect(runPostfixProgram('4 5 =', vars, read32)).toBeUndefined();
    expect(runPostfixProgram('$eip 4 # =', vars, read32)).toBeUndefined();
    expect(runPostfixProgram('+', vars, read32)).toBeUndefined();
  });

  it('evaluates CFI rule expressions to one value', () => {
    const vars = new Map([['$esp', 0xffcn], ['.cfa', 0x1008n]]);
    expect(evaluatePostfix('$esp 4 +', vars, read32)).toBe(0x1000n);
    expect(evaluatePostfix('.cfa 4 - ^', vars, read32)).toBe(0x401234n);
    expect(evaluatePostfix('.cfa', vars, read32)).toBe(0x1008n);
    expect(evaluatePostfix('$esp 4', vars, read32)).toBeUndefined();
    expect(evaluatePostfix('$T0 1 =', vars, read32)).toBeUndefined();
    expect(evaluatePostfix('.undef', vars, read32)).toBeUndefined();
  });
});
