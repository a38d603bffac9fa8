import { describe, expect, it } from 'vitest';
import { BreakpadSymFile } from '../../../src/formats/breakpad/sym-file.js';
import { BlockMemory, type MemoryBlock } from '../../../src/memory/virtual-memory.js';
import { RegisterContext } from '../../../src/target/registers.js';
import { breakpadCfiStrategy } from '../../../src/unwind/x86/breakpad-cfi.js';
import { recordAddress, type BreakpadLookup } from '../../../src/unwind/x86/breakpad-lookup.js';
import { breakpadStackWinStrategy } from '../../../src/unwind/x86/breakpad-stack-win.js';
import { breakpadX86Strategies, walkX86 } from '../../../src/unwind/x86/walk-x86.js';
import type { X86Frame } from '../../../src/unwind/x86/x86-frame.js';

// Module A at 0x400000 (64 KiB). Functions:
//   1000 FRAME_DATA with a program (ebp frame), 8 bytes of parameters
//   2000 FPO without ebp: 4 bytes saved registers, 8 bytes locals
//   3000 FPO that allocates ebp: 8 bytes saved registers (ebp at the lowest slot), 4 bytes locals
//   4000 FRAME_DATA whose program aligns the stack (`@`)
//   5000 CFI rows only
const SYM = [
  'MODULE windows x86 0123456789ABCDEF0123456789ABCDEF1 a.pdb',
  'FUNC 1000 100 8 framed',
  'FUNC 2000 40 0 fpo',
  'STACK WIN 4 1000 100 5 0 8 0 10 0 1 $T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =',
  'STACK WIN 0 2000 40 3 0 0 4 8 0 0 0',
  'STACK WIN 0 3000 40 3 0 0 8 4 0 0 1',
  'STACK WIN 4 4000 40 3 0 0 0 0 0 1 $T1 .raSearch = $T0 $T1 4 - 8 @ = $ebp $T1 4 - ^ = $eip $T1 ^ = $esp $T1 4 + =',
  'STACK CFI INIT 5000 40 .cfa: $esp 4 + .ra: .cfa 4 - ^',
  'STACK CFI 5001 .cfa: $esp 8 + $ebp: .cfa 8 - ^',
  'STACK CFI 5003 .cfa: $ebp 8 +',
  '',
].join('\n');

const A = 0x400000n;
const sym = BreakpadSymFile.fromText(SYM);
const lookup: BreakpadLookup = (pc) => (pc >= A && pc < A + 0x10000n ? { sym, moduleBase: A } : undefined);
const inModule = (a: bigint): boolean => a >= A && a < A + 0x10000n;

/** Dwords at `base`: a stack fragment. */
function words(base: bigint, values: readonly number[]): MemoryBlock {
  const bytes = new Uint8Array(values.length * 4);
  const dv = new DataView(bytes.buffer);
  values.forEach((v, i) => dv.setUint32(i * 4, v >>> 0, true));
  return { base, bytes };
}

const ctx = (eip: bigint, esp: bigint, ebp: bigint, extra: Record<string, bigint> = {}): RegisterContext =>
  new RegisterContext('x86', { eip, esp, ebp, ...extra }, 'thread');

function walk(context: RegisterContext, blocks: MemoryBlock[]) {
  return walkX86(context, new BlockMemory(blocks), inModule, { strategies: breakpadX86Strategies(lookup) });
}

const summary = (f: X86Frame) => [f.instructionPointer, f.stackPointer, f.framePointer, f.trust];

