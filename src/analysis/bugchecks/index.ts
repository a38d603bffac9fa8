import { BOOT_CODES } from './boot.js';
import { DEVICE_CODES } from './devices.js';
import { EXCEPTION_CODES } from './exceptions.js';
import { FRAMEWORK_CODES } from './frameworks.js';
import { HARDWARE_CODES } from './hardware.js';
import { INTEGRITY_CODES } from './integrity.js';
import { IRQL_CODES } from './irql.js';
import { MEMORY_MANAGER_CODES } from './memory-manager.js';
import { NAMES_HIGH } from './names-high.js';
import { NAMES_LOW } from './names-low.js';
import { POOL_CODES } from './pool.js';
import { PROCESS_CODES } from './processes.js';
import { PTE_CODES } from './ptes.js';
import { STORAGE_CODES } from './storage.js';
import type { BugCheckEntry } from './types.js';
import { VERIFIER_CODES } from './verifier.js';
import { VIDEO_CODES } from './video.js';
import { WATCHDOG_CODES } from './watchdogs.js';

/** The table shapes, for callers of this module. */
export type { BugCheckEntry, Param, ParamSpec, Subtype, ValueMeaning } from './types.js';

/**
 * The `_M` codes (0x1000007E...) are the same stops raised through a different path; WinDbg and
 * Microsoft's reference give them the parameters of the base code.
 */
const M_VARIANTS: readonly (readonly [number, number, string])[] = [
  [0x1000007e, 0x7e, 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED_M'],
  [0x1000007f, 0x7f, 'UNEXPECTED_KERNEL_MODE_TRAP_M'],
  [0x1000008e, 0x8e, 'KERNEL_MODE_EXCEPTION_NOT_HANDLED_M'],
  [0x100000ea, 0xea, 'THREAD_STUCK_IN_DEVICE_DRIVER_M'],
];

const BASE: readonly BugCheckEntry[] = [
  ...IRQL_CODES,
  ...EXCEPTION_CODES,
  ...MEMORY_MANAGER_CODES,
  ...POOL_CODES,
  ...PTE_CODES,
  ...VERIFIER_CODES,
  ...PROCESS_CODES,
  ...STORAGE_CODES,
  ...DEVICE_CODES,
  ...FRAMEWORK_CODES,
  ...HARDWARE_CODES,
  ...INTEGRITY_CODES,
  ...VIDEO_CODES,
  ...WATCHDOG_CODES,
  ...BOOT_CODES,
];

function withVariants(base: readonly BugCheckEntry[]): BugCheckEntry[] {
  const out = [...base];
  for (const [code, of, name] of M_VARIANTS) {
    const b = base.find((e) => e.code === of);
    if (b) out.push({ ...b, code, name, sameAs: of, text: `Same stop as 0x${of.toString(16).toUpperCase()} (${b.name}), same parameters. ${b.text}` });
  }
  return out.sort((a, b) => a.code - b.code);
}

/** Every bug check whose parameters crashkd describes, sorted by code. */
export const BUGCHECKS: readonly BugCheckEntry[] = withVariants(BASE);

const BY_CODE = new Map(BUGCHECKS.map((e) => [e.code, e]));

function parseNames(...tables: string[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const t of tables) {
    for (const line of t.split('\n')) {
      const m = /^([0-9A-F]+) (\w+)$/.exec(line.trim());
      if (m) names.set(parseInt(m[1]!, 16), m[2]!);
    }
  }
  return names;
}

/** Code -> name for every code Microsoft's reference lists (parameters or not). */
export const BUGCHECK_NAMES: ReadonlyMap<number, string> = parseNames(NAMES_LOW, NAMES_HIGH);

/** Bug-check codes are 32-bit; a wider value (sign-extended on x64) is reduced to its low half. */
function code32(code: number | bigint): number {
  return Number(BigInt(code) & 0xffffffffn);
}

/** The full entry for a code, if its parameters are tabulated. */
export function findBugCheck(code: number | bigint): BugCheckEntry | undefined {
  return BY_CODE.get(code32(code));
}

/** The symbolic name of a code (`CLOCK_WATCHDOG_TIMEOUT`), if Microsoft's reference lists it. */
export function bugCheckName(code: number | bigint): string | undefined {
  const c = code32(code);
  return BY_CODE.get(c)?.name ?? BUGCHECK_NAMES.get(c);
}
