import type { DumpSession } from '../session/dump-session.js';
import { CRASHKD_VERSION } from '../version.js';
import { blame, probablyCausedBy } from '../analysis/blame.js';
import { currentInstructionLines } from './current-instruction.js';
import { formatRegisterBlock } from './register-block.js';
import { bugCheckSummary, loadingDots, vertargetLines } from './target-banner.js';
import { storedEvent, userDumpOf } from './user-event.js';

const RULE = '*'.repeat(79);
const BLANK_BOX = `*${' '.repeat(77)}*`;

/** The asterisk box WinDbg prints above an analysis (`Bugcheck Analysis`, `Exception Analysis`). */
export function analysisBox(title: string): string[] {
  const left = 24;
  return [RULE, BLANK_BOX, `*${' '.repeat(left)}${title.padEnd(77 - left)}*`, BLANK_BOX, RULE];
}

/**
 * The end of a user-mode banner (windbg-commands.md 3.3): the unloaded-module dots, the stored
 * exception as cdb's event line, then the registers and instruction of the event thread.
 */
export function userEventLines(session: DumpSession): string[] {
  const t = session.target;
  const dump = userDumpOf(t);
  const lines: string[] = [];
  const unloaded = dump?.unloadedModules.length ?? 0;
  if (unloaded > 0) lines.push('Loading unloaded module list', ...loadingDots(unloaded));
  const event = dump ? storedEvent(dump) : undefined;
  if (event) {
    lines.push('This dump file has an exception of interest stored in it.', 'The stored exception information can be accessed via .ecxr.');
    lines.push(`(${event.ids}): ${event.text}`);
  }
  const regs = session.registers();
  lines.push(...formatRegisterBlock(regs, true), ...currentInstructionLines(session, regs, t.arch === 'x86'));
  return lines;
}

/**
 * What kd prints on opening a dump, up to the first prompt (classic 6.x layout,
 * docs/windbg-commands.md 3.1), with crashkd's own name in the first line.
 */
export function openingBanner(session: DumpSession): string[] {
  const t = session.target;
  const lines = [
    `crashkd ${CRASHKD_VERSION} - KD-compatible debugger for Windows crash dumps`,
    '',
    '',
    `Loading Dump File [${t.path}]`,
    t.dumpKindLine,
    '',
  ];
  for (const w of t.warnings) lines.push(w);
  lines.push(`Symbol search path is: ${session.symbolPath || '*** Invalid ***'}`);
  lines.push(`Executable search path is: ${session.imagePath}`);
  const ver = vertargetLines(t);
  lines.push(ver[0]!);
  if (t.system.productLine && t.kind === 'kernel') lines.push(t.system.productLine);
  lines.push(...ver.slice(1));
  if (t.kind === 'kernel') {
    // kd loads the kernel's symbols while opening the dump; any failure is reported here.
    const nt = session.symbols.modules.byName('nt');
    const message = nt ? session.symbols.touch(nt) : undefined;
    lines.push('Loading Kernel Symbols', ...(message ? [message] : []), ...loadingDots(t.modules.length), 'Loading User Symbols');
  } else lines.push(...loadingDots(t.modules.length), ...userEventLines(session));
  const summary = bugCheckSummary(t);
  if (summary) {
    const b = blame(session);
    lines.push(...analysisBox('Bugcheck Analysis'), '', 'Use !analyze -v to get detailed debugging information.', '', summary, '');
    lines.push(probablyCausedBy(b), '', 'Followup: MachineOwner', '---------', '');
  }
  return lines;
}
