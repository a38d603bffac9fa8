import type { DumpSession } from '../session/dump-session.js';
import { CRASHKD_VERSION } from '../version.js';
import { blame } from '../analysis/blame.js';
import { bugCheckSummary, loadingDots, vertargetLines } from './target-banner.js';

const RULE = '*'.repeat(79);
const BLANK_BOX = `*${' '.repeat(77)}*`;

/** The asterisk box WinDbg prints above an analysis (`Bugcheck Analysis`, `Exception Analysis`). */
export function analysisBox(title: string): string[] {
  const left = 24;
  return [RULE, BLANK_BOX, `*${' '.repeat(left)}${title.padEnd(77 - left)}*`, BLANK_BOX, RULE];
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
  } else lines.push(...loadingDots(t.modules.length));
  const summary = bugCheckSummary(t);
  if (summary) {
    const b = blame(session);
    lines.push(...analysisBox('Bugcheck Analysis'), '', 'Use !analyze -v to get detailed debugging information.', '', summary, '');
    lines.push(`Probably caused by : ${b.image} ( ${b.symbol} )`, '', 'Followup: MachineOwner', '---------', '');
  }
  return lines;
}
