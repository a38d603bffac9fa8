/** Banner facts for kernel dumps, worded as windbg-commands.md 3.1 shows them. */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
/** 100 ns intervals between 1601-01-01 and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** Product name WinDbg prints before "Kernel Version" for a build number. */
export function windowsProductName(build: number): string {
  if (build >= 10240) return 'Windows 10';
  if (build >= 9600) return 'Windows 8.1';
  if (build >= 9200) return 'Windows 8';
  if (build >= 7600) return 'Windows 7';
  if (build >= 6000) return 'Windows Vista';
  if (build >= 3790) return 'Windows Server 2003';
  if (build >= 2600) return 'Windows XP';
  return 'Windows';
}

/** Service pack implied by the build when the CSD version is not readable (7601 is SP1 by definition). */
export function impliedServicePack(build: number): number {
  if (build === 7601 || build === 6001) return 1;
  if (build === 6002) return 2;
  return 0;
}

/** Facts the version line is made of. */
export interface VersionFacts {
  readonly build: number;
  readonly processors: number;
  /** DUMP_HEADER64.MajorVersion: 0xF free, 0xC checked. */
  readonly majorVersion: number;
  readonly servicePack: number;
}

/**
 * `Windows 7 Kernel Version 7601 (Service Pack 1) MP (4 procs) Free x64`.
 * UP vs MP: Windows 7 and earlier booted a uniprocessor kernel on one-CPU machines (the CTF
 * sample prints `UP Free x64`); Windows 8 dropped it, so one CPU there still prints `MP (1 procs)`.
 */
export function versionLine(f: VersionFacts): string {
  const sp = f.servicePack > 0 ? ` (Service Pack ${f.servicePack})` : '';
  const mp = f.processors === 1 && f.build < 9200 ? 'UP' : `MP (${f.processors} procs)`;
  const kind = f.majorVersion === 0xc ? 'Checked' : 'Free';
  return `${windowsProductName(f.build)} Kernel Version ${f.build}${sp} ${mp} ${kind} x64`;
}

/** VER_SUITE_* bits in the order WinDbg lists them. Names beyond TerminalServer/SingleUserTS/Personal are UNVERIFIED. */
const SUITES: readonly [number, string][] = [
  [0x0001, 'SmallBusiness'],
  [0x0002, 'Enterprise'],
  [0x0004, 'BackOffice'],
  [0x0008, 'CommunicationServer'],
  [0x0010, 'TerminalServer'],
  [0x0020, 'SmallBusinessRestricted'],
  [0x0040, 'EmbeddedNT'],
  [0x0080, 'DataCenter'],
  [0x0100, 'SingleUserTS'],
  [0x0200, 'Personal'],
  [0x0400, 'Blade'],
  [0x0800, 'EmbeddedRestricted'],
  [0x1000, 'SecurityAppliance'],
  [0x2000, 'StorageServer'],
  [0x4000, 'ComputeServer'],
  [0x8000, 'WHServer'],
];

/** `Product: WinNt, suite: TerminalServer SingleUserTS`, or undefined when the header lacks ProductType. */
export function productLine(productType: number | undefined, suiteMask: number | undefined): string | undefined {
  const product = productType === 1 ? 'WinNt' : productType === 2 ? 'LanManNt' : productType === 3 ? 'ServerNt' : undefined;
  if (!product) return undefined;
  const suites = SUITES.filter(([bit]) => ((suiteMask ?? 0) & bit) !== 0).map(([, name]) => name);
  return `Product: ${product}, suite: ${suites.join(' ')}`;
}

/**
 * `Mon Apr  8 22:17:47.016 2013 (UTC + 2:00)`: local time of the crashed machine. `biasMinutes` is
 * KUSER_SHARED_DATA.TimeZoneBias (UTC - local); undefined means unknown and prints UTC + 0:00.
 */
export function formatDebugSessionTime(filetime: bigint, biasMinutes?: number): string | undefined {
  if (filetime <= FILETIME_UNIX_EPOCH) return undefined;
  const utcMs = Number((filetime - FILETIME_UNIX_EPOCH) / 10000n);
  const offset = -(biasMinutes ?? 0);
  const d = new Date(utcMs + offset * 60000);
  if (Number.isNaN(d.getTime())) return undefined;
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zone = `UTC ${sign} ${Math.floor(abs / 60)}:${two(abs % 60)}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${ms} ${d.getUTCFullYear()} (${zone})`;
}

/** `0 days 1:36:19.860` from 100 ns units. */
export function formatUptime(hundredNs: bigint): string {
  const totalMs = hundredNs / 10000n;
  const days = totalMs / 86400000n;
  let rest = totalMs % 86400000n;
  const h = rest / 3600000n;
  rest %= 3600000n;
  const m = rest / 60000n;
  rest %= 60000n;
  const s = rest / 1000n;
  const ms = rest % 1000n;
  const pad = (v: bigint, n: number): string => v.toString().padStart(n, '0');
  return `${days} days ${h}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

/** The dump-kind line of windbg-commands.md 3.1 for a DumpType (and bitmap signature). */
export function dumpKindLine(dumpType: number, bitmapSignature?: 'SDMP' | 'FDMP'): string {
  if (dumpType === 4) return 'Mini Kernel Dump File: Only registers and stack trace are available';
  if (dumpType === 1) return 'Kernel Complete Dump File: Full address space is available';
  if (dumpType === 2) return 'Kernel Summary Dump File: Only kernel address space is available';
  if (bitmapSignature === 'FDMP') return 'Kernel Bitmap Dump File: Full address space is available';
  return 'Kernel Bitmap Dump File: Kernel address space is available, User address space may not be available.';
}
