import { describe, expect, it } from 'vitest';
import { BlockMemory } from '../../../src/memory/virtual-memory.js';
import { walkStack } from '../../../src/unwind/walk-stack.js';
import { createPeUnwindProvider } from '../../../src/unwind/pe-unwind-provider.js';
import type { UnwindDataProvider } from '../../../src/unwind/types.js';
import { PeBuilder } from '../../builders/pe-builder.js';
import { BASE, R, STACK, StackImage, ctx, summary, target, walk } from './helpers.js';

const SP = STACK + 0x1000n;

/** An image whose .text has no .pdata at all except what `setup` adds. */
function image(setup?: (b: PeBuilder) => void) {
  const b = new PeBuilder({ imageBase: BASE });
  setup?.(b);
  return b.build();
}

describe('leaf functions and walk termination', () => {
  it('no RUNTIME_FUNCTION: the return address is at [rsp] (trust leaf)', () => {
    const built = image((b) => b.func(0x2000, 0x2100, { prologSize: 4, codes: [{ at: 4, op: 'ALLOC_SMALL', size: 0x18 }] }));
    const stack = new StackImage().set(SP, BASE + 0x2040n).set(SP + 0x20n, BASE + 0x3000n);
    const r = walk(built, stack, { rip: BASE + 0x1500n, rsp: SP });
    expect(summary(r)).toEqual([
      [BASE + 0x1500n, SP, BASE + 0x2040n, 'context'],
      [BASE + 0x2040n, SP + 8n, BASE + 0x3000n, 'leaf'],
      [BASE + 0x3000n, SP + 0x28n, 0n, 'unwind'],
    ]);
    expect(r.stopReason).toBeUndefined();
  });

  it('an unreadable return address gives RetAddr 0 and stops with a reason', () => {
    const r = walk(image(), new StackImage(), { rip: BASE + 0x1500n, rsp: 0xfffff88000000008n });
    expect(summary(r)).toEqual([[BASE + 0x1500n, 0xfffff88000000008n, 0n, 'context']]);
    expect(r.stopReason).toBe('return address unreadable at fffff880`00000008');
  });

  it('a zeroed context yields one frame at 0 (seed processor 2)', () => {
    const r = walk(image(), new StackImage(), {});
    expect(summary(r)).toEqual([[0n, 0n, 0n, 'context']]);
  });

  it('a stack that loops through a machine frame stops with a reason', () => {
    const built = image((b) => b.func(0x1000, 0x1100, { prologSize: 0, codes: [{ at: 0, op: 'PUSH_MACHFRAME', errorCode: false }] }));
    // The saved machine frame points back at the same rip and rsp.
    const stack = new StackImage().set(SP, BASE + 0x1010n).set(SP + 0x18n, SP);
    const r = walk(built, stack, { rip: BASE + 0x1010n, rsp: SP });
    expect(r.frames).toHaveLength(1);
    expect(r.stopReason).toMatch(/loops back to an earlier frame/);
  });

  it('a frame pointer below rsp is refused: the stack pointer must increase', () => {
    const built = image((b) => b.func(0x1000, 0x1100, { prologSize: 8, frameRegister: R.rbp, frameOffset: 0, codes: [{ at: 8, op: 'SET_FPREG' }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbp }] }));
    const stack = new StackImage().set(SP - 0x100n, 0n).set(SP - 0xf8n, BASE + 0x5000n);
    const r = walk(built, stack, { rip: BASE + 0x1050n, rsp: SP, rbp: SP - 0x100n });
    expect(r.frames).toHaveLength(1);
    expect(r.frames[0]!.returnAddress).toBe(BASE + 0x5000n);
    expect(r.stopReason).toBe('stack pointer did not increase (fffff880`00101000 -> fffff880`00100f10)');
  });

  it('maxFrames caps the walk with stopReason "frame limit" (default 256)', () => {
    const stack = new StackImage();
    for (let i = 0n; i < 400n; i++) stack.set(SP + 8n * i, BASE + 0x1500n);
    const five = walk(image(), stack, { rip: BASE + 0x1500n, rsp: SP }, { maxFrames: 5 });
    expect(five.frames).toHaveLength(5);
    expect(five.stopReason).toBe('frame limit');
    expect(five.frames[4]!.returnAddress).toBe(BASE + 0x1500n);
    const all = walk(image(), stack, { rip: BASE + 0x1500n, rsp: SP });
    expect(all.frames).toHaveLength(256);
    expect(all.stopReason).toBe('frame limit');
  });

  it('looks a return address up at rip - 1 (a call that ends its function)', () => {
    const built = image((b) => {
      b.func(0x1000, 0x1040, { prologSize: 4, codes: [{ at: 4, op: 'ALLOC_SMALL', size: 0x28 }] });
      b.func(0x1040, 0x1080, { prologSize: 1, codes: [{ at: 1, op: 'PUSH_NONVOL', reg: R.rbx }] });
    });
    // Frame 0 is a leaf that F called with its last instruction; the return address is F's end.
    const stack = new StackImage().set(SP, BASE + 0x1040n).set(SP + 0x30n, BASE + 0x9000n);
    const r = walk(built, stack, { rip: BASE + 0x1500n, rsp: SP });
    expect(summary(r)[1]).toEqual([BASE + 0x1040n, SP + 8n, BASE + 0x9000n, 'leaf']);
    expect(summary(r)[2]).toEqual([BASE + 0x9000n, SP + 0x38n, 0n, 'unwind']);
  });

  it('a module with malformed unwind data stops the walk with the error', () => {
    const built = image((b) => b.runtimeFunction(0x1000, 0x1100, b.data([7, 0, 0, 0])));
    const r = walk(built, new StackImage().set(SP, BASE + 0x1500n), { rip: BASE + 0x1010n, rsp: SP });
    expect(r.frames).toHaveLength(1);
    expect(r.stopReason).toMatch(/unwind data for fffff800`00001010 is invalid: .*Version 7/);
  });

  it('stack memory missing under a saved register stops the walk', () => {
    const built = image((b) => b.func(0x1000, 0x1100, { prologSize: 8, codes: [{ at: 8, op: 'ALLOC_LARGE', size: 0x40000 }] }));
    const r = walk(built, new StackImage(), { rip: BASE + 0x1050n, rsp: SP });
    expect(r.frames[0]!.returnAddress).toBe(0n);
    expect(r.stopReason).toBe('stack memory unreadable at fffff880`00141000');
  });
});

