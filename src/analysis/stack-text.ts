import { formatPointer } from '../memory/address.js';
import type { DumpSession } from '../session/dump-session.js';
import { spRet, stackRows, type StackRow } from '../format/stack-rows.js';
import type { RegisterContext } from '../target/registers.js';

/** At most this many frames go into STACK_TEXT (WinDbg's default `kb` depth is far larger; real stacks are short). */
const MAX_FRAMES = 256;

/** The rows of a stack as `kb` would show them, for STACK_TEXT. */
export function analysisStack(session: DumpSession, context: RegisterContext): StackRow[] {
  return stackRows(session, session.stack(context).frames.slice(0, MAX_FRAMES));
}

/** One `kb` row without the header or trap annotations (windbg-commands.md 11, STACK_TEXT). */
export function kbRow(row: StackRow, pointerSize: 4 | 8): string {
  if (pointerSize === 4) {
    const ebp = formatPointer(row.frame.framePointer ?? row.frame.stackPointer, 4);
    const args = row.args.slice(0, 3).map((v) => formatPointer(v, 4)).join(' ');
    return `${ebp} ${formatPointer(row.frame.returnAddress, 4)} ${args} ${row.callSite}`;
  }
  return `${spRet(row, 8)} : ${row.args.map((v) => formatPointer(v, 8)).join(' ')} : ${row.callSite}`;
}

/**
 * STACK_TEXT body: kb rows, with the symbol-load messages and the "Frame IP not in any known
 * module" warning where `kb` prints them.
 */
export function stackTextLines(rows: readonly StackRow[], pointerSize: 4 | 8): string[] {
  const lines: string[] = [];
  let warned = false;
  rows.forEach((row, i) => {
    if (!warned && !row.inModule && i + 1 < rows.length) {
      lines.push('WARNING: Frame IP not in any known module. Following frames may be wrong.');
      warned = true;
    }
    if (row.loadMessage) lines.push(row.loadMessage);
    lines.push(kbRow(row, pointerSize));
  });
  return lines;
}
