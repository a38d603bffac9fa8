import { describe, expect, it } from 'vitest';
import { disassemble, formatDisasmLine, type Symbolizer } from '../../../src/disasm/index.js';
import { memoryOf, noSymbols, symbolsOf } from './helpers.js';

function listing(hex: string, base: bigint, bitness: 32 | 64, symbolize: Symbolizer = noSymbols): string[] {
  return disassemble(memoryOf([base, hex]), base, { bitness, symbolize, count: 64 })
    .filter((l) => l.readable)
    .map((l) => formatDisasmLine(l, bitness === 64 ? 8 : 4));
}

describe('x86 listings', () => {
  it('matches a real x86 kernel listing (nt!PsLookupProcessByProcessId)', () => {
    const symbolize = symbolsOf({ '0x8055b260': 'nt!PspCidTable', '0x806058f8': 'nt!ExMapHandleToPointer' });
    const code = '8bff 55 8bec 53 56 64a124010000 ff7508 8bf0 ff8ed4000000 ff3560b25580 e84bb50300';
    expect(listing(code, 0x805ca38an, 32, symbolize)).toEqual([
      '805ca38a 8bff            mov     edi,edi',
      '805ca38c 55              push    ebp',
      '805ca38d 8bec            mov     ebp,esp',
      '805ca38f 53              push    ebx',
      '805ca390 56              push    esi',
      '805ca391 64a124010000    mov     eax,dword ptr fs:[00000124h]',
      '805ca397 ff7508          push    dword ptr [ebp+8]',
      '805ca39a 8bf0            mov     esi,eax',
      '805ca39c ff8ed4000000    dec     dword ptr [esi+0D4h]',
      '805ca3a2 ff3560b25580    push    dword ptr [nt!PspCidTable (8055b260)]',
      '805ca3a8 e84bb50300      call    nt!ExMapHandleToPointer (806058f8)',
    ]);
  });

  it('symbolizes offsets, moffs operands and jump tables', () => {
    const symbolize = symbolsOf({
      '0x804daec0': 'nt!ObWatchHandles+0x674',
      '0x83f7ebac': 'nt!KiProfileInterval',
      '0x7eb31f00': 'ntdll!memcpy+0x148',
    });
    expect(listing('6a28 68c0ae4d80', 0x805c8208n, 32, symbolize)).toEqual([
      '805c8208 6a28            push    28h',
      '805c820a 68c0ae4d80      push    offset nt!ObWatchHandles+0x674 (804daec0)',
    ]);
    expect(listing('a1acebf783 a300000000 b80d0000c0', 0x84160ecfn, 32, symbolize)).toEqual([
      '84160ecf a1acebf783      mov     eax,dword ptr [nt!KiProfileInterval (83f7ebac)]',
      '84160ed4 a300000000      mov     dword ptr ds:[00000000h],eax',
      '84160ed9 b80d0000c0      mov     eax,0C000000Dh',
    ]);
    expect(listing('f3a5 ff2495001fb37e', 0x7eb31de6n, 32, symbolize)).toEqual([
      '7eb31de6 f3a5            rep movs dword ptr es:[edi],dword ptr [esi]',
      '7eb31de8 ff2495001fb37e  jmp     dword ptr ntdll!memcpy+0x148 (7eb31f00)[edx*4]',
    ]);
  });

  it('prints the bare target of an unresolved x86 branch', () => {
    expect(listing('e9fcf8f5ff', 0x725fb99en, 32)).toEqual(['725fb99e e9fcf8f5ff      jmp     7255b29f']);
  });
});

