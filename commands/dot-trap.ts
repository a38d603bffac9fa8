import { DebuggerError } from '../src/errors.js';
import { formatPointer } from '../src/memory/address.js';
import { optionalExpression } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { currentInstructionLines } from '../src/format/current-instruction.js';
import { formatRegisterBlock } from '../src/format/register-block.js';
import { decodeKTrapFrame, KTRAP_FRAME_SIZE } from '../src/target/context-records.js';
import { out, type Line } from '../src/repl/output.js';

/** `.trap [Address]`: make a KTRAP_FRAME the register context, or reset it. */
export const trapCommand = defineCommand({
  name: '.trap',
  summary: 'Use a trap frame as the register context (no address: reset)',
  usage: '.trap [Address]',
  requires: ['kernel-target'],
  parse: (inv, { session }) => optionalExpression(inv.text, inv.restOffset, session),
  run(address, { session }): Line[] {
    if (address === undefined) {
      session.setScope(undefined);
      return [out('Resetting default scope')];
    }
    if (session.target.arch !== 'x64') throw new DebuggerError('unsupported', '.trap is only implemented for x64 targets');
    const bytes = session.target.memory.readPartial(address, KTRAP_FRAME_SIZE);
    if (bytes.length < KTRAP_FRAME_SIZE) return [out(`Unable to read trap frame at ${formatPointer(address, 8)}`)];
    const context = decodeKTrapFrame(bytes);
    session.setScope({ kind: 'trap', address, context });
    return [
      out('NOTE: The trap frame does not contain all registers.'),
      out('Some register values may be zeroed or incorrect.'),
      ...formatRegisterBlock(context, false).map(out),
      ...currentInstructionLines(session, context, false).map(out),
    ];
  },
  format: (lines) => lines,
});
