import { formatPointer, minimalHex } from '../memory/address.js';
import type { Target } from '../target/target.js';

/** The `vertarget` lines (the banner's OS block without `Product:`; user mode adds process uptime). */
export function vertargetLines(t: Target): string[] {
  const s = t.system;
  const lines = [s.versionLine];
  if (t.kind === 'user' && s.productLine) lines.push(s.productLine);
  if (s.buildLine) lines.push(s.buildLine);
  lines.push('Machine Name:');
  if (t.kind === 'kernel' && s.kernelBase !== undefined) {
    lines.push(`Kernel base = 0x${formatPointer(s.kernelBase, t.pointerSize)} PsLoadedModuleList = 0x${formatPointer(s.psLoadedModuleList ?? 0n, t.pointerSize)}`);
  }
  lines.push(`Debug session time: ${s.debugSessionTime ?? 'not available'}`);
  lines.push(`System Uptime: ${s.systemUptime ?? 'not available'}`);
  if (t.kind === 'user') lines.push(`Process Uptime: ${s.processUptime ?? 'not available'}`);
  return lines;
}

/** `BugCheck 101, {31, 0, fffff88003165180, 2}`. */
export function bugCheckSummary(t: Target): string | undefined {
  const b = t.bugCheck;
  if (!b) return undefined;
  return `BugCheck ${minimalHex(b.code).toUpperCase()}, {${b.parameters.map(minimalHex).join(', ')}}`;
}

/** Lines of dots, one per module: 63 on the first line then 64 per line, as kd prints. */
export function loadingDots(count: number): string[] {
  const lines: string[] = [];
  let left = count;
  let width = 63;
  while (left > 0) {
    lines.push('.'.repeat(Math.min(width, left)));
    left -= width;
    width = 64;
  }
  return lines;
}
