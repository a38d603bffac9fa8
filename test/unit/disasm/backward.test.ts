import { describe, expect, it } from 'vitest';
import { disassembleBackward, formatDisasmLine } from '../../../src/disasm/index.js';
import { memoryOf, noSymbols, SEED_ADDRESS, SEED_BYTES, seedSymbols } from './helpers.js';

// A prologue placed just before the seed bytes: 5 + 1 + 4 + 2 = 12 bytes.
const PROLOGUE = '48895c2408 57 4883ec20 8bfa';
const PROLOGUE_BASE = SEED_ADDRESS - 12n;

describe('disassembleBackward (ub)', () => {
  it('finds the instructions ending just before the address', () => {
    const memory = memoryOf([PROLOGUE_BASE, PROLOGUE + SEED_BYTES]);
    const lines = disassembleBackward(memory, 0xfffff80003aab950n, 3, { bitness: 64, symbolize: seedSymbols });
    expect(lines.map((l) => formatDisasmLine(l, 8))).toEqual([
      'fffff800`03aab943 400fb6c6        movzx   eax,sil',
      'fffff800`03aab947 440f22c0        mov     cr8,rax',
      'fffff800`03aab94b 4c8d5c2460      lea     r11,[rsp+60h]',
    ]);
  });

  it('starts from the lowest readable start point that lands', () => {
    // Only 12 readable bytes precede the seed, so the window is clipped to them. Starting two
    // bytes in (`pop rsp; and al,8; ...`) would give more instructions; the longer span wins.
    const memory = memoryOf([PROLOGUE_BASE, PROLOGUE + SEED_BYTES]);
    const lines = disassembleBackward(memory, SEED_ADDRESS + 2n, 5, { bitness: 64, symbolize: noSymbols });
    expect(lines.map((l) => l.text)).toEqual([
      'mov     qword ptr [rsp+8],rbx',
      'push    rdi',
      'sub     rsp,20h',
      'mov     edi,edx',
      'pause',
    ]);
    expect(lines[0]!.address).toBe(PROLOGUE_BASE);
  });

  it('ends exactly at the address even when misaligned decodes are possible', () => {
    // 0x05 is `add eax,imm32`: starting one byte early would swallow four bytes.
    const code = '90 b805000000 05 11223344 c3';
    const base = 0x401000n;
    const memory = memoryOf([base, code]);
    const end = base + 11n;
    const lines = disassembleBackward(memory, end, 2, { bitness: 32, symbolize: noSymbols });
    expect(lines.map((l) => formatDisasmLine(l, 4))).toEqual([
      '00401001 b805000000      mov     eax,5',
      '00401006 0511223344      add     eax,44332211h',
    ]);
    expect(lines[1]!.address + BigInt(lines[1]!.length)).toBe(end);
  });

  it('returns nothing when the bytes before the address are unreadable', () => {
    expect(disassembleBackward(memoryOf([SEED_ADDRESS, SEED_BYTES]), SEED_ADDRESS, 8, { bitness: 64, symbolize: noSymbols })).toEqual([]);
    expect(disassembleBackward(memoryOf([SEED_ADDRESS, SEED_BYTES]), SEED_ADDRESS + 2n, 0, { bitness: 64, symbolize: noSymbols })).toEqual([]);
  });
});
