import { BreakpadSymbols } from '../formats/breakpad/breakpad-symbols.js';
import { createPeUnwindProvider, walkStack } from '../unwind/index.js';
import type { BreakpadLookup } from '../unwind/x86/breakpad-lookup.js';
import { breakpadX86Strategies, DEFAULT_X86_STRATEGIES, walkX86 } from '../unwind/x86/walk-x86.js';
import type { X86WalkResult } from '../unwind/x86/x86-frame.js';
import { ModuleIndex } from '../symbols/module-index.js';
import type { Module, Target } from '../target/target.js';
import { DumpSession } from './dump-session.js';
import type { SessionHost } from './host.js';
import type { StackWalker, WalkResult } from './stack-walker.js';

/** The .sym file (and its module's base) covering a code address, for Breakpad unwind data. */
export type BreakpadFor = BreakpadLookup;

/**
 * A BreakpadFor over modules whose symbols may be Breakpad .sym files (what the symbol-path
 * factory loads for `-y` folders in `name.pdb/ID/name.sym` layout); other modules have none.
 */
export function breakpadForModules(modules: readonly Module[]): BreakpadFor {
  const index = new ModuleIndex(modules);
  return (pc) => {
    const m = index.find(pc);
    const symbols = m?.symbols();
    return m && symbols instanceof BreakpadSymbols ? { sym: symbols.sym, moduleBase: m.base } : undefined;
  };
}

/** x86 frames in the shared model (their trust values are a subset of the shared ones). */
function sharedModel(r: X86WalkResult): WalkResult {
  return r.stopReason === undefined ? { frames: r.frames } : { frames: r.frames, stopReason: r.stopReason };
}

/**
 * The stack walker for a target: the generic x64 unwinder over the modules' own unwind data,
 * or the x86 walker (Breakpad STACK WIN / CFI records when `breakpadFor` finds a .sym for the
 * code, then the frame-pointer chain). Where a module has no unwind data (triage dumps, images
 * not found) the walker scans the stack for return addresses and marks those frames as scanned.
 */
export function stackWalkerFor(target: Target, breakpadFor?: BreakpadFor): StackWalker {
  if (target.arch === 'x86') {
    const index = new ModuleIndex(target.modules);
    const strategies = breakpadFor ? breakpadX86Strategies(breakpadFor) : DEFAULT_X86_STRATEGIES;
    return (context) => sharedModel(walkX86(context, target.memory, (a) => index.find(a) !== undefined, { strategies }));
  }
  const provider = createPeUnwindProvider(target.memory, () => target.modules);
  return (context) => walkStack(context, target.memory, provider, { allowScan: true });
}

/** A session over an opened target; `breakpadFor` supplies .sym files for x86 unwinding. */
export function createSession(target: Target, host?: SessionHost, breakpadFor?: BreakpadFor): DumpSession {
  return new DumpSession(target, stackWalkerFor(target, breakpadFor), host);
}
