import { analysisBox } from '../format/banner.js';
import { bugCheckSummary } from '../format/target-banner.js';
import { minimalHex } from '../memory/address.js';
import { out, warn, type Line } from '../repl/output.js';
import type { Target } from '../target/target.js';
import { probablyCausedBy } from './blame.js';
import { descriptionLines } from './format-description.js';
import type { KernelAnalysis } from './kernel-analysis.js';
import { stackTextLines } from './stack-text.js';

/** Keys printed with one space after the colon (the rest take two). */
const ONE_SPACE = new Set(['MODULE_NAME', 'IRP_ADDRESS', 'DEVICE_OBJECT', 'DRIVER_OBJECT']);

/** `KEY:  value` followed by a blank line (classic layout; MODULE_NAME and the object keys take one space). */
function key(name: string, value: string): Line[] {
  const sep = ONE_SPACE.has(name) ? ' ' : '  ';
  return [out(`${name}:${sep}${value}`), out('')];
}

const hex16 = (v: bigint): string => BigInt.asUintN(64, v).toString(16).padStart(16, '0');

/** 0x9F keys: the subtype (Arg1) and, when the blocked IRP was followed, the objects on the way. */
function powerStateKeys(a: KernelAnalysis, target: Target): Line[] {
  const bc = target.bugCheck;
  if (!bc || bc.code !== 0x9fn) return [];
  const lines = key('DRVPOWERSTATE_SUBCODE', minimalHex(bc.parameters[0]));
  const c = a.blame.irp;
  if (c) lines.push(...key('IRP_ADDRESS', hex16(c.irp)), ...key('DEVICE_OBJECT', hex16(c.deviceObject)), ...key('DRIVER_OBJECT', hex16(c.driverObject)));
  return lines;
}

/** `Followup: MachineOwner`, `---------` and a blank line: the classic analyzer's footer. */
export function footerLines(): Line[] {
  return [out('Followup: MachineOwner'), out('---------'), out('')];
}

/**
 * `!analyze` without -v: the same block kd prints when it opens a crash dump (asterisk box,
 * pointer to -v, `BugCheck ...`, `Probably caused by : ...`, footer), then crashkd's note on
 * how the blame was chosen.
 */
export function kernelShortLines(a: KernelAnalysis, target: Target): Line[] {
  const lines: Line[] = analysisBox('Bugcheck Analysis').map(out);
  lines.push(out(''), out('Use !analyze -v to get detailed debugging information.'), out(''));
  lines.push(out(bugCheckSummary(target) ?? ''), out(''));
  lines.push(out(probablyCausedBy(a.blame)), out(''));
  lines.push(...footerLines());
  lines.push(...a.notes.slice(0, 1).map(warn));
  return lines;
}

/** `!analyze -v` in the classic 6.x layout (windbg-commands.md 11, the 0x101 example). */
export function kernelVerboseLines(a: KernelAnalysis, target: Target): Line[] {
  const size = target.pointerSize;
  const lines: Line[] = analysisBox('Bugcheck Analysis').map(out);
  lines.push(out(''));
  lines.push(...descriptionLines(a.description, size).map(out));
  lines.push(out(''), out('Debugging Details:'), out('------------------'), out(''), out(''));
  lines.push(...powerStateKeys(a, target));
  lines.push(...key('BUGCHECK_STR', a.bugcheckStr));
  lines.push(...key('DEFAULT_BUCKET_ID', a.defaultBucketId));
  if (a.processName !== undefined) lines.push(...key('PROCESS_NAME', a.processName));
  if (a.currentIrql !== undefined) lines.push(...key('CURRENT_IRQL', a.currentIrql.toString(16)));
  lines.push(out('STACK_TEXT:  '));
  lines.push(...stackTextLines(a.stack, size).map(out));
  lines.push(out(''), out(''));
  lines.push(...key('STACK_COMMAND', 'kb'));
  // Blame by the IRP's driver names an image, not code: WinDbg has no SYMBOL_NAME then.
  if (!a.blame.irp) lines.push(...key('SYMBOL_NAME', a.blame.symbol));
  lines.push(...key('FOLLOWUP_NAME', 'MachineOwner'));
  lines.push(...key('MODULE_NAME', a.module?.name ?? 'Unknown_Module'));
  lines.push(...key('IMAGE_NAME', a.blame.image));
  lines.push(...key('DEBUG_FLR_IMAGE_TIMESTAMP', a.module ? minimalHex(BigInt(a.module.timestamp)) : '0'));
  lines.push(...key('FAILURE_BUCKET_ID', a.failureBucketId));
  lines.push(...key('BUCKET_ID', a.failureBucketId));
  lines.push(...footerLines());
  lines.push(...a.notes.map(warn));
  return lines;
}
