import { DebuggerError } from '../src/errors.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { out } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';

/** The depth WinDbg starts with (`Default stack trace depth is 0n256 frames`). */
export const DEFAULT_STACK_DEPTH = 256;

/** Largest depth accepted: the k family's own frame-count limit. */
const MAX_DEPTH = 0xffff;

/** The session's default stack trace depth, as `.kframes` set it (256 until then). */
export function stackTraceDepth(session: DumpSession): number {
  return session.stackTraceDepth;
}

/** Sets the session's default stack trace depth. */
export function setStackTraceDepth(session: DumpSession, frames: number): void {
  session.stackTraceDepth = frames;
}

/**
 * `.kframes [FrameCountDefault]`: show or set the default number of frames the k commands show.
 * The count is a MASM expression in the default radix; the reply is always in decimal (`0n`).
 */
export const kframesCommand = defineCommand({
  name: '.kframes',
  summary: 'Show or set the default stack trace depth',
  usage: '.kframes [FrameCountDefault]',
  parse(inv, { session }): number | undefined {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    if (c.atEnd) return undefined;
    const v = c.expression();
    c.end();
    if (v < 1n || v > BigInt(MAX_DEPTH)) throw new DebuggerError('range', `crashkd: the depth must be 1 to 0n${MAX_DEPTH}`);
    return Number(v);
  },
  run(frames, { session }): number {
    if (frames !== undefined) setStackTraceDepth(session, frames);
    return stackTraceDepth(session);
  },
  format: (frames) => [out(`Default stack trace depth is 0n${frames} frames`)],
  json: (frames) => ({ frames }),
});
