import { ArgCursor } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { currentInstructionLines } from '../src/format/current-instruction.js';
import { spRet, stackRows } from '../src/format/stack-rows.js';
import { formatRegisterBlock } from '../src/format/register-block.js';
import { err, out, type Line } from '../src/repl/output.js';

interface FrameArgs {
  /** Absolute frame number, or a step from the current frame (`.f+` / `.f-`). */
  readonly index?: bigint;
  readonly step?: -1 | 1;
  readonly registers: boolean;
  readonly setContext: boolean;
}

/**
 * `.frame [/c] [/r] [FrameNumber]`, `.f+`, `.f-`: select a frame of the current stack. The
 * number is a MASM expression in the default radix (`.frame 2`, `.frame 0n20`,
 * `.frame @$frame+1`), matching the hex numbers `kn` prints.
 */
export const frameCommand = defineCommand({
  name: '.frame',
  matches: (word) => word === '.f+' || word === '.f-',
  summary: 'Show or select the local context frame (/r registers, /c make it the register context; .f+ .f- step)',
  usage: '.frame [/c] [/r] [FrameNumber]',
  parse(inv, { session }): FrameArgs {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    if (inv.word === '.f+' || inv.word === '.f-') {
      c.end();
      return { step: inv.word === '.f+' ? 1 : -1, registers: false, setContext: false };
    }
    let registers = false;
    let setContext = false;
    for (let o = c.option(); o !== undefined; o = c.option()) {
      for (const letter of o.toLowerCase()) {
        if (letter === 'r') registers = true;
        else if (letter === 'c') setContext = true;
      }
    }
    if (c.atEnd) return { registers, setContext };
    const index = c.expression();
    c.end();
    return { index, registers, setContext };
  },
  run(a, { session }): Line[] {
    const frames = session.stack().frames;
    const wanted = a.step !== undefined ? BigInt(session.frameIndex + a.step) : (a.index ?? BigInt(session.frameIndex));
    if (wanted < 0n || wanted >= BigInt(frames.length)) {
      // dbgeng's wording; the selected frame stays as it was.
      return [err(`Cannot find frame 0x${BigInt.asUintN(64, wanted).toString(16)}, previous scope unchanged`)];
    }
    const index = Number(wanted);
    const frame = frames[index]!;
    // One frame more than shown: a row's "Args to Child" come from the caller's frame.
    const rows = stackRows(session, frames.slice(0, index + 2));
    const row = rows[index]!;
    const lines = [out(`${index.toString(16).padStart(2, '0')} ${spRet(row, session.target.pointerSize)} ${row.callSite}`)];
    if (a.setContext) session.setScope({ kind: 'cxr', address: frame.stackPointer, context: frame.context });
    session.setFrame(a.setContext ? 0 : index);
    if (a.registers || a.setContext) {
      const kernel = session.target.kind === 'kernel';
      lines.push(...formatRegisterBlock(frame.context, true).map(out));
      lines.push(...currentInstructionLines(session, frame.context, kernel || session.target.arch === 'x86').map(out));
    }
    return lines;
  },
  format: (lines) => lines,
});
