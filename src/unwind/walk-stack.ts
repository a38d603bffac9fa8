/**
 * The generic x64 stack walker: frame 0 from the register context, then per frame the
 * function's unwind data (epilog or prolog), the leaf rule without it, and optionally a
 * marked stack scan; progress checks end the walk (formats.md 6.3, 6.6).
 */
import { DebuggerError, MemoryReadError } from '../errors.js';
import { formatPointer } from '../memory/address.js';
import { readUnsigned, type VirtualMemory } from '../memory/virtual-memory.js';
import type { RegisterContext } from '../target/registers.js';
import type { FrameTrust, StackFrame, UnwindDataProvider, WalkResult } from './types.js';
import { contextFromState, RSP, stateFromContext, type X64State } from './x64-state.js';
import { KTRAP_FRAME_RIP, trapFrameBase, unwindWithEntry } from './x64-frame.js';
import { precededByCall, scanForMachineFrame, scanForReturnAddress } from './stack-scan.js';

/** Options of walkStack. */
export interface WalkOptions {
  /** Frames to produce at most (default 256). */
  maxFrames?: number;
  /** Scan the stack for return addresses where unwind data is missing or unusable. */
  allowScan?: boolean;
}

/** Default frame cap, as in rust-minidump. */
export const DEFAULT_MAX_FRAMES = 256;

/** The result of unwinding one frame into its caller. */
interface Step {
  /** The caller's registers, or undefined when the caller could not be found. */
  readonly caller?: X64State;
  /** How the caller was found. */
  readonly trust: FrameTrust;
  /** True when a machine frame supplied the caller's rip and rsp (rsp may then go down). */
  readonly machineFrame: boolean;
  readonly trapFrame?: bigint;
  readonly stopReason?: string;
}

const ptr = (v: bigint): string => formatPointer(v, 8);

/** Walks the x64 stack that `context` describes. Never throws for bad stacks or unwind data. */
export function walkStack(
  context: RegisterContext,
  memory: VirtualMemory,
  provider: UnwindDataProvider,
  options: WalkOptions = {},
): WalkResult {
  const maxFrames = Math.max(1, options.maxFrames ?? DEFAULT_MAX_FRAMES);
  const allowScan = options.allowScan ?? false;
  const frames: StackFrame[] = [];
  const seen = new Set<string>([`${context.ip}:${context.sp}`]);
  let ctx = context;
  let trust: FrameTrust = 'context';
  // Frame 0 and frames reached through a machine frame hold the exact faulting/interrupted rip;
  // the others hold a return address, which may lie just past the end of the calling function.
  let exact = true;
  for (;;) {
    const step = stepFrame(ctx, exact, memory, provider, allowScan);
    const returnAddress = step.caller?.rip ?? 0n;
    const callerSp = step.caller?.gpr[RSP];
    const frame: StackFrame = {
      index: frames.length,
      instructionPointer: ctx.ip,
      stackPointer: ctx.sp,
      returnAddress,
      context: ctx,
      trust,
      ...(callerSp === undefined ? {} : { callerStackPointer: callerSp }),
    };
    frames.push(step.trapFrame !== undefined ? { ...frame, trapFrame: step.trapFrame } : frame);
    if (!step.caller) return step.stopReason ? { frames, stopReason: step.stopReason } : { frames };
    if (returnAddress === 0n) return { frames };
    if (frames.length >= maxFrames) return { frames, stopReason: 'frame limit' };
    const nextSp = step.caller.gpr[RSP]!;
    if (!step.machineFrame && nextSp <= ctx.sp) {
      return { frames, stopReason: `stack pointer did not increase (${ptr(ctx.sp)} -> ${ptr(nextSp)})` };
    }
    const key = `${returnAddress}:${nextSp}`;
    if (seen.has(key)) return { frames, stopReason: `the stack loops back to an earlier frame (${ptr(returnAddress)} at ${ptr(nextSp)})` };
    seen.add(key);
    ctx = contextFromState(ctx, step.caller);
    trust = step.trust;
    exact = step.machineFrame;
  }
}

function stepFrame(ctx: RegisterContext, exact: boolean, memory: VirtualMemory, provider: UnwindDataProvider, allowScan: boolean): Step {
  const pc = ctx.ip;
  try {
    const found = provider.findFunction(exact || pc === 0n ? pc : pc - 1n);
    if (found) {
      const state = stateFromContext(ctx);
      const machine = unwindWithEntry(state, pc, memory, found.entry, found.reader);
      return machine
        ? { caller: state, trust: 'unwind', machineFrame: true, trapFrame: trapFrameBase(machine) }
        : { caller: state, trust: 'unwind', machineFrame: false };
    }
  } catch (e) {
    if (!(e instanceof DebuggerError)) throw e;
    const reason = e instanceof MemoryReadError ? `stack memory unreadable at ${ptr(e.address)}` : `unwind data for ${ptr(pc)} is invalid: ${e.message}`;
    const scanned = allowScan ? scanStep(ctx, ctx.sp, memory, provider) : undefined;
    return scanned ?? { trust: 'unwind', machineFrame: false, stopReason: reason };
  }
  return leafStep(ctx, memory, provider, allowScan);
}

/** No unwind data: the function is a leaf, its return address is at [rsp]. */
function leafStep(ctx: RegisterContext, memory: VirtualMemory, provider: UnwindDataProvider, allowScan: boolean): Step {
  const rsp = ctx.sp;
  const ret = readUnsigned(memory, rsp, 8);
  const plausible = ret !== undefined && provider.isInModule(ret) && precededByCall(memory, ret);
  if (allowScan && !plausible) {
    const scanned = scanStep(ctx, rsp + 8n, memory, provider);
    if (scanned) return scanned;
  }
  if (ret === undefined) return { trust: 'leaf', machineFrame: false, stopReason: `return address unreadable at ${ptr(rsp)}` };
  const state = stateFromContext(ctx);
  state.rip = ret;
  state.gpr[RSP] = rsp + 8n;
  return { caller: state, trust: 'leaf', machineFrame: false };
}

function scanStep(ctx: RegisterContext, from: bigint, memory: VirtualMemory, provider: UnwindDataProvider): Step | undefined {
  // A trap frame on the stack beats a guessed return address: it gives the exact interrupted
  // rip and rsp, and the frames below it are usually stale values of finished calls.
  const machine = scanForMachineFrame(memory, provider, from);
  if (machine) {
    const state = stateFromContext(ctx);
    state.rip = machine.rip;
    state.gpr[RSP] = machine.rsp;
    return { caller: state, trust: 'scan', machineFrame: true, trapFrame: machine.slot - KTRAP_FRAME_RIP };
  }
  const hit = scanForReturnAddress(memory, provider, from);
  if (!hit) return undefined;
  const state = stateFromContext(ctx);
  state.rip = hit.returnAddress;
  state.gpr[RSP] = hit.slot + 8n;
  return { caller: state, trust: 'scan', machineFrame: false };
}
