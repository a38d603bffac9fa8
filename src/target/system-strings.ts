import { formatDebuggerTime } from '../format/number-formats.js';

/** Product name WinDbg prints for a build number (its own table, by era). */
export function productName(build: number): string {
  if (build >= 10240) return 'Windows 10';
  if (build >= 9600) return 'Windows 8.1';
  if (build >= 9200) return 'Windows 8';
  if (build >= 7600) return 'Windows 7';
  if (build >= 6000) return 'Windows Vista';
  return 'Windows XP';
}

/** `Windows 7 Kernel Version 7601 (Service Pack 1) MP (4 procs) Free x64`. */
export function kernelVersionLine(build: number, servicePack: number, processors: number, arch: 'x64' | 'x86', kernel = true): string {
  const sp = servicePack > 0 ? ` (Service Pack ${servicePack})` : '';
  const mp = processors > 1 ? `MP (${processors} procs)` : 'UP';
  const cpu = arch === 'x64' ? 'x64' : 'x86 compatible';
  return `${productName(build)} ${kernel ? 'Kernel Version' : 'Version'} ${build}${sp} ${mp} Free ${cpu}`;
}

/** `Mon Jun 16 20:13:12.844 2014 (UTC + 1:00)` from a UTC instant and the machine's offset. */
export function sessionTimeText(utcMs: number, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `(UTC ${sign} ${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')})`;
  return `${formatDebuggerTime(utcMs + offsetMinutes * 60000, true)} ${zone}`;
}

/** `0 days 1:36:19.860` (hours not padded). */
export function uptimeText(ms: number): string {
  const days = Math.floor(ms / 86400000);
  let rest = ms - days * 86400000;
  const h = Math.floor(rest / 3600000);
  rest -= h * 3600000;
  const m = Math.floor(rest / 60000);
  rest -= m * 60000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  return `${days} days ${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(milli).padStart(3, '0')}`;
}

/** Dump-kind line of the banner for each kernel dump type (docs/windbg-commands.md 3.1). */
export const KERNEL_DUMP_KIND_LINES = {
  complete: 'Kernel Complete Dump File: Full address space is available',
  kernel: 'Kernel Summary Dump File: Only kernel address space is available',
  'bitmap-kernel': 'Kernel Bitmap Dump File: Kernel address space is available, User address space may not be available.',
  'bitmap-complete': 'Kernel Bitmap Dump File: Full address space is available',
  triage: 'Mini Kernel Dump File: Only registers and stack trace are available',
} as const;
