/**
 * dbghelp's SYMOPT_* flags as `.symopt` lists them. crashkd acts on SYMOPT_LOAD_ANYTHING (loose
 * PDB matching); the others are kept and displayed so scripts that set them do not fail.
 */

/** SYMOPT_LOAD_ANYTHING: load a PDB even when its GUID/age do not match the image. */
export const SYMOPT_LOAD_ANYTHING = 0x40;

/** What `.symopt` shows in a fresh kd/WinDbg session. */
export const DEFAULT_SYMBOL_OPTIONS = 0x30337;

const NAMES: readonly (readonly [number, string])[] = [
  [0x00000001, 'SYMOPT_CASE_INSENSITIVE'],
  [0x00000002, 'SYMOPT_UNDNAME'],
  [0x00000004, 'SYMOPT_DEFERRED_LOADS'],
  [0x00000008, 'SYMOPT_NO_CPP'],
  [0x00000010, 'SYMOPT_LOAD_LINES'],
  [0x00000020, 'SYMOPT_OMAP_FIND_NEAREST'],
  [0x00000040, 'SYMOPT_LOAD_ANYTHING'],
  [0x00000080, 'SYMOPT_IGNORE_CVREC'],
  [0x00000100, 'SYMOPT_NO_UNQUALIFIED_LOADS'],
  [0x00000200, 'SYMOPT_FAIL_CRITICAL_ERRORS'],
  [0x00000400, 'SYMOPT_EXACT_SYMBOLS'],
  [0x00000800, 'SYMOPT_ALLOW_ABSOLUTE_SYMBOLS'],
  [0x00001000, 'SYMOPT_IGNORE_NT_SYMPATH'],
  [0x00002000, 'SYMOPT_INCLUDE_32BIT_MODULES'],
  [0x00004000, 'SYMOPT_PUBLICS_ONLY'],
  [0x00008000, 'SYMOPT_NO_PUBLICS'],
  [0x00010000, 'SYMOPT_AUTO_PUBLICS'],
  [0x00020000, 'SYMOPT_NO_IMAGE_SEARCH'],
  [0x00040000, 'SYMOPT_SECURE'],
  [0x00080000, 'SYMOPT_NO_PROMPTS'],
  [0x00100000, 'SYMOPT_OVERWRITE'],
  [0x00200000, 'SYMOPT_IGNORE_IMAGEDIR'],
  [0x00400000, 'SYMOPT_FLAT_DIRECTORY'],
  [0x00800000, 'SYMOPT_FAVOR_COMPRESSED'],
  [0x01000000, 'SYMOPT_ALLOW_ZERO_ADDRESS'],
  [0x02000000, 'SYMOPT_DISABLE_SYMSRV_AUTODETECT'],
  [0x04000000, 'SYMOPT_READONLY_CACHE'],
  [0x08000000, 'SYMOPT_SYMPATH_LAST'],
  [0x10000000, 'SYMOPT_DISABLE_FAST_SYMBOLS'],
  [0x20000000, 'SYMOPT_DISABLE_SYMSRV_TIMEOUT'],
  [0x40000000, 'SYMOPT_DISABLE_SRVSTAR_ON_STARTUP'],
  [0x80000000, 'SYMOPT_DEBUG'],
];

/** `.symopt` output: `Symbol options are 0x30337:` then one `  0x00000001 - NAME` line per set bit. */
export function formatSymbolOptions(value: number): string[] {
  const v = value >>> 0;
  const lines = [`Symbol options are 0x${v.toString(16)}:`];
  for (const [bit, name] of NAMES) {
    if ((v & bit) >>> 0 !== 0) lines.push(`  0x${bit.toString(16).padStart(8, '0')} - ${name}`);
  }
  return lines;
}
