import { formatPointer } from '../src/memory/address.js';
import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { currentInstructionLines } from '../src/format/current-instruction.js';
import { formatRegisterBlock } from '../src/format/register-block.js';
import { decodeX64Context, X64_CONTEXT_SIZE } from '../src/target/context-records.js';
import { out, type Line } from '../src/repl/output.js';
import { NO_EXCEPTION_CONTEXT, useExceptionContext } from './ecxr.js';

/** `.cxr [Address]`: make a CONTEXT record the register context, or reset it. */
export const cxrCommand = defineCommand({
  name: '.cxr',
  summary: 'Use a CONTEXT record as the register context (no address: reset)',
  usage: '.cxr [Address]',
  parse(inv, { session }) {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    while (c.option() !== undefined) {
      // `/f Size` and `/w` are accepted and ignored: crashkd reads x64 CONTEXT records only.
    }
    if (c.atEnd) return undefined;
    const address = c.expression();
    c.end();
    return address;
  },
  run(address, { session }): Line[] {
    if (address === undefined) {
      session.setScope(undefined);
      return [out('Resetting default scope')];
    }
    // `.cxr -1` is the context stored in the dump, the same as `.ecxr`.
    if (BigInt.asUintN(64, address) === (1n << 64n) - 1n) {
      const lines = useExceptionContext(session);
      return (lines ?? NO_EXCEPTION_CONTEXT).map((l) => out(l));
    }
    if (session.target.arch !== 'x64') return [out('.cxr is only implemented for x64 targets')];
    const bytes = session.target.memory.readPartial(address, X64_CONTEXT_SIZE);
    if (bytes.length < 0x100) return [out(`Unable to read context at ${formatPointer(address, 8)}`)];
    const full = new Uint8Array(X64_CONTEXT_SIZE);
    full.set(bytes);
    const context = decodeX64Context(full, 'cxr');
    session.setScope({ kind: 'cxr', address, context });
    const kernel = session.target.kind === 'kernel';
    return [...formatRegisterBlock(context, true).map(out), ...currentInstructionLines(session, context, kernel).map(out)];
  },
  format: (lines) => lines,
});
