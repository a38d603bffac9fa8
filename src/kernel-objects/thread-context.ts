import { RegisterContext } from '../target/registers.js';
import type { Target } from '../target/target.js';
import { kernelView, readPointer, readU8, tick, type KernelView } from './kernel-view.js';
import type { Lookup } from './lookup.js';
import { found, missing } from './lookup.js';
import { readThread, THREAD_RUNNING, type ThreadInfo } from './thread.js';

/*
 * A thread that is not running keeps its registers on its own kernel stack: the context switch
 * (SwapContext) builds a KSWITCH_FRAME and stores its address in KTHREAD.KernelStack. x64 layout
 * (ReactOS sdk/include/ndk/amd64/ketypes.h; public copies of the Windows x64 kernel headers agree):
 *   +0x00 P1Home..P4Home  +0x20 P5Home  +0x28 ApcBypass (KIRQL) + 7 fill bytes
 *   +0x30 Rbp             +0x38 Return                                  size 0x40
 * Return is the address SwapContext returns to (in Windows 10: nt!KiSwapContext+0x76), so the
 * thread resumes with rip = Return and rsp = KernelStack + 0x40, as after that `ret`. dbgeng
 * builds the same context: a waiting thread's `!thread` stack starts with KiSwapContext+0x76 at
 * Child-SP = "Current" (KernelStack) + 0x40 (for instance `Stack Init ffff808de0a8f650 Current
 * ffff808de0a8ee20` then `ffff808d`e0a8ee60 ... nt!KiSwapContext+0x76` in a public kd log).
 */

/** DISPATCHER_HEADER.Type of a thread (KOBJECTS ThreadObject), the first byte of every KTHREAD. */
export const THREAD_OBJECT_TYPE = 6;

/**
 * Why `address` is not a thread, judged by its dispatcher header: undefined when the Type byte is
 * ThreadObject or not in the dump (then the ETHREAD read decides).
 */
export function notAThread(target: Target, address: bigint): string | undefined {
  const type = readU8(target.memory, address);
  if (type === undefined || type === THREAD_OBJECT_TYPE) return undefined;
  return `${tick(address)} is not a thread (dispatcher header Type ${type}, a thread's is ${THREAD_OBJECT_TYPE})`;
}

/** KSWITCH_FRAME.Rbp (x64). */
export const KSWITCH_FRAME_RBP = 0x30;
/** KSWITCH_FRAME.Return: where the switched-out thread resumes (x64). */
export const KSWITCH_FRAME_RETURN = 0x38;
/** sizeof(KSWITCH_FRAME) (x64): the thread's rsp once it resumes is KernelStack plus this. */
export const KSWITCH_FRAME_SIZE = 0x40;

/** Builds where the KSWITCH_FRAME layout above is known (Windows 10 2004..22H2 x64). */
const SWITCH_FRAME_BUILDS: readonly (readonly [number, number])[] = [[19041, 19045]];

/** x64 kernel code and stack selectors (KGDT64_R0_CODE, KGDT64_R0_DATA): every kernel thread runs with them. */
const KERNEL_CS = 0x10n;
const KERNEL_SS = 0x18n;

/** True when crashkd knows the KSWITCH_FRAME layout of `build`. */
export function switchFrameSupported(build: number): boolean {
  return SWITCH_FRAME_BUILDS.some(([lo, hi]) => build >= lo && build <= hi);
}

/**
 * The register context a switched-out thread resumes with, from the KSWITCH_FRAME at
 * `kernelStack`: rip = Return, rbp = Rbp, rsp = kernelStack + 0x40; other registers are zero
 * (the nonvolatile ones are further up the stack, where the unwinder finds them).
 */
export function switchFrameContext(view: KernelView, kernelStack: bigint): Lookup<RegisterContext> {
  if (!switchFrameSupported(view.build)) {
    return missing(`crashkd knows the KSWITCH_FRAME layout only for builds 19041-19045, not ${view.build}; the thread's stack starts at KernelStack ${tick(kernelStack)} (dps it)`);
  }
  const rip = readPointer(view.memory, kernelStack + BigInt(KSWITCH_FRAME_RETURN));
  const rbp = readPointer(view.memory, kernelStack + BigInt(KSWITCH_FRAME_RBP));
  if (rip === undefined || rbp === undefined) return missing(`the thread's switch frame at KernelStack ${tick(kernelStack)} is not in this dump`);
  return found(
    new RegisterContext('x64', { rip, rsp: kernelStack + BigInt(KSWITCH_FRAME_SIZE), rbp, cs: KERNEL_CS, ss: KERNEL_SS }, 'thread'),
  );
}

/** A thread's register context and where it came from. */
export interface ThreadContext {
  /** The ETHREAD's fields; absent for a processor's thread the dump does not hold (idle threads of a scenario). */
  readonly thread?: ThreadInfo;
  readonly context: RegisterContext;
  /** The processor the thread runs on, when its context is that processor's. */
  readonly processor?: number;
  /** `processor`: the processor's saved context; `switch-frame`: rebuilt from KTHREAD.KernelStack. */
  readonly from: 'processor' | 'switch-frame';
}

/**
 * The register context of the ETHREAD at `address`: the context of the processor it runs on, or,
 * for a thread on no processor, the one its KSWITCH_FRAME gives. Missing (with the reason) when
 * the target is not x64, the thread is unreadable, or the build's switch frame is unknown.
 */
export function threadContext(target: Target, address: bigint): Lookup<ThreadContext> {
  if (target.arch !== 'x64') return missing('crashkd builds thread contexts for x64 targets only');
  const unit = target.units.find((u) => u.thread === address);
  const view = kernelView(target);
  const t = readThread(view, address);
  // A processor's thread needs nothing from its ETHREAD: the processor's context is the thread's.
  if (unit) return found({ ...(t.ok ? { thread: t.value } : {}), context: unit.context, processor: unit.index, from: 'processor' });
  if (!t.ok) return t;
  if (t.value.state === THREAD_RUNNING) {
    return missing(`THREAD ${tick(address)} is Running but no processor of this dump runs it, so its registers are not saved anywhere`);
  }
  const kernelStack = t.value.kernelStack;
  if (kernelStack === undefined) return missing(`THREAD ${tick(address)}: KernelStack is not in this dump`);
  if (kernelStack === 0n) return missing(`THREAD ${tick(address)} has no saved kernel stack (KernelStack is 0)`);
  const c = switchFrameContext(view, kernelStack);
  if (!c.ok) return c;
  return found({ thread: t.value, context: c.value, from: 'switch-frame' });
}