describe('Breakpad STACK WIN strategy', () => {
  it('runs a FRAME_DATA program and marks the caller as call-frame info', () => {
    const r = walk(ctx(0x401010n, 0x20000n, 0x20010n), [words(0x20000n, [0, 0, 0, 0, 0x20040, 0x402010, 0, 0])]);
    expect(summary(r.frames[1]!)).toEqual([0x402010n, 0x20018n, 0x20040n, 'cfi']);
  });

  it('unwinds an FPO frame without ebp from the sizes, keeping ebp', () => {
    // raSearchStart = esp + locals 8 + saved 4 = 0x3000c.
    const r = walk(ctx(0x402005n, 0x30000n, 0xdead0000n), [words(0x30000n, [0x11, 0x22, 0x33, 0x401f50, 0, 0])]);
    expect(summary(r.frames[1]!)).toEqual([0x401f50n, 0x30010n, 0xdead0000n, 'cfi']);
  });

  it('looks up to three dwords higher for a return address when the stack was aligned', () => {
    const r = walk(ctx(0x402005n, 0x30000n, 0xdead0000n), [words(0x30000n, [0x11, 0x22, 0x33, 0x12345, 0x401f50, 0])]);
    expect(summary(r.frames[1]!)).toEqual([0x401f50n, 0x30014n, 0xdead0000n, 'cfi']);
  });

  it('recovers ebp from the saved-register area of an FPO function that allocates one', () => {
    // ebp = [esp + callee params 0 + saved 8 - 8] = [0x40000]; return at esp + 4 + 8.
    const r = walk(ctx(0x403005n, 0x40000n, 0x777n), [words(0x40000n, [0x40100, 0x55, 0x66, 0x401f60, 0]), words(0x40100n, [0, 0])]);
    expect(summary(r.frames[1]!)).toEqual([0x401f60n, 0x40010n, 0x40100n, 'cfi']);
  });

  it("skips the callee's stack parameters when locating the caller's return address", () => {
    // Frame 0: `framed` (8 bytes of parameters) returns into the FPO function at 0x402010; its
    // return address lies past those 8 bytes, its locals (holding a stale code address) and ebx.
    const stack = words(0x50000n, [
      0, 0, 0, 0, // 50000: frame 0's locals
      0x50100, 0x402010, // 50010: saved ebp, return into `fpo`
      0xa1, 0xa2, // 50018: the 8 bytes of parameters `framed` takes
      0x77, 0x401900, // 50020: fpo's locals (a stale code address at 50024)
      0x88, // 50028: fpo's saved register
      0x401800, // 5002c: fpo's return address
      0, 0,
    ]);
    const r = walk(ctx(0x401010n, 0x50000n, 0x50010n), [stack, words(0x50100n, [0, 0])]);
    expect(r.frames.slice(0, 3).map(summary)).toEqual([
      [0x401010n, 0x50000n, 0x50010n, 'context'],
      [0x402010n, 0x50018n, 0x50100n, 'cfi'],
      [0x401800n, 0x50030n, 0x50100n, 'cfi'],
    ]);
  });

  it('starts from ebp + 4 when the program aligns the stack', () => {
    const r = walk(ctx(0x404010n, 0x60000n, 0x60010n), [words(0x60000n, [0x401111, 0x401222, 0, 0, 0x60080, 0x401f70, 0, 0]), words(0x60080n, [0, 0])]);
    expect(summary(r.frames[1]!)).toEqual([0x401f70n, 0x60018n, 0x60080n, 'cfi']);
  });

  it('ends the walk when the program yields eip = ebp = 0', () => {
    const r = walk(ctx(0x401010n, 0x20000n, 0x20010n), [words(0x20000n, [0, 0, 0, 0, 0, 0, 0, 0])]);
    expect(r.frames).toHaveLength(1);
    expect(r.stopReason).toBe('end of stack (the unwind data gives return address 0)');
  });

  it('scans above .raSearchStart when the computed return address is outside every module', () => {
    const r = walk(ctx(0x402005n, 0x30000n, 0x30100n), [
      words(0x30000n, [0x11, 0x22, 0x33, 0x12345, 0x5, 0x6, 0x7, 0x401f50, 0]),
      words(0x30100n, [0, 0]),
    ]);
    expect(summary(r.frames[1]!)).toEqual([0x401f50n, 0x30020n, 0x30100n, 'scan']);
  });

  it('leaves the frame to the other strategies when the program cannot run', () => {
    // ebp points nowhere: the FRAME_DATA program fails, the frame-pointer chain too, the scan wins.
    const r = walk(ctx(0x401010n, 0x20000n, 0x90000n), [words(0x20000n, [0x1, 0x401f80, 0])]);
    expect(summary(r.frames[1]!)).toEqual([0x401f80n, 0x20008n, 0x90000n, 'scan']);
  });

  it('has nothing to say about code without STACK WIN data', () => {
    const s = breakpadStackWinStrategy(lookup);
    const frame: X86Frame = { index: 0, instructionPointer: 0x408000n, stackPointer: 0n, framePointer: 0n, returnAddress: 0n, context: ctx(0n, 0n, 0n), trust: 'context' };
    const env = { memory: new BlockMemory([]), isInModule: inModule, read32: () => undefined, maxScanWords: 8 };
    expect(s.findCaller(frame, env)).toBeUndefined();
    expect(s.findCaller({ ...frame, instructionPointer: 0x7000000n }, env)).toBeUndefined();
  });
});

describe('Breakpad STACK CFI strategy', () => {
  const strategies = [breakpadCfiStrategy(lookup)];
  const cfiWalk = (c: RegisterContext, blocks: MemoryBlock[]) => walkX86(c, new BlockMemory(blocks), inModule, { strategies });

  it('applies the INIT row at the function start', () => {
    const r = cfiWalk(ctx(0x405000n, 0x70000n, 0x1234n), [words(0x70000n, [0x401f90, 0])]);
    expect(summary(r.frames[1]!)).toEqual([0x401f90n, 0x70004n, 0x1234n, 'cfi']);
  });

  it('applies the deltas at or before the address', () => {
    const r = cfiWalk(ctx(0x405002n, 0x70000n, 0x1234n), [words(0x70000n, [0x70040, 0x401f94, 0])]);
    expect(summary(r.frames[1]!)).toEqual([0x401f94n, 0x70008n, 0x70040n, 'cfi']);
    // At 5003 the CFA comes from ebp; the .ra and $ebp rules still come from earlier rows.
    const r2 = cfiWalk(ctx(0x405010n, 0x70000n, 0x70010n), [words(0x70000n, [0, 0, 0, 0, 0x70080, 0x401f98, 0])]);
    expect(summary(r2.frames[1]!)).toEqual([0x401f98n, 0x70018n, 0x70080n, 'cfi']);
  });

  it('ends at return address 0 and gives up when a rule cannot be evaluated', () => {
    const end = cfiWalk(ctx(0x405000n, 0x70000n, 0n), [words(0x70000n, [0, 0])]);
    expect(end.stopReason).toBe('end of stack (the unwind data gives return address 0)');
    const unreadable = cfiWalk(ctx(0x405002n, 0x90000n, 0n), []);
    expect(unreadable.frames).toHaveLength(1);
    expect(unreadable.stopReason).toMatch(/^no caller found/);
  });
});

describe('recordAddress', () => {
  it('uses eip for the context frame and eip - 1 for return addresses', () => {
    const base: X86Frame = { index: 0, instructionPointer: 0x401100n, stackPointer: 0n, framePointer: 0n, returnAddress: 0n, context: ctx(0n, 0n, 0n), trust: 'context' };
    expect(recordAddress(base)).toBe(0x401100n);
    expect(recordAddress({ ...base, index: 1, trust: 'cfi' })).toBe(0x4010ffn);
    // A call that is the last instruction of `framed` (ends at 0x1100) returns past its end.
    expect(sym.stackWinAt(Number(recordAddress({ ...base, index: 1, trust: 'scan' }) - A))?.rva).toBe(0x1000);
  });
});
