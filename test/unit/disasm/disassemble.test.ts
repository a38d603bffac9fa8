import { describe, expect, it } from 'vitest';
import { disassemble, formatDisasmLine, type Symbolizer } from '../../../src/disasm/index.js';
import { memoryOf, noSymbols, SEED_ADDRESS, SEED_BYTES, seedSymbols, symbolsOf } from './helpers.js';

function listing(hex: string, base: bigint, bitness: 32 | 64, symbolize: Symbolizer = noSymbols, count = 64): string[] {
  const memory = memoryOf([base, hex]);
  return disassemble(memory, base, { bitness, symbolize, count })
    .filter((l) => l.readable)
    .map((l) => formatDisasmLine(l, bitness === 64 ? 8 : 4));
}

describe('disassemble (u)', () => {
  const seed = memoryOf([SEED_ADDRESS, SEED_BYTES]);

  it('reproduces the seed listing of u @rip exactly', () => {
    const lines = disassemble(seed, SEED_ADDRESS, { bitness: 64, symbolize: seedSymbols });
    expect(lines.map((l) => formatDisasmLine(l, 8))).toEqual([
      'fffff800`03aab937 f390            pause',
      'fffff800`03aab939 8b8380200000    mov     eax,dword ptr [rbx+2080h]',
      'fffff800`03aab93f 3bc5            cmp     eax,ebp',
      'fffff800`03aab941 75f4            jne     nt!KeFlushProcessWriteBuffers+0x63 (fffff800`03aab937)',
      'fffff800`03aab943 400fb6c6        movzx   eax,sil',
      'fffff800`03aab947 440f22c0        mov     cr8,rax',
      'fffff800`03aab94b 4c8d5c2460      lea     r11,[rsp+60h]',
      'fffff800`03aab950 498b5b10        mov     rbx,qword ptr [r11+10h]',
    ]);
  });

  it('reports flow facts of each line', () => {
    const lines = disassemble(seed, SEED_ADDRESS, { bitness: 64, symbolize: seedSymbols });
    const jne = lines[3]!;
    expect(jne.isConditionalJump).toBe(true);
    expect(jne.branchTarget).toBe(SEED_ADDRESS);
    expect(jne.length).toBe(2);
    expect(lines[1]!.bytes).toEqual(Uint8Array.from([0x8b, 0x83, 0x80, 0x20, 0, 0]));
    expect(lines[1]!.text).toBe('mov     eax,dword ptr [rbx+2080h]');
    expect(lines[0]!.branchTarget).toBeUndefined();
    expect(lines.every((l) => !l.isCall && !l.isReturn && !l.isUnconditionalJump)).toBe(true);
  });

  it('range form stops at the last instruction starting at or before End', () => {
    const lines = disassemble(seed, SEED_ADDRESS, { bitness: 64, symbolize: seedSymbols, end: 0xfffff80003aab943n });
    expect(lines).toHaveLength(5);
    expect(formatDisasmLine(lines[4]!, 8)).toBe('fffff800`03aab943 400fb6c6        movzx   eax,sil');
    const mid = disassemble(seed, SEED_ADDRESS, { bitness: 64, symbolize: seedSymbols, end: 0xfffff80003aab944n });
    expect(mid).toHaveLength(5);
    expect(disassemble(seed, SEED_ADDRESS, { bitness: 64, symbolize: seedSymbols, end: SEED_ADDRESS - 1n })).toEqual([]);
  });

  it('prints ?? ??? for unreadable memory and stops there', () => {
    const lines = disassemble(memoryOf(), 0xfffff9600011ad9fn, { bitness: 64, symbolize: noSymbols });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.readable).toBe(false);
    expect(formatDisasmLine(lines[0]!, 8)).toBe('fffff960`0011ad9f ??              ???');
    expect(formatDisasmLine(lines[0]!, 4)).toBe('0011ad9f ??              ???');
  });

  it('includes one unreadable line when the listing runs off the end of memory', () => {
    const lines = disassemble(memoryOf([0x1000n, 'c3 90 48 8b']), 0x1000n, { bitness: 64, symbolize: noSymbols });
    expect(lines.map((l) => formatDisasmLine(l, 8))).toEqual([
      '00000000`00001000 c3              ret',
      '00000000`00001001 90              nop',
      '00000000`00001002 ??              ???',
    ]);
  });

  it('pads the mnemonic up to 8 bytes of code and not beyond', () => {
    expect(listing('48b9ffffffffffffff7f 488b8c24c0000000 c4e17b100544000000 48c7842488000000206cfbff', 0x7ffa4ac3c080n, 64)).toEqual([
      '00007ffa`4ac3c080 48b9ffffffffffffff7f mov rcx,7FFFFFFFFFFFFFFFh',
      '00007ffa`4ac3c08a 488b8c24c0000000 mov     rcx,qword ptr [rsp+0C0h]',
      '00007ffa`4ac3c092 c4e17b100544000000 vmovsd xmm0,qword ptr [00007ffa`4ac3c0df]',
      '00007ffa`4ac3c09b 48c7842488000000206cfbff mov qword ptr [rsp+88h],0FFFFFFFFFFFB6C20h',
    ]);
  });

  it('spells ret, int 3, calls, rip-relative operands and segment overrides like WinDbg', () => {
    const base = 0xfffff80003aab000n;
    const symbolize = symbolsOf({
      '0xfffff80003aab017': 'nt!Foo+0x17',
      '0xfffff80003aac000': 'nt!KeBugCheckEx',
      '0xfffff80003aab100': 'nt!_imp_KeBugCheck',
    });
    // mov rax,[rip+10h]; call KeBugCheckEx; call [rip+..]; lea rcx,[rip+..]; mov rax,gs:[188h]; ret 8; ret; int 3
    const code = '488b0510000000 e8f40f0000 ff15ee000000 488d0d00000000 65488b042588010000 c20800 c3 cc';
    expect(listing(code, base, 64, symbolize)).toEqual([
      'fffff800`03aab000 488b0510000000  mov     rax,qword ptr [nt!Foo+0x17 (fffff800`03aab017)]',
      'fffff800`03aab007 e8f40f0000      call    nt!KeBugCheckEx (fffff800`03aac000)',
      'fffff800`03aab00c ff15ee000000    call    qword ptr [nt!_imp_KeBugCheck (fffff800`03aab100)]',
      'fffff800`03aab012 488d0d00000000  lea     rcx,[fffff800`03aab019]',
      'fffff800`03aab019 65488b042588010000 mov rax,qword ptr gs:[188h]',
      'fffff800`03aab022 c20800          ret     8',
      'fffff800`03aab025 c3              ret',
      'fffff800`03aab026 cc              int     3',
    ]);
  });
});