describe('instruction spellings', () => {
  it('string instructions carry explicit operands', () => {
    expect(listing('f348a5 f348ab f348a7 f2ae ac 66ad', 0x1000n, 64).map((l) => l.slice(18))).toEqual([
      'f348a5          rep movs qword ptr [rdi],qword ptr [rsi]',
      'f348ab          rep stos qword ptr [rdi]',
      'f348a7          repe cmps qword ptr [rsi],qword ptr [rdi]',
      'f2ae            repne scas byte ptr [rdi]',
      'ac              lods    byte ptr [rsi]',
      '66ad            lods    word ptr [rsi]',
    ]);
    expect(listing('f3ab f3a4 64a4 f3a6 6c 6e', 0x1000n, 32).map((l) => l.slice(9))).toEqual([
      'f3ab            rep stos dword ptr es:[edi]',
      'f3a4            rep movs byte ptr es:[edi],byte ptr [esi]',
      '64a4            movs    byte ptr es:[edi],byte ptr fs:[esi]',
      'f3a6            repe cmps byte ptr [esi],byte ptr es:[edi]',
      '6c              ins     byte ptr es:[edi],dx',
      '6e              outs    dx,byte ptr [esi]',
    ]);
  });

  it('keeps lock prefixes, nops and SSE operands in dbgeng form', () => {
    expect(listing('f0480fb10a f00fc101 660f1f440000 0f297c2440 4883e4f0 cd2c 0f0b', 0x1000n, 64).map((l) => l.slice(18))).toEqual([
      'f0480fb10a      lock cmpxchg qword ptr [rdx],rcx',
      'f00fc101        lock xadd dword ptr [rcx],eax',
      '660f1f440000    nop     word ptr [rax+rax]',
      '0f297c2440      movaps  xmmword ptr [rsp+40h],xmm7',
      '4883e4f0        and     rsp,0FFFFFFFFFFFFFFF0h',
      'cd2c            int     2Ch',
      '0f0b            ud2',
    ]);
  });

  it('flags calls, returns and jumps; syscall is not a call', () => {
    const lines = disassemble(memoryOf([0x1000n, 'e800000000 ffd0 0f05 c3 ffe0 7400 cc']), 0x1000n, { bitness: 64, symbolize: noSymbols, count: 7 });
    const flags = lines.map((l) => [l.isCall, l.isReturn, l.isUnconditionalJump, l.isConditionalJump].map(Number).join(''));
    expect(flags).toEqual(['1000', '1000', '0000', '0100', '0010', '0001', '0000']);
    expect(lines[0]!.branchTarget).toBe(0x1005n);
    expect(lines[1]!.branchTarget).toBeUndefined();
  });

  it('never reuses symbol-dependent text across symbolizers', () => {
    const memory = memoryOf([0x805c820an, '68c0ae4d80 68c0ae4d80 8bff 8bff']);
    const first = disassemble(memory, 0x805c820an, { bitness: 32, symbolize: symbolsOf({ '0x804daec0': 'nt!A' }), count: 4 });
    const second = disassemble(memory, 0x805c820an, { bitness: 32, symbolize: noSymbols, count: 4 });
    expect(first.map((l) => l.text)).toEqual(['push    offset nt!A (804daec0)', 'push    offset nt!A (804daec0)', 'mov     edi,edi', 'mov     edi,edi']);
    expect(second.map((l) => l.text)).toEqual(['push    804DAEC0h', 'push    804DAEC0h', 'mov     edi,edi', 'mov     edi,edi']);
    expect(second[3]!.bytes).toEqual(Uint8Array.from([0x8b, 0xff]));
    expect(second[3]!.address).toBe(0x805c8216n);
  });

  it('shows undecodable bytes as ??? one byte at a time and goes on', () => {
    const lines = disassemble(memoryOf([0x1000n, 'ff ff c3']), 0x1000n, { bitness: 64, symbolize: noSymbols, count: 3 });
    expect(lines.map((l) => formatDisasmLine(l, 8))).toEqual([
      '00000000`00001000 ff              ???',
      '00000000`00001001 ffc3            inc     ebx',
      '00000000`00001003 ??              ???',
    ]);
    expect(lines[0]!.readable).toBe(true);
    expect(lines[0]!.length).toBe(1);
  });

  it('decodes across chunk boundaries of long listings without losing bytes', () => {
    // 100,000 bytes of `add rax,12345678h` (6 bytes) crosses several 64 KiB reads.
    const insn = '480578563412';
    const memory = memoryOf([0x10000n, insn.repeat(100000 / 6 + 1)]);
    const lines = disassemble(memory, 0x10000n, { bitness: 64, symbolize: noSymbols, count: 16000 });
    expect(lines).toHaveLength(16000);
    expect(lines.every((l, i) => l.address === 0x10000n + BigInt(i * 6) && l.text === 'add     rax,12345678h')).toBe(true);
  });
});
