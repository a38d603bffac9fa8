import type { Invocation } from '../repl/command.js';
import { ArgCursor } from '../repl/args.js';
import type { DumpSession } from '../session/dump-session.js';

/**
 * The optional `[Processor]` argument of `!pcr`/`!prcb`: decimal like every processor number in
 * kd (`!pcr 12` is processor twelve), an expression otherwise. Undefined when omitted.
 */
export function parseProcessorArgument(inv: Invocation, session: DumpSession): number | undefined {
  const c = new ArgCursor(inv.text, inv.restOffset, session);
  if (c.atEnd) return undefined;
  const m = /^\d+(?=\s|$)/.exec(c.remaining);
  let n: number;
  if (m) {
    c.pos += m[0].length;
    n = Number(m[0]);
  } else {
    n = Number(BigInt.asUintN(32, c.expression()));
  }
  c.end();
  return n;
}
