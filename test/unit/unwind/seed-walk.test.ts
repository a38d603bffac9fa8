import { describe, expect, it } from 'vitest';
import { walkStack } from '../../../src/unwind/walk-stack.js';
import { PeBuilder } from '../../builders/pe-builder.js';
import { R, StackImage, ctx, summary, target } from './helpers.js';

/**
 * The seed's processor 0 (shared/seed/000_b51cfc5b78a8d5b0.txt, `kv`), rebuilt with made-up
 * unwind data whose frame sizes match the transcript:
 *
 *   Child-SP          RetAddr           Call Site
 *   fffff880`06e53328 fffff800`03b2da4a nt!KeBugCheckEx
 *   fffff880`06e53330 fffff800`03ae06f7 nt! ?? ::FNODOBFM::`string'+0x4e3e
 *   fffff880`06e533c0 fffff800`03a22895 nt!KeUpdateSystemTime+0x377
 *   fffff880`06e534c0 fffff800`03ad3113 hal!HalpHpetClockInterrupt+0x8d
 *   fffff880`06e534f0 fffff800`03aab937 nt!KiInterruptDispatchNoLock+0x163 (TrapFrame @ fffff880`06e534f0)
 *   fffff880`06e53680 fffff800`03de1d4f nt!KeFlushProcessWriteBuffers+0x63
 *   fffff880`06e536f0 fffff800`03de23ad nt!ExpQuerySystemInformation+0x13af
 *   fffff880`06e53aa0 fffff800`03ad5e53 nt!NtQuerySystemInformation+0x4d
 *   fffff880`06e53ae0 00000000`7799161a nt!KiSystemServiceCopyEnd+0x13 (TrapFrame @ fffff880`06e53ae0)
 *   00000000`02e1f5b8 00000000`00000000 0x7799161a
 */
const NT = 0xfffff80003a61000n;
const HAL = 0xfffff80003a18000n;

function ntImage() {
  const b = new PeBuilder({ imageBase: NT, textSize: 0x390000 });
  b.func(0x4a8d4, 0x4a9a0, { prologSize: 4, codes: [{ at: 4, op: 'ALLOC_SMALL', size: 0x68 }] }); // KeFlushProcessWriteBuffers
  b.func(0x70d00, 0x70e00, { prologSize: 0x18, codes: [{ at: 0x18, op: 'ALLOC_LARGE', size: 0x118 }, { at: 5, op: 'PUSH_NONVOL', reg: R.rbx }] }); // KeBugCheckEx
  b.func(0x71fb0, 0x72300, {
    // KiInterruptDispatchNoLock: machine frame with (dummy) error code, push rbp, rest of KTRAP_FRAME, rbp = tf+0x80
    prologSize: 0x1a, frameRegister: R.rbp, frameOffset: 8,
    codes: [{ at: 0x1a, op: 'SET_FPREG' }, { at: 0x12, op: 'ALLOC_LARGE', size: 0x158 }, { at: 3, op: 'PUSH_NONVOL', reg: R.rbp }, { at: 2, op: 'PUSH_MACHFRAME', errorCode: true }],
  });
  b.func(0x74b00, 0x74f00, {
    // KiSystemCall64, which contains KiSystemServiceCopyEnd
    prologSize: 0x20, frameRegister: R.rbp, frameOffset: 8,
    codes: [{ at: 0x20, op: 'SET_FPREG' }, { at: 0x18, op: 'ALLOC_LARGE', size: 0x158 }, { at: 0x11, op: 'PUSH_NONVOL', reg: R.rbp }, { at: 0x10, op: 'ALLOC_SMALL', size: 8 }, { at: 0x0f, op: 'PUSH_MACHFRAME', errorCode: false }],
  });
  const parent = b.func(0x7e000, 0x7e200, { prologSize: 7, codes: [{ at: 7, op: 'ALLOC_LARGE', size: 0x88 }] });
  b.func(0x7f380, 0x7f800, { prologSize: 9, codes: [{ at: 9, op: 'ALLOC_LARGE', size: 0xe8 }, { at: 2, op: 'PUSH_NONVOL', reg: R.rsi }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbx }] }); // KeUpdateSystemTime
  b.func(0xcc9f0, 0xcca80, { prologSize: 0, codes: [], chained: { begin: 0x7e000, end: 0x7e200, unwindData: parent.unwindRva } }); // BBT cold block
  b.func(0x37f9a0, 0x381000, { prologSize: 9, codes: [{ at: 9, op: 'ALLOC_LARGE', size: 0x398 }, { at: 2, op: 'PUSH_NONVOL', reg: R.rbp }, { at: 1, op: 'PUSH_NONVOL', reg: R.rbx }] }); // ExpQuerySystemInformation
  b.func(0x381360, 0x381400, { prologSize: 4, codes: [{ at: 4, op: 'ALLOC_SMALL', size: 0x38 }] }); // NtQuerySystemInformation
  return b.build();
}

