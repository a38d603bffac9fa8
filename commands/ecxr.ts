import { defineCommand } from '../src/repl/command.js';
import { currentInstructionLines } from '../src/format/current-instruction.js';
import { formatRegisterBlock } from '../src/format/register-block.js';
import { userDumpOf } from '../src/format/user-event.js';
import type { DumpSession } from '../src/session/dump-session.js';
import { err, out, type Line } from '../src/repl/output.js';

/** What cdb prints when a dump has no exception context (no Exception stream, or no CONTEXT in it). */
export const NO_EXCEPTION_CONTEXT = ['Minidump doesn\'t have an exception context', 'Unable to get exception context, HRESULT 0x80004002'];

/**
 * Makes the stored exception's CONTEXT the register context (like `.cxr`, until `~Ns`, `.cxr`
 * or `.thread` resets it) and returns the register block and current instruction; undefined
 * when the dump has none.
 */
export function useExceptionContext(session: DumpSession): string[] | undefined {
  const context = userDumpOf(session.target)?.exception?.context;
  if (!context) return undefined;
  // The record lives in the dump file, not in target memory: there is no address to remember.
  session.setScope({ kind: 'cxr', address: 0n, context });
  const x86 = session.target.arch === 'x86';
  return [...formatRegisterBlock(context, true), ...currentInstructionLines(session, context, x86)];
}

/** `.ecxr` (and its synonym `.excr`): switch to the exception context record. */
export const ecxrCommand = defineCommand({
  name: '.ecxr',
  aliases: ['.excr'],
  summary: 'Use the stored exception\'s context record as the register context',
  usage: '.ecxr',
  requires: ['user-target'],
  parse: () => undefined,
  run: (_a, { session }): Line[] => {
    const lines = useExceptionContext(session);
    return lines ? lines.map(out) : NO_EXCEPTION_CONTEXT.map(err);
  },
  format: (lines) => lines,
});
