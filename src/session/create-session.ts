import { createPeUnwindProvider, walkStack } from '../unwind/index.js';
import { walkX86 } from '../unwind/x86/walk-x86.js';
import { ModuleIndex } from '../symbols/module-index.js';
import type { Target } from '../target/target.js';
import { DumpSession } from './dump-session.js';
import type { SessionHost } from './host.js';
import type { StackWalker } from './stack-walker.js';

/**
 * The stack walker for a target: the generic x64 unwinder over the modules' own unwind data,
 * or the x86 frame-pointer chain. Where a module has no unwind data (triage dumps, images not
 * found) the walker scans the stack for return addresses and marks those frames as scanned.
 */
export function stackWalkerFor(target: Target): StackWalker {
  if (target.arch === 'x86') {
    const index = new ModuleIndex(target.modules);
    return (context) => walkX86(context, target.memory, (a) => index.find(a) !== undefined);
  }
  const provider = createPeUnwindProvider(target.memory, () => target.modules);
  return (context) => walkStack(context, target.memory, provider, { allowScan: true });
}

/** A session over an opened target. */
export function createSession(target: Target, host?: SessionHost): DumpSession {
  return new DumpSession(target, stackWalkerFor(target), host);
}
