import { describe, expect, it } from 'vitest';
import { PeBuilder, type UnwindInfoSpec } from '../../builders/pe-builder.js';
import { BASE, R, STACK, StackImage, summary, walk } from './helpers.js';

const F = BASE + 0x1000n;
const RET = BASE + 0x2050n;
const SP = STACK + 0x1000n;

/** F = 0x1000..0x1080: push rbx; sub rsp,28h; ...; epilog at +0x40: add rsp,28h; pop rbx; ret. */
function v1Image(epilog: number[], spec?: Partial<UnwindInfoSpec>, at = 0x40) {
  const b = new PeBuilder({ imageBase: BASE });
  b.code(0x1000 + at, epilog);
  b.func(0x1000, 0x1080, { prologSize: 5, codes: [{ at: 5, op: 'ALLOC_SMALL', size: 0x28 }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbx }], ...spec });
  b.func(0x2000, 0x2100, { prologSize: 0, codes: [] });
  return b.build();
}

const EPILOG = [0x48, 0x83, 0xc4, 0x28, 0x5b, 0xc3];

describe('version-1 epilog detection at frame 0', () => {
  // Body state: rsp = SP, rbx saved at SP+0x28, return address at SP+0x30.
  const bodyStack = (): StackImage => new StackImage().set(SP + 0x28n, 0xb1n).set(SP + 0x30n, RET);

  it('at `add rsp, 28h` the whole epilog is emulated', () => {
    const r = walk(v1Image(EPILOG), bodyStack(), { rip: F + 0x40n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x38n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbx')).toBe(0xb1n);
  });

  it('at `pop rbx` only the pop and the return remain', () => {
    const r = walk(v1Image(EPILOG), bodyStack(), { rip: F + 0x44n, rsp: SP + 0x28n });
    expect(summary(r)[1]).toEqual([RET, SP + 0x38n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbx')).toBe(0xb1n);
  });

  it('at `ret` the return address is at rsp (the unwind codes would read the wrong slot)', () => {
    const r = walk(v1Image(EPILOG), bodyStack(), { rip: F + 0x45n, rsp: SP + 0x30n, rbx: 0xb1n });
    expect(summary(r)[1]).toEqual([RET, SP + 0x38n, 0n, 'unwind']);
  });

  it('pops r8-r15 through the REX prefix and sign-extends add imm32', () => {
    // add rsp, 100h; pop r12; pop rbx; ret
    const code = [0x48, 0x81, 0xc4, 0x00, 0x01, 0x00, 0x00, 0x41, 0x5c, 0x5b, 0xc3];
    const stack = new StackImage().set(SP + 0x100n, 0xc12n).set(SP + 0x108n, 0xb1n).set(SP + 0x110n, RET);
    const r = walk(v1Image(code), stack, { rip: F + 0x40n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x118n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('r12')).toBe(0xc12n);
  });

  it('`lea rsp, [rbp+disp8]` when rbp is the frame register', () => {
    // lea rsp,[rbp+18h]; pop rbp; ret
    const code = [0x48, 0x8d, 0x65, 0x18, 0x5d, 0xc3];
    const frame = SP + 0x80n;
    const stack = new StackImage().set(frame + 0x18n, 0xfb0n).set(frame + 0x20n, RET);
    const r = walk(v1Image(code, { frameRegister: R.rbp, frameOffset: 1 }), stack, { rip: F + 0x40n, rsp: SP, rbp: frame });
    expect(summary(r)[1]).toEqual([RET, frame + 0x28n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbp')).toBe(0xfb0n);
  });

  it('a `jmp rel32` out of the function is a tail-call epilog', () => {
    // add rsp,28h; pop rbx; jmp 0x3000 (outside F)
    const at = 0x40;
    const rel = 0x3000 - (0x1000 + at + 4 + 1 + 5);
    const code = [0x48, 0x83, 0xc4, 0x28, 0x5b, 0xe9, rel & 0xff, (rel >> 8) & 0xff, 0, 0];
    const r = walk(v1Image(code), bodyStack(), { rip: F + 0x40n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x38n, 0n, 'unwind']);
  });

  it('a `jmp` inside the function is not an epilog: the prolog codes are used', () => {
    // add rsp,28h; pop rbx; jmp F+0x10 -- looks like an epilog but the target is inside F.
    const rel = 0x1010 - (0x1040 + 10);
    const code = [0x48, 0x83, 0xc4, 0x28, 0x5b, 0xe9, rel & 0xff, (rel >> 8) & 0xff, 0xff, 0xff];
    const stack = new StackImage().set(SP + 0x28n, 0xb1n).set(SP + 0x30n, RET);
    const r = walk(v1Image(code), stack, { rip: F + 0x40n, rsp: SP });
    // Prolog unwind from the same state gives the same caller here: check it took that path by
    // placing rip on the `pop rbx`, where the epilog reading would differ.
    expect(summary(r)[1]).toEqual([RET, SP + 0x38n, 0n, 'unwind']);
    const r2 = walk(v1Image(code), new StackImage().set(SP + 0x28n, RET).set(SP + 0x30n, 0x1234n), { rip: F + 0x44n, rsp: SP });
    expect(r2.frames[0]!.returnAddress).toBe(0x1234n);
  });

  it('`jmp [rip+disp32]` and `REX.W jmp r/m` end an epilog too', () => {
    for (const tail of [[0xff, 0x25, 0, 0, 0, 0], [0x48, 0xff, 0xe0]]) {
      const r = walk(v1Image([0x5b, ...tail]), new StackImage().set(SP, 0xb1n).set(SP + 8n, RET), { rip: F + 0x40n, rsp: SP });
      expect(summary(r)[1]).toEqual([RET, SP + 16n, 0n, 'unwind']);
      expect(r.frames[1]!.context.get('rbx')).toBe(0xb1n);
    }
  });
});

describe('version-2 epilog descriptors', () => {
  /** F = 0x1000..0x1040: push rbx; sub rsp,20h; epilog (size 2: pop rbx; ret) at the end and at end-0x10. */
  function v2Image() {
    const b = new PeBuilder({ imageBase: BASE });
    b.code(0x103e, [0x5b, 0xc3]);
    b.code(0x1030, [0x5b, 0xc3]);
    b.func(0x1000, 0x1040, {
      version: 2,
      prologSize: 5,
      codes: [
        { at: 2, op: 'EPILOG', opInfo: 1 },
        { at: 0x10, op: 'EPILOG', opInfo: 0 },
        { at: 5, op: 'ALLOC_SMALL', size: 0x20 },
        { at: 1, op: 'PUSH_NONVOL', reg: R.rbx },
      ],
    });
    b.func(0x2000, 0x2100, { prologSize: 0, codes: [] });
    return b.build();
  }

  it('at the first byte of the epilog at the end the push is undone', () => {
    const r = walk(v2Image(), new StackImage().set(SP, 0xb1n).set(SP + 8n, RET), { rip: F + 0x3en, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 16n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbx')).toBe(0xb1n);
  });

  it('on the ret of an epilog described by offset only the return remains', () => {
    const r = walk(v2Image(), new StackImage().set(SP, RET), { rip: F + 0x31n, rsp: SP, rbx: 5n });
    expect(summary(r)[1]).toEqual([RET, SP + 8n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbx')).toBe(5n);
  });

  it('outside the described epilogs the prolog codes apply', () => {
    const r = walk(v2Image(), new StackImage().set(SP + 0x20n, 0xb1n).set(SP + 0x28n, RET), { rip: F + 0x20n, rsp: SP });
    expect(summary(r)[1]).toEqual([RET, SP + 0x30n, 0n, 'unwind']);
  });
});
