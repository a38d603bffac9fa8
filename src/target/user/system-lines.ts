/**
 * The banner / `vertarget` lines of a user-mode dump, built from SystemInfo and MiscInfo
 * (windbg-commands.md 3.1 and 3.3):
 *   Windows 10 Version 16299 MP (4 procs) Free x86 compatible
 *   Product: WinNt, suite: SingleUserTS
 *   16299.15.x86fre.rs3_release.170928-1534
 *   Debug session time: Wed Oct 24 05:51:28.000 2018 (UTC + 2:00)
 *   Process Uptime: 0 days 0:26:16.000
 */
import type { Arch } from '../registers.js';

/** The SystemInfo facts the OS line needs. */
export interface OsFacts {
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly buildNumber: number;
  readonly numberOfProcessors: number;
  readonly csdVersion: string;
  readonly productType: number;
  readonly suiteMask: number;
}

/** Product name WinDbg derives from the version numbers (it ignores server/client for 6.1+). */
export function productName(major: number, minor: number): string {
  const key = `${major}.${minor}`;
  const names: Record<string, string> = {
    '5.0': 'Windows 2000',
    '5.1': 'Windows XP',
    '5.2': 'Windows Server 2003',
    '6.0': 'Windows Server 2008/Windows Vista',
    '6.1': 'Windows 7',
    '6.2': 'Windows 8',
    '6.3': 'Windows 8.1',
  };
  if (major === 10) return 'Windows 10';
  return names[key] ?? `Windows ${key}`;
}

/** `Windows 7 Version 7601 (Service Pack 1) MP (4 procs) Free x64`. */
export function userVersionLine(os: OsFacts, arch: Arch): string {
  const csd = os.csdVersion.trim();
  const procs = os.numberOfProcessors > 1 ? `MP (${os.numberOfProcessors} procs)` : 'UP';
  const cpu = arch === 'x64' ? 'x64' : 'x86 compatible';
  return `${productName(os.majorVersion, os.minorVersion)} Version ${os.buildNumber}${csd ? ` (${csd})` : ''} ${procs} Free ${cpu}`;
}

const SUITES: readonly (readonly [number, string])[] = [
  [0x1, 'SmallBusiness'],
  [0x2, 'Enterprise'],
  [0x4, 'BackOffice'],
  [0x8, 'CommunicationServer'],
  [0x10, 'TerminalServer'],
  [0x20, 'SmallBusinessRestricted'],
  [0x40, 'EmbeddedNT'],
  [0x80, 'DataCenter'],
  [0x100, 'SingleUserTS'],
  [0x200, 'Personal'],
  [0x400, 'Blade'],
  [0x800, 'EmbeddedRestricted'],
  [0x1000, 'SecurityAppliance'],
  [0x2000, 'StorageServer'],
  [0x4000, 'ComputeServer'],
  [0x8000, 'WHServer'],
];

/** `Product: WinNt, suite: TerminalServer SingleUserTS`, or undefined for an unknown product type. */
export function productLine(os: OsFacts): string | undefined {
  const product = ({ 1: 'WinNt', 2: 'LanManNt', 3: 'ServerNt' } as Record<number, string>)[os.productType];
  if (!product) return undefined;
  const suites = SUITES.filter(([bit]) => (os.suiteMask & bit) !== 0).map(([, name]) => name);
  return `Product: ${product}, suite: ${suites.join(' ')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `Wed Oct 24 05:51:28.000 2018 (UTC + 2:00)`: `seconds` is UTC time_t, shown in the zone
 * `offsetMinutes` east of UTC. The day of month is space-padded to two characters.
 */
export function formatSessionTime(seconds: number, offsetMinutes = 0): string {
  const d = new Date((seconds + offsetMinutes * 60) * 1000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.000 ${d.getUTCFullYear()} ` +
    `(UTC ${sign} ${Math.floor(abs / 60)}:${p2(abs % 60)})`
  );
}

/** `0 days 0:26:16.000` for a duration in whole seconds (hours not padded). */
export function formatUptime(seconds: number, millis = 0): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${days} days ${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}.${String(millis).padStart(3, '0')}`;
}

/** Minutes east of UTC from a TIME_ZONE_INFORMATION: -(Bias + StandardBias|DaylightBias). */
export function zoneOffsetMinutes(tz: { timeZoneId: number; bias: number; standardBias: number; daylightBias: number }): number {
  const extra = tz.timeZoneId === 2 ? tz.daylightBias : tz.timeZoneId === 1 ? tz.standardBias : 0;
  return -(tz.bias + extra);
}
