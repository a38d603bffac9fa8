/**
 * The x86 stack walker: frame 0 from the register context, then for each frame the first
 * strategy (default: EBP chain, then stack scan) whose caller makes progress up the stack.
 */
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import { readUnsigned } from '../../memory/virtual-memory.js';
import { RegisterContext } from '../../target/registers.js';
import { breakpadCfiStrategy } from './breakpad-cfi.js';
import type { BreakpadLookup } from './breakpad-lookup.js';
import { breakpadStackWinStrategy } from './breakpad-stack-win.js';
import { framePointerStrategy } from './frame-pointer.js';
import { stackScanStrategy } from './stack-scan.js';
import type { CallerProposal, X86CallerStrategy, X86Frame, X86WalkEnv, X86WalkResult } from './x86-frame.js';

/** Options of walkX86. */
export interface WalkX86Options {
  /** Most frames to return (default 256). */
  readonly maxFrames?: number;
  /** Dwords a stack scan examines per frame (default 128). */
  readonly maxScanWords?: number;
  /** Caller strategies in priority order (default: frame pointer, then scan). */
  readonly strategies?: readonly X86CallerStrategy[];
}

/** The default strategy order; Breakpad STACK WIN / CFI strategies go in front when .sym files are known. */
export const DEFAULT_X86_STRATEGIES: readonly X86CallerStrategy[] = [framePointerStrategy, stackScanStrategy];

/** Breakpad STACK WIN, then STACK CFI (both from the .sym files `lookup` finds), then the defaults. */
export function breakpadX86Strategies(lookup: BreakpadLookup): readonly X86CallerStrategy[] {
  return [breakpadStackWinStrategy(lookup), breakpadCfiStrategy(lookup), ...DEFAULT_X86_STRATEGIES];
}

function frameContext(callee: RegisterContext, p: CallerProposal): RegisterContext {
  const values: Record<string, bigint> = Object.fromEntries(callee.entries());
  Object.assign(values, p.registers ?? {});
  values['eip'] = p.instructionPointer;
  values['esp'] = p.stackPointer;
  values['ebp'] = p.framePointer;
  return new RegisterContext('x86', values, 'frame');
}

/** Walks an x86 stack from `context`. */
export function walkX86(
  context: RegisterContext,
  memory: VirtualMemory,
  isInModule: (a: bigint) => boolean,
  options: WalkX86Options = {},
): X86WalkResult {
  if (context.arch !== 'x86') return { frames: [], stopReason: `not an x86 register context (${context.arch})` };
  const maxFrames = Math.max(1, options.maxFrames ?? 256);
  const strategies = options.strategies ?? DEFAULT_X86_STRATEGIES;
  const env: X86WalkEnv = {
    memory,
    isInModule,
    read32: (a) => (a >= 0n && a <= 0xfffffffcn ? readUnsigned(memory, a, 4) : undefined),
    maxScanWords: options.maxScanWords ?? 128,
  };
  const frames: X86Frame[] = [];
  let current: X86Frame = {
    index: 0,
    instructionPointer: context.ip,
    stackPointer: context.sp,
    framePointer: context.fp,
    returnAddress: 0n,
    context,
    trust: 'context',
  };
  let stopReason: string | undefined;
  for (;;) {
    if (frames.length + 1 >= maxFrames) {
      frames.push(current);
      stopReason = `frame limit (${maxFrames}) reached`;
      break;
    }
    let caller: CallerProposal | undefined;
    let ended: string | undefined;
    for (const strategy of strategies) {
      const r = strategy.findCaller(current, env);
      if (!r) continue;
      if ('end' in r) {
        ended = r.end;
        break;
      }
      // Progress check: a caller's stack pointer is strictly above its callee's.
      if (r.stackPointer <= current.stackPointer) continue;
      caller = r;
      break;
    }
    if (!caller) {
      frames.push(current);
      stopReason = ended ?? 'no caller found (frame-pointer chain and stack scan both failed)';
      break;
    }
    frames.push({ ...current, returnAddress: caller.instructionPointer });
    current = {
      index: current.index + 1,
      instructionPointer: caller.instructionPointer,
      stackPointer: caller.stackPointer,
      framePointer: caller.framePointer,
      returnAddress: 0n,
      context: frameContext(current.context, caller),
      trust: caller.trust,
      calleeInstructionPointer: current.instructionPointer,
    };
  }
  return stopReason !== undefined ? { frames, stopReason } : { frames };
}
