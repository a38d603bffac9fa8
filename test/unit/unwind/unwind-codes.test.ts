import { describe, expect, it } from 'vitest';
import { PeBuilder, type UnwindInfoSpec } from '../../builders/pe-builder.js';
import { BASE, R, STACK, StackImage, summary, walk } from './helpers.js';

/** Callee F at rva 0x1000..0x1100 with `spec`; caller G at 0x2000..0x2100 with no unwind codes. */
function image(spec: UnwindInfoSpec) {
  const b = new PeBuilder({ imageBase: BASE });
  b.func(0x1000, 0x1100, spec);
  b.func(0x2000, 0x2100, { prologSize: 0, codes: [] });
  return b.build();
}

const F = BASE + 0x1000n;
const RET = BASE + 0x2050n; // return address into G
const SP = STACK + 0x1000n;

describe('each UWOP undoes its prolog instruction', () => {
  it('PUSH_NONVOL restores the register and pops 8 bytes', () => {
    const stack = new StackImage().set(SP, 0x1111n).set(SP + 8n, 0x2222n).set(SP + 16n, RET);
    const r = walk(image({ prologSize: 2, codes: [{ at: 2, op: 'PUSH_NONVOL', reg: R.r12 }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbx }] }), stack, { rip: F + 0x40n, rsp: SP, rbx: 7n, r12: 8n });
    expect(summary(r)).toEqual([[F + 0x40n, SP, RET, 'context'], [RET, SP + 24n, 0n, 'unwind']]);
    expect(r.frames[1]!.context.get('r12')).toBe(0x1111n);
    expect(r.frames[1]!.context.get('rbx')).toBe(0x2222n);
    expect(r.frames[1]!.context.source).toBe('frame');
    expect(r.stopReason).toBeUndefined();
  });

  it('ALLOC_SMALL adds 8 * (OpInfo + 1)', () => {
    const stack = new StackImage().set(SP + 0x28n, RET);
    const r = walk(image({ prologSize: 4, codes: [{ at: 4, op: 'ALLOC_SMALL', size: 0x28 }] }), stack, { rip: F + 0x10n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x30n, 0n, 'unwind']);
  });

  it('ALLOC_LARGE with a 16-bit scaled size', () => {
    const stack = new StackImage().set(SP + 0x1238n, RET);
    const r = walk(image({ prologSize: 7, codes: [{ at: 7, op: 'ALLOC_LARGE', size: 0x1238 }] }), stack, { rip: F + 0x10n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x1240n, 0n, 'unwind']);
  });

  it('ALLOC_LARGE with a 32-bit unscaled size', () => {
    const stack = new StackImage(STACK, 0x30000).set(SP + 0x12344n, RET);
    const r = walk(image({ prologSize: 7, codes: [{ at: 7, op: 'ALLOC_LARGE', size: 0x12344, far: true }] }), stack, { rip: F + 0x10n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x1234cn, 0n, 'unwind']);
  });

  it('SET_FPREG restores rsp from the frame register minus 16 * FrameOffset', () => {
    // push rbp (1); sub rsp,40h (5); lea rbp,[rsp+20h] (10); then alloca moved rsp far below.
    const body = SP + 0x200n; // rsp right after the prolog
    const stack = new StackImage().set(body + 0x40n, 0xbeefn).set(body + 0x48n, RET);
    const spec: UnwindInfoSpec = { prologSize: 10, frameRegister: R.rbp, frameOffset: 2, codes: [{ at: 10, op: 'SET_FPREG' }, { at: 5, op: 'ALLOC_SMALL', size: 0x40 }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbp }] };
    const r = walk(image(spec), stack, { rip: F + 0x30n, rsp: SP, rbp: body + 0x20n });
    expect(summary(r)[1]).toEqual([RET, body + 0x50n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbp')).toBe(0xbeefn);
  });

  it('SAVE_NONVOL reads the register at frame base + 8 * slot and moves nothing', () => {
    const stack = new StackImage().set(SP + 0x30n, 0x5151n).set(SP + 0x48n, RET);
    const r = walk(image({ prologSize: 9, codes: [{ at: 9, op: 'SAVE_NONVOL', reg: R.rsi, offset: 0x30 }, { at: 4, op: 'ALLOC_SMALL', size: 0x48 }] }), stack, { rip: F + 0x20n, rsp: SP, rsi: 1n });
    expect(summary(r)[1]).toEqual([RET, SP + 0x50n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rsi')).toBe(0x5151n);
  });

  it('SAVE_NONVOL_FAR uses a 32-bit unscaled offset', () => {
    const stack = new StackImage(STACK, 0x30000).set(SP + 0x10008n, 0x7777n).set(SP + 0x20000n, RET);
    const spec: UnwindInfoSpec = { prologSize: 16, codes: [{ at: 16, op: 'SAVE_NONVOL', reg: R.r15, offset: 0x10008, far: true }, { at: 7, op: 'ALLOC_LARGE', size: 0x20000, far: true }] };
    const r = walk(image(spec), stack, { rip: F + 0x20n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x20008n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('r15')).toBe(0x7777n);
  });

  it('SAVE_NONVOL is relative to the frame register when one is established', () => {
    const body = SP + 0x100n;
    const stack = new StackImage().set(body + 0x58n, 0x3333n).set(body + 0x40n, 0x4444n).set(body + 0x48n, RET);
    const spec: UnwindInfoSpec = {
      prologSize: 14, frameRegister: R.rbp, frameOffset: 1,
      codes: [{ at: 14, op: 'SAVE_NONVOL', reg: R.rbx, offset: 0x58 }, { at: 10, op: 'SET_FPREG' }, { at: 5, op: 'ALLOC_SMALL', size: 0x40 }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbp }],
    };
    const r = walk(image(spec), stack, { rip: F + 0x30n, rsp: SP, rbp: body + 0x10n });
    expect(r.frames[1]!.context.get('rbx')).toBe(0x3333n);
    expect(r.frames[1]!.context.get('rbp')).toBe(0x4444n);
    expect(summary(r)[1]).toEqual([RET, body + 0x50n, 0n, 'unwind']);
  });

  it('SAVE_XMM128 and SAVE_XMM128_FAR consume their slots without disturbing later codes', () => {
    const stack = new StackImage().set(SP + 0x40n, 0x6666n).set(SP + 0x58n, RET);
    const spec: UnwindInfoSpec = {
      prologSize: 20,
      codes: [
        { at: 20, op: 'SAVE_XMM128', reg: 7, offset: 0x10000, far: true },
        { at: 14, op: 'SAVE_XMM128', reg: 6, offset: 0x20 },
        { at: 8, op: 'SAVE_NONVOL', reg: R.rbx, offset: 0x40 },
        { at: 4, op: 'ALLOC_SMALL', size: 0x58 },
      ],
    };
    const r = walk(image(spec), stack, { rip: F + 0x30n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x60n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbx')).toBe(0x6666n);
  });
});

describe('partial prologs apply only the codes already executed', () => {
  const spec: UnwindInfoSpec = { prologSize: 6, codes: [{ at: 6, op: 'ALLOC_SMALL', size: 0x20 }, { at: 2, op: 'PUSH_NONVOL', reg: R.rbx }, { at: 1, op: 'PUSH_NONVOL', reg: R.rdi }] };

  it('at the function entry nothing is undone (KeBugCheckEx in the seed)', () => {
    const stack = new StackImage().set(SP, RET);
    const r = walk(image(spec), stack, { rip: F, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 8n, 0n, 'unwind']);
  });

  it('after the first push only that push is undone', () => {
    const stack = new StackImage().set(SP, 0xd1n).set(SP + 8n, RET);
    const r = walk(image(spec), stack, { rip: F + 1n, rsp: SP, rbx: 0x99n });
    expect(summary(r)[1]).toEqual([RET, SP + 16n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rdi')).toBe(0xd1n);
    expect(r.frames[1]!.context.get('rbx')).toBe(0x99n);
  });

  it('inside the allocation instruction both pushes but not the allocation are undone', () => {
    const stack = new StackImage().set(SP, 0xb1n).set(SP + 8n, 0xd1n).set(SP + 16n, RET);
    const r = walk(image(spec), stack, { rip: F + 3n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 24n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbx')).toBe(0xb1n);
  });

  it('in the body everything is undone', () => {
    const stack = new StackImage().set(SP + 0x20n, 0xb1n).set(SP + 0x28n, 0xd1n).set(SP + 0x30n, RET);
    const r = walk(image(spec), stack, { rip: F + 0x50n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x38n, 0n, 'unwind']);
  });
});

describe('chained unwind info', () => {
  function chainedImage() {
    const b = new PeBuilder({ imageBase: BASE });
    const parent = b.func(0x1000, 0x1040, { prologSize: 6, codes: [{ at: 6, op: 'ALLOC_SMALL', size: 0x20 }, { at: 2, op: 'PUSH_NONVOL', reg: R.rbx }] });
    // A cold block far from its parent: its own prolog saves rsi, then the parent's codes apply in full.
    b.func(0x1800, 0x1840, { prologSize: 5, codes: [{ at: 5, op: 'SAVE_NONVOL', reg: R.rsi, offset: 0x38 }], chained: { begin: 0x1000, end: 0x1040, unwindData: parent.unwindRva } });
    b.func(0x2000, 0x2100, { prologSize: 0, codes: [] });
    return b.build();
  }

  it('applies the child codes, then every parent code', () => {
    const stack = new StackImage().set(SP + 0x20n, 0xb1n).set(SP + 0x28n, RET).set(SP + 0x38n, 0x5151n);
    const r = walk(chainedImage(), stack, { rip: BASE + 0x1810n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x30n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbx')).toBe(0xb1n);
    expect(r.frames[1]!.context.get('rsi')).toBe(0x5151n);
  });

  it('applies parent codes even when the child offset is inside its own prolog', () => {
    const stack = new StackImage().set(SP + 0x20n, 0xb1n).set(SP + 0x28n, RET).set(SP + 0x38n, 0x5151n);
    const r = walk(chainedImage(), stack, { rip: BASE + 0x1802n, rsp: SP, rsi: 3n });
    expect(summary(r)[1]).toEqual([RET, SP + 0x30n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rsi')).toBe(3n);
  });

  it('stops with a reason when the chain loops', () => {
    const b = new PeBuilder({ imageBase: BASE });
    const self = b.unwindInfo({ prologSize: 0, codes: [], chained: { begin: 0x1000, end: 0x1040, unwindData: 0x6000 } });
    expect(self).toBe(0x6000);
    b.runtimeFunction(0x1000, 0x1040, self);
    const r = walk(b.build(), new StackImage().set(SP, RET), { rip: BASE + 0x1010n, rsp: SP });
    expect(r.frames).toHaveLength(1);
    expect(r.frames[0]!.returnAddress).toBe(0n);
    expect(r.stopReason).toMatch(/chain longer than 32/);
  });
});
