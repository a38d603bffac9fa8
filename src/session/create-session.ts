import { createPeUnwindProvider, walkStack } from '../unwind/index.js';
import type { Target } from '../target/target.js';
import { DumpSession } from './dump-session.js';
import type { SessionHost } from './host.js';
import type { StackWalker } from './stack-walker.js';

/** The stack walker for a target: the generic x64 unwinder over the modules' own unwind data. */
export function stackWalkerFor(target: Target): StackWalker {
  const provider = createPeUnwindProvider(target.memory, () => target.modules);
  return (context) => walkStack(context, target.memory, provider);
}

/** A session over an opened target. */
export function createSession(target: Target, host?: SessionHost): DumpSession {
  return new DumpSession(target, stackWalkerFor(target), host);
}
