import { DebuggerError } from '../src/errors.js';
import { notAThread, threadContext } from '../src/kernel-objects/thread-context.js';
import { formatPointer } from '../src/memory/address.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { err, out, warn, type Line } from '../src/repl/output.js';

/** Parsed `.thread [/p [/r]] [/P] [Thread]`. */
interface DotThreadArgs {
  /** Undefined or zero: reset to the current processor's thread. */
  readonly address?: bigint;
  /** Live-only options given (`/p`, `/r`, `/P`): accepted, with a note that a dump ignores them. */
  readonly liveOptions: readonly string[];
}

/**
 * `.thread [Address]` (kernel): makes a thread's registers the register context, as `.trap` and
 * `.cxr` do; `k` and `r` then show that thread. A thread running on a processor gets that
 * processor's context; any other thread the one its KSWITCH_FRAME (KTHREAD.KernelStack) gives.
 * No address (or 0) resets to the current processor's thread.
 */
export const dotThreadCommand = defineCommand({
  name: '.thread',
  summary: "Use a thread's saved registers as the register context (no address: reset)",
  usage: '.thread [/p [/r]] [/P] [Thread]',
  requires: ['kernel-target'],
  parse(inv, { session }): DotThreadArgs {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    const liveOptions: string[] = [];
    for (let o = c.option(); o !== undefined; o = c.option()) {
      if (o === 'w') throw new DebuggerError('unsupported', 'crashkd: .thread /w (the WOW64 context) is not supported');
      if (!['p', 'r', 'P'].includes(o)) throw new DebuggerError('usage', `crashkd: .thread has no /${o} option`);
      liveOptions.push(`/${o}`);
    }
    if (c.atEnd) return { liveOptions };
    const address = BigInt.asUintN(64, c.expression());
    c.end();
    return address === 0n ? { liveOptions } : { address, liveOptions };
  },
  run(a, { session }): Line[] {
    const notes = a.liveOptions.length > 0 ? [warn(`crashkd: ${a.liveOptions.join(' ')} only matter when debugging a live machine; ignored`)] : [];
    if (a.address === undefined) {
      session.setScope(undefined);
      const current = session.currentUnit.thread;
      return [...notes, out(current !== undefined ? `Implicit thread is now ${formatPointer(current, 8)}` : 'Resetting default scope')];
    }
    // A processor's current thread is taken on the processor's word; any other address must look like a thread.
    const onProcessor = session.target.units.some((u) => u.thread === a.address);
    const wrong = onProcessor ? undefined : notAThread(session.target, a.address);
    if (wrong) return [...notes, err(`crashkd: ${wrong}`)];
    const r = threadContext(session.target, a.address);
    if (!r.ok) return [...notes, err(`crashkd: ${r.missing}`)];
    session.setScope({ kind: 'thread', address: a.address, context: r.value.context });
    return [...notes, out(`Implicit thread is now ${formatPointer(a.address, 8)}`)];
  },
  format: (lines) => lines,
  json: (_lines, a, session) => ({
    thread: a.address ?? session.currentUnit.thread ?? null,
    scope: session.scope ? { kind: session.scope.kind, address: session.scope.address } : null,
  }),
});
