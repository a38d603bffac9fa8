import { describe, expect, it } from 'vitest';
import { disassemble, effectiveAddressAnnotation } from '../../../src/disasm/index.js';
import { RegisterContext } from '../../../src/target/registers.js';
import { memoryOf, noSymbols, SEED_ADDRESS, SEED_BYTES, symbolsOf } from './helpers.js';

function lineAt(memory: ReturnType<typeof memoryOf>, address: bigint, bitness: 32 | 64) {
  return disassemble(memory, address, { bitness, symbolize: noSymbols, count: 1 })[0]!;
}

describe('effectiveAddressAnnotation', () => {
  const kernel = new RegisterContext('x64', { rsp: 0xfffffa60005f1a68n, rcx: 0x7fn, ss: 0x18n, ds: 0x2bn });
  const code = 0xfffff80001ab7350n;
  const stack = memoryOf([code, '48894c2408 488d4c2408 f390'], [0xfffffa60005f1a70n, '7f00000000000000']);

  it('prints the kernel form with the selector (seed `r`)', () => {
    const line = lineAt(stack, code, 64);
    expect(line.text).toBe('mov     qword ptr [rsp+8],rcx');
    expect(effectiveAddressAnnotation(line, kernel, stack, { withSelector: true })).toBe('ss:0018:fffffa60`005f1a70=000000000000007f');
    expect(effectiveAddressAnnotation(line, kernel, stack, { withSelector: false })).toBe('ss:fffffa60`005f1a70=000000000000007f');
  });

  it('prints question marks sized to the operand when unreadable', () => {
    const line = lineAt(stack, code, 64);
    const elsewhere = kernel.with('rsp', 0x1000n)!;
    expect(effectiveAddressAnnotation(line, elsewhere, stack, { withSelector: false })).toBe('ss:00000000`00001008=????????????????');
  });

  it('is empty without a memory access', () => {
    expect(effectiveAddressAnnotation(lineAt(stack, code + 5n, 64), kernel, stack, { withSelector: true })).toBe('');
    expect(effectiveAddressAnnotation(lineAt(stack, code + 10n, 64), kernel, stack, { withSelector: true })).toBe('');
    const seed = memoryOf([SEED_ADDRESS, SEED_BYTES]);
    expect(effectiveAddressAnnotation(lineAt(seed, SEED_ADDRESS, 64), kernel, seed, { withSelector: true })).toBe('');
  });

  it('handles x86 absolute and fs-relative operands', () => {
    const memory = memoryOf([0x0132c6e3n, 'a300000000 64a118000000'], [0x00e1a018n, '00a0e100']);
    const regs = new RegisterContext('x86', { ds: 0x2bn, fs: 0x3bn, eax: 0x33333333n });
    const store = lineAt(memory, 0x0132c6e3n, 32);
    expect(effectiveAddressAnnotation(store, regs, memory, { withSelector: true })).toBe('ds:002b:00000000=????????');
    const teb = lineAt(memory, 0x0132c6e8n, 32);
    expect(teb.text).toBe('mov     eax,dword ptr fs:[00000018h]');
    expect(effectiveAddressAnnotation(teb, regs, memory, { withSelector: true, segmentBases: { fs: 0x00e1a000n } })).toBe(
      'fs:003b:00000018=00e1a000',
    );
  });

  it('shows the symbol of a call through memory in braces', () => {
    const call = 0x7ffa443a1000n;
    // call qword ptr [rip+173Ah] -> 00007ffa`443a2740
    const memory = memoryOf([call, 'ff153a170000'], [0x7ffa443a2740n, '80c0c34afa7f0000']);
    const regs = new RegisterContext('x64', {}, 'thread');
    const line = lineAt(memory, call, 64);
    const symbolize = symbolsOf({ '0x7ffa4ac3c080': 'ucrtbase!_finite' });
    expect(effectiveAddressAnnotation(line, regs, memory, { withSelector: false, symbolize })).toBe(
      'ds:00007ffa`443a2740={ucrtbase!_finite (00007ffa`4ac3c080)}',
    );
    expect(effectiveAddressAnnotation(line, regs, memory, { withSelector: false })).toBe('ds:00007ffa`443a2740=00007ffa4ac3c080');
  });

  it('applies negative displacements and reads sized values', () => {
    // mov al,byte ptr [rbp-8]; mov ax,word ptr [rbp-8]; fxsave [rbp-8] (no annotation)
    const memory = memoryOf([0x1000n, '8a45f8 668b45f8 0fae45f8'], [0x2ff8n, 'fedc']);
    const regs = new RegisterContext('x64', { rbp: 0x3000n, ss: 0x2bn });
    expect(effectiveAddressAnnotation(lineAt(memory, 0x1000n, 64), regs, memory, { withSelector: false })).toBe('ss:00000000`00002ff8=fe');
    expect(effectiveAddressAnnotation(lineAt(memory, 0x1003n, 64), regs, memory, { withSelector: false })).toBe('ss:00000000`00002ff8=dcfe');
    expect(effectiveAddressAnnotation(lineAt(memory, 0x1007n, 64), regs, memory, { withSelector: false })).toBe('');
    const x86 = new RegisterContext('x86', { ebp: 0x3000n, ss: 0x23n });
    expect(effectiveAddressAnnotation(lineAt(memory, 0x1000n, 32), x86, memory, { withSelector: true })).toBe('ss:0023:00002ff8=fe');
  });

  it('indexes with scaled registers and 32-bit addressing', () => {
    // mov eax,dword ptr [rbx+rcx*4+10h]; mov eax,dword ptr [ebx+4] (67h prefix)
    const memory = memoryOf([0x1000n, '8b448b10 678b4304'], [0x2000n, '44332211'], [0x10000004n, 'ddccbbaa']);
    const regs = new RegisterContext('x64', { rbx: 0x1ff0n, rcx: 0n, ds: 0x2bn });
    expect(effectiveAddressAnnotation(lineAt(memory, 0x1000n, 64), regs, memory, { withSelector: false })).toBe('ds:00000000`00002000=11223344');
    const high = regs.with('rbx', 0xffffffff10000000n)!;
    expect(effectiveAddressAnnotation(lineAt(memory, 0x1004n, 64), high, memory, { withSelector: false })).toBe('ds:00000000`10000004=aabbccdd');
  });
});