describe('stack scanning (allowScan)', () => {
  /** A module without .pdata whose code has `call` instructions ending at +0x105 and +0x205. */
  function noPdata() {
    const b = new PeBuilder({ imageBase: BASE });
    b.code(0x1100, [0xe8, 0, 0, 0, 0]);
    b.code(0x1200, [0xe8, 0, 0, 0, 0]);
    return b.build();
  }

  it('finds a return address preceded by a call, skipping garbage and data pointers', () => {
    const stack = new StackImage()
      .set(SP, 0x1234n) // a local
      .set(SP + 8n, BASE + 0x6010n) // pointer into the module's data, not after a call
      .set(SP + 0x18n, BASE + 0x1105n) // the real return address
      .set(SP + 0x20n, BASE + 0x1205n);
    const r = walk(noPdata(), stack, { rip: BASE + 0x1050n, rsp: SP }, { allowScan: true, maxFrames: 3 });
    expect(summary(r)).toEqual([
      [BASE + 0x1050n, SP, BASE + 0x1105n, 'context'],
      [BASE + 0x1105n, SP + 0x20n, BASE + 0x1205n, 'scan'],
      [BASE + 0x1205n, SP + 0x28n, 0n, 'leaf'],
    ]);
  });

  it('marks frames found by scanning as trust scan', () => {
    const stack = new StackImage().set(SP, 0x1234n).set(SP + 0x40n, BASE + 0x1105n);
    const r = walk(noPdata(), stack, { rip: BASE + 0x1050n, rsp: SP }, { allowScan: true, maxFrames: 2 });
    expect(summary(r)[1]).toEqual([BASE + 0x1105n, SP + 0x48n, 0n, 'scan']);
    const plain = walk(noPdata(), stack, { rip: BASE + 0x1050n, rsp: SP }, { maxFrames: 2 });
    expect(summary(plain)[1]).toEqual([0x1234n, SP + 8n, 0n, 'leaf']);
  });

  it('accepts a module address whose code is not readable (minidump without images)', () => {
    const memory = new BlockMemory([new StackImage().set(SP, 0x77n).set(SP + 0x10n, 0x7ff600001234n).block()]);
    const provider: UnwindDataProvider = { findFunction: () => undefined, isInModule: (pc) => pc >= 0x7ff600000000n && pc < 0x7ff600100000n };
    const r = walkStack(ctx({ rip: 0x7ff600000100n, rsp: SP }), memory, provider, { allowScan: true, maxFrames: 2 });
    expect(summary(r)[1]).toEqual([0x7ff600001234n, SP + 0x18n, 0n, 'scan']);
  });

  it('recovers when unwind data is unusable', () => {
    const b = new PeBuilder({ imageBase: BASE });
    b.code(0x1100, [0xe8, 0, 0, 0, 0]);
    b.runtimeFunction(0x1000, 0x1080, b.data([7, 0, 0, 0]));
    const stack = new StackImage().set(SP + 0x30n, BASE + 0x1105n);
    const { memory, provider } = target([{ base: BASE, built: b.build() }], [stack]);
    const r = walkStack(ctx({ rip: BASE + 0x1010n, rsp: SP }), memory, provider, { allowScan: true, maxFrames: 2 });
    expect(summary(r)[1]).toEqual([BASE + 0x1105n, SP + 0x38n, 0n, 'scan']);
  });
});