function halImage() {
  const b = new PeBuilder({ imageBase: HAL, textSize: 0x10000 });
  b.func(0xa808, 0xa900, { prologSize: 4, codes: [{ at: 4, op: 'ALLOC_SMALL', size: 0x28 }] }); // HalpHpetClockInterrupt
  return b.build();
}

const S = 0xfffff88006e53000n;
const TF4 = 0xfffff88006e534f0n;
const TF8 = 0xfffff88006e53ae0n;

function seedStack(): StackImage {
  return new StackImage(S, 0x1000)
    .set(S + 0x328n, 0xfffff80003b2da4an)
    .set(S + 0x330n, 0x101n).set(S + 0x338n, 0x31n).set(S + 0x348n, 0xfffff88003165180n)
    .set(S + 0x3b8n, 0xfffff80003ae06f7n)
    .set(S + 0x4a8n, 0x5151n).set(S + 0x4b0n, 0xb1b1n).set(S + 0x4b8n, 0xfffff80003a22895n)
    .set(S + 0x4e8n, 0xfffff80003ad3113n)
    // KTRAP_FRAME @ 534f0: Rbp 0, ErrorCode, Rip, Rsp
    .set(TF4 + 0x158n, 0n).set(TF4 + 0x168n, 0xfffff80003aab937n).set(TF4 + 0x170n, 0x10n).set(TF4 + 0x178n, 0x286n).set(TF4 + 0x180n, 0xfffff88006e53680n)
    .set(S + 0x6e8n, 0xfffff80003de1d4fn)
    .set(S + 0xa88n, TF8 + 0x80n).set(S + 0xa90n, 0xb2b2n).set(S + 0xa98n, 0xfffff80003de23adn)
    .set(S + 0xad8n, 0xfffff80003ad5e53n)
    // KTRAP_FRAME @ 53ae0 (system service): Rbp, Rip, Rsp of user mode
    .set(TF8 + 0x158n, 0x2e1f6a0n).set(TF8 + 0x168n, 0x7799161an).set(TF8 + 0x170n, 0x33n).set(TF8 + 0x180n, 0x2e1f5b8n);
}

describe('the seed stack (processor 0) walks as WinDbg printed it', () => {
  it('reproduces Child-SP, RetAddr and the two TrapFrame annotations', () => {
    const { memory, provider } = target([{ base: NT, built: ntImage() }, { base: HAL, built: halImage() }], [seedStack()]);
    // rbp is still KiInterruptDispatchNoLock's frame pointer (tf + 0x80): nothing above it touched rbp.
    const r = walkStack(ctx({ rip: NT + 0x70d00n, rsp: 0xfffff88006e53328n, rbp: TF4 + 0x80n }), memory, provider);
    expect(summary(r).map(([, sp, ret, trust]) => [sp, ret, trust])).toEqual([
      [0xfffff88006e53328n, 0xfffff80003b2da4an, 'context'],
      [0xfffff88006e53330n, 0xfffff80003ae06f7n, 'unwind'],
      [0xfffff88006e533c0n, 0xfffff80003a22895n, 'unwind'],
      [0xfffff88006e534c0n, 0xfffff80003ad3113n, 'unwind'],
      [0xfffff88006e534f0n, 0xfffff80003aab937n, 'unwind'],
      [0xfffff88006e53680n, 0xfffff80003de1d4fn, 'unwind'],
      [0xfffff88006e536f0n, 0xfffff80003de23adn, 'unwind'],
      [0xfffff88006e53aa0n, 0xfffff80003ad5e53n, 'unwind'],
      [0xfffff88006e53ae0n, 0x7799161an, 'unwind'],
      [0x2e1f5b8n, 0n, 'unwind'],
    ]);
    expect(r.frames.map((f) => f.trapFrame)).toEqual([undefined, undefined, undefined, undefined, TF4, undefined, undefined, undefined, TF8, undefined]);
    expect(r.frames[9]!.instructionPointer).toBe(0x7799161an);
    // Registers restored on the way: KTRAP_FRAME.Rbp (0, as `.trap` shows), then the user-mode rbp.
    expect(r.frames[5]!.context.get('rbp')).toBe(0n);
    expect(r.frames[3]!.context.get('rsi')).toBe(0x5151n);
    expect(r.frames[9]!.context.get('rbp')).toBe(0x2e1f6a0n);
    expect(r.frames[5]!.context.get('efl')).toBe(0x286n);
    expect(r.stopReason).toBe('return address unreadable at 00000000`02e1f5b8');
  });
});
