import { describe, expect, it } from 'vitest';
import { PeBuilder } from '../../builders/pe-builder.js';
import { BASE, R, STACK, StackImage, summary, walk } from './helpers.js';

const SP = STACK + 0x1000n;
const USER_RIP = 0x7799161an;
const USER_RSP = 0x2e1f5b8n;

describe('UWOP_PUSH_MACHFRAME', () => {
  it('without error code: rip at [rsp], rsp at [rsp+0x18], trap frame = machine frame - 0x168', () => {
    const b = new PeBuilder({ imageBase: BASE });
    // An entry stub: machine frame (hardware), push rbp, sub rsp 0x160 -> rsp == KTRAP_FRAME base.
    b.func(0x1000, 0x1100, { prologSize: 8, codes: [{ at: 8, op: 'ALLOC_LARGE', size: 0x160 }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbp }, { at: 0, op: 'PUSH_MACHFRAME', errorCode: false }] });
    const tf = SP;
    const stack = new StackImage().set(tf + 0x160n, 0xbb00n).set(tf + 0x168n, USER_RIP).set(tf + 0x170n, 0x33n).set(tf + 0x178n, 0x246n).set(tf + 0x180n, USER_RSP).set(tf + 0x188n, 0x2bn);
    const r = walk(b.build(), stack, { rip: BASE + 0x1050n, rsp: tf, rbp: 1n });
    expect(summary(r)).toEqual([[BASE + 0x1050n, tf, USER_RIP, 'context'], [USER_RIP, USER_RSP, 0n, 'unwind']]);
    expect(r.frames[0]!.trapFrame).toBe(tf);
    expect(r.frames[1]!.trapFrame).toBeUndefined();
    const caller = r.frames[1]!.context;
    expect([caller.get('rbp'), caller.get('cs'), caller.get('efl'), caller.get('ss')]).toEqual([0xbb00n, 0x33n, 0x246n, 0x2bn]);
    // The user stack is not in memory: WinDbg prints a 0 return address there and stops.
    expect(r.stopReason).toBe('return address unreadable at 00000000`02e1f5b8');
  });

  it('with error code: rip at [rsp+8], rsp at [rsp+0x20], trap frame = error code slot - 0x160', () => {
    const b = new PeBuilder({ imageBase: BASE });
    b.func(0x1000, 0x1100, { prologSize: 8, codes: [{ at: 8, op: 'ALLOC_LARGE', size: 0x158 }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbp }, { at: 0, op: 'PUSH_MACHFRAME', errorCode: true }] });
    const tf = SP;
    const stack = new StackImage().set(tf + 0x160n, 0x10n).set(tf + 0x168n, USER_RIP).set(tf + 0x180n, USER_RSP);
    const r = walk(b.build(), stack, { rip: BASE + 0x1050n, rsp: tf });
    expect(summary(r)[1]).toEqual([USER_RIP, USER_RSP, 0n, 'unwind']);
    expect(r.frames[0]!.trapFrame).toBe(tf);
  });

  it('a machine frame rip is exact: the next lookup uses it as is, not rip - 1', () => {
    const b = new PeBuilder({ imageBase: BASE });
    b.func(0x1000, 0x1100, { prologSize: 0, codes: [{ at: 0, op: 'PUSH_MACHFRAME', errorCode: false }] });
    // The interrupted instruction is the first byte of G, right after F: rip - 1 would land in F.
    b.func(0x1100, 0x1200, { prologSize: 1, codes: [{ at: 1, op: 'PUSH_NONVOL', reg: R.rbx }] });
    const inner = SP + 0x800n;
    const stack = new StackImage().set(SP, BASE + 0x1100n).set(SP + 0x18n, inner).set(inner, 0x5151n);
    const r = walk(b.build(), stack, { rip: BASE + 0x1010n, rsp: SP });
    expect(summary(r).slice(0, 2)).toEqual([[BASE + 0x1010n, SP, BASE + 0x1100n, 'context'], [BASE + 0x1100n, inner, 0x5151n, 'unwind']]);
    expect(r.frames[1]!.trapFrame).toBeUndefined();
  });
});

describe('kernel entry stubs as in the seed (formats.md 6.5)', () => {
  /**
   * KiSystemCall64 shape: the CPU-less syscall entry builds a machine frame by hand, reserves
   * the ErrorCode slot, pushes rbp, allocates the rest of the KTRAP_FRAME and points rbp at
   * KTRAP_FRAME+0x80. KiSystemServiceCopyEnd+0x13 sits in the body after `call r10`.
   */
  function ntImage() {
    const b = new PeBuilder({ imageBase: BASE });
    b.func(0x1000, 0x1400, {
      prologSize: 0x20, frameRegister: R.rbp, frameOffset: 8,
      codes: [
        { at: 0x20, op: 'SET_FPREG' },
        { at: 0x18, op: 'ALLOC_LARGE', size: 0x158 },
        { at: 0x11, op: 'PUSH_NONVOL', reg: R.rbp },
        { at: 0x10, op: 'ALLOC_SMALL', size: 8 },
        { at: 0x0f, op: 'PUSH_MACHFRAME', errorCode: false },
      ],
    });
    return b.build();
  }

  it('Child-SP can differ from TrapFrame: the trap frame is found through rbp', () => {
    // Seed, processor 3: Child-SP fffff880`09ff6a70, TrapFrame @ fffff880`09ff6ae0.
    const tf = 0xfffff88009ff6ae0n;
    const childSp = 0xfffff88009ff6a70n;
    const stack = new StackImage(0xfffff88009ff0000n, 0x8000)
      .set(tf + 0x158n, 0x8eb00n)
      .set(tf + 0x168n, 0x751804can)
      .set(tf + 0x180n, 0x8e2e8n);
    const r = walk(ntImage(), stack, { rip: BASE + 0x1313n, rsp: childSp, rbp: tf + 0x80n });
    expect(r.frames[0]).toMatchObject({ stackPointer: childSp, returnAddress: 0x751804can, trapFrame: tf });
    expect(summary(r)[1]).toEqual([0x751804can, 0x8e2e8n, 0n, 'unwind']);
    expect(r.frames[1]!.context.get('rbp')).toBe(0x8eb00n);
  });
});