describe('createPeUnwindProvider', () => {
  it('reads .pdata lazily, once per module, and ignores modules it cannot parse', () => {
    const built = image((b) => b.func(0x1000, 0x1100, { prologSize: 0, codes: [] }));
    let reads = 0;
    const inner = new BlockMemory([{ base: BASE, bytes: built.image }, { base: 0xfffff80010000000n, bytes: new Uint8Array(0x1000) }]);
    const memory = { readPartial: (a: bigint, n: number) => (reads++, inner.readPartial(a, n)) };
    const mods = [{ base: BASE, size: built.sizeOfImage }, { base: 0xfffff80010000000n, size: 0x1000 }];
    const provider = createPeUnwindProvider(memory, () => mods);
    expect(reads).toBe(0);
    expect(provider.findFunction(BASE + 0x1010n)?.entry).toEqual({ moduleBase: BASE, begin: 0x1000, end: 0x1100, unwindInfo: 0x6000 });
    const after = reads;
    expect(provider.findFunction(BASE + 0x10ffn)?.entry.begin).toBe(0x1000);
    expect(reads).toBe(after);
    expect(provider.findFunction(BASE + 0x1100n)).toBeUndefined();
    expect(provider.findFunction(0xfffff80010000010n)).toBeUndefined();
    expect(provider.isInModule(BASE + 0x1010n)).toBe(true);
    // The header page holds no code: the module base itself is not a plausible return address.
    expect(provider.isInModule(BASE)).toBe(false);
    expect(provider.isInModule(0xfffff80010000fffn)).toBe(false);
    expect(provider.isInModule(0xfffff80010001000n)).toBe(false);
  });

  it('uses an image file for pages missing from the dump', () => {
    const built = image((b) => b.func(0x1000, 0x1100, { prologSize: 0, codes: [] }));
    const memory = new BlockMemory([{ base: BASE, bytes: built.image.subarray(0, 0x1000) }]);
    const file = { read: (rva: number, n: number) => built.image.subarray(rva, rva + n) };
    const withFile = createPeUnwindProvider(memory, () => [{ base: BASE, size: built.sizeOfImage }], (base) => (base === BASE ? file : undefined));
    const without = createPeUnwindProvider(memory, () => [{ base: BASE, size: built.sizeOfImage }]);
    expect(withFile.findFunction(BASE + 0x1010n)?.entry.begin).toBe(0x1000);
    expect(without.findFunction(BASE + 0x1010n)).toBeUndefined();
  });
});
