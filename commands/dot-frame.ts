import { DebuggerError } from '../src/errors.js';
import { defineCommand } from '../src/repl/command.js';
import { spRet, stackRows } from '../src/format/stack-rows.js';
import { formatRegisterBlock } from '../src/format/register-block.js';
import { out, type Line } from '../src/repl/output.js';

interface FrameArgs {
  readonly index?: number;
  readonly registers: boolean;
  readonly setContext: boolean;
}

/** `.frame [/c] [/r] [N]`: select a frame of the current stack (number in the default radix). */
export const frameCommand = defineCommand({
  name: '.frame',
  summary: 'Show or select the local context frame (/r registers, /c make it the register context)',
  usage: '.frame [/c] [/r] [FrameNumber]',
  parse(inv, { session }): FrameArgs {
    let t = inv.rest.trim();
    let registers = false;
    let setContext = false;
    for (let m = /^\/([cr])\s*/i.exec(t); m; m = /^\/([cr])\s*/i.exec(t)) {
      if (m[1]!.toLowerCase() === 'r') registers = true;
      else setContext = true;
      t = t.slice(m[0].length);
    }
    if (t === '') return { registers, setContext };
    const n = Number.parseInt(t, session.radix);
    if (Number.isNaN(n) || !/^[0-9a-fA-F]+$/.test(t)) throw new DebuggerError('syntax', `Syntax error in '${inv.text}'`);
    return { index: n, registers, setContext };
  },
  run(a, { session }): Line[] {
    const frames = session.stack().frames;
    const index = a.index ?? session.frameIndex;
    const frame = frames[index];
    if (!frame) return [out(`Frame ${index.toString(16)} is out of range (the stack has ${frames.length.toString(16)} frames)`)];
    const rows = stackRows(session, frames.slice(0, index + 2));
    const row = rows[index]!;
    const lines = [out(`${index.toString(16).padStart(2, '0')} ${spRet(row, session.target.pointerSize)} ${row.callSite}`)];
    if (a.setContext) session.setScope({ kind: 'cxr', address: frame.stackPointer, context: frame.context });
    session.setFrame(a.setContext ? 0 : index);
    if (a.registers || a.setContext) lines.push(...formatRegisterBlock(frame.context, true).map(out));
    return lines;
  },
  format: (lines) => lines,
});
