/**
 * How cdb words a user-mode dump's stored event: the exception names of its event-filter table
 * (`Access violation - code c0000005`), the event line of the banner and `.lastevent`, and the
 * `.exr` record layout (windbg-commands.md 3.3 and 13; real `.exr` transcripts):
 *   ExceptionAddress: 0040429e (test_app+0x0000429e)
 *      ExceptionCode: c0000005 (Access violation)
 *     ExceptionFlags: 00000000
 *   NumberParameters: 2
 *      Parameter[0]: 00000001
 *      Parameter[1]: 00000045
 *   Attempt to write to address 00000045
 */
import { hex } from '../memory/address.js';
import type { Symbolizer } from '../symbols/symbolizer.js';
import type { Target } from '../target/target.js';
import { MinidumpTarget } from '../target/user/minidump-target.js';

/** Dumps keep no first/second-chance state; cdb says so on every event line. */
export const CHANCE_NOT_AVAILABLE = '(first/second chance not available)';

/**
 * Names of cdb's exception event filters (the `sx` table), classic-era spelling. Codes outside
 * the table are events too: cdb calls them `Unknown exception`.
 */
const EVENT_NAMES: ReadonlyMap<number, string> = new Map([
  [0x80000001, 'Guard page violation'],
  [0x80000002, 'Data misaligned'],
  [0x80000003, 'Break instruction exception'],
  [0x80000004, 'Single step exception'],
  [0x80000007, 'Wake debugger'],
  [0x4000001e, 'WOW64 single step exception'],
  [0x4000001f, 'WOW64 breakpoint'],
  [0x40010005, 'Control-C exception'],
  [0x40010008, 'Control-Break exception'],
  [0x40010009, 'Debugger command exception'],
  [0x40080201, 'Windows Runtime Originate Error'],
  [0x40080202, 'Windows Runtime Transform Error'],
  [0xc0000005, 'Access violation'],
  [0xc0000006, 'In-page I/O error'],
  [0xc0000008, 'Invalid handle'],
  [0xc000001c, 'Invalid system call'],
  [0xc000001d, 'Illegal instruction'],
  [0xc000001e, 'Invalid lock sequence'],
  [0xc0000037, 'Port disconnected'],
  [0xc0000094, 'Integer divide-by-zero'],
  [0xc0000095, 'Integer overflow'],
  [0xc00000fd, 'Stack overflow'],
  [0xc0000409, 'Stack buffer overrun'],
  [0xc0000420, 'Assertion failure'],
  [0xcfffffff, 'Application hang'],
  [0xe0434352, 'CLR exception'],
  [0xe0434f4d, 'CLR exception'],
  [0xe06d7363, 'C++ EH exception'],
]);

/** `__fastfail` codes (winnt.h FAST_FAIL_*), the first parameter of a c0000409 exception. */
const FAST_FAIL = [
  'LEGACY_GS_VIOLATION', 'VTGUARD_CHECK_FAILURE', 'STACK_COOKIE_CHECK_FAILURE', 'CORRUPT_LIST_ENTRY',
  'INCORRECT_STACK', 'INVALID_ARG', 'GS_COOKIE_INIT', 'FATAL_APP_EXIT', 'RANGE_CHECK_FAILURE',
  'UNSAFE_REGISTRY_ACCESS', 'GUARD_ICALL_CHECK_FAILURE', 'GUARD_WRITE_CHECK_FAILURE', 'INVALID_FIBER_SWITCH',
  'INVALID_SET_OF_CONTEXT', 'INVALID_REFERENCE_COUNT', undefined, undefined, undefined, 'INVALID_JUMP_BUFFER',
  'MRDATA_MODIFIED', 'CERTIFICATION_FAILURE', 'INVALID_EXCEPTION_CHAIN', 'CRYPTO_LIBRARY',
  'INVALID_CALL_IN_DLL_CALLOUT', 'INVALID_IMAGE_BASE', 'DLOAD_PROTECTION_FAILURE', 'UNSAFE_EXTENSION_CALL',
  'DEPRECATED_SERVICE_INVOKED', 'INVALID_BUFFER_ACCESS', 'INVALID_BALANCED_TREE', 'INVALID_NEXT_THREAD',
  'GUARD_ICALL_CHECK_SUPPRESSED', 'APCS_DISABLED', 'INVALID_IDLE_STATE', 'MRDATA_PROTECTION_FAILURE',
  'UNEXPECTED_HEAP_EXCEPTION', 'INVALID_LOCK_STATE', 'GUARD_JUMPTABLE', 'INVALID_LONGJUMP_TARGET',
  'INVALID_DISPATCH_CONTEXT', 'INVALID_THREAD', 'INVALID_SYSCALL_NUMBER', 'INVALID_FILE_OPERATION',
  'LPAC_ACCESS_DENIED', 'GUARD_SS_FAILURE', 'LOADER_CONTINUITY_FAILURE', 'GUARD_EXPORT_SUPPRESSION_FAILURE',
  'INVALID_CONTROL_STACK', 'SET_CONTEXT_DENIED', 'INVALID_IAT', 'HEAP_METADATA_CORRUPTION',
] as const;

const ACCESS_VIOLATION = 0xc0000005;
const STACK_BUFFER_OVERRUN = 0xc0000409;
const CPP_EH_EXCEPTION = 0xe06d7363;
/** First parameter of an MSVC C++ throw (EH_MAGIC_NUMBER1). */
const CPP_EH_MAGIC = 0x19930520n;

/** The event-filter name of an exception code (`Access violation`), undefined for unnamed codes. */
export function exceptionName(code: number): string | undefined {
  return EVENT_NAMES.get(code >>> 0);
}

/** `Access violation - code c0000005`, `Unknown exception - code 8898008d`. */
export function eventDescription(code: number): string {
  return `${exceptionName(code) ?? 'Unknown exception'} - code ${hex(BigInt(code >>> 0), 8)}`;
}

/** `f5c.bf4`: process and thread ids in hex, unpadded. */
export function processThreadIds(processId: number | undefined, threadId: number | undefined): string {
  return `${(processId ?? 0).toString(16)}.${(threadId ?? 0).toString(16)}`;
}

/** The target as a minidump, when it is one (other user targets keep no stored exception). */
export function userDumpOf(target: Target): MinidumpTarget | undefined {
  return target instanceof MinidumpTarget ? target : undefined;
}

/**
 * The stored exception as an event: ids `f5c.bf4` and text `Access violation - code c0000005
 * (first/second chance not available)`; undefined when the dump has no Exception stream.
 */
export function storedEvent(t: MinidumpTarget): { readonly ids: string; readonly text: string } | undefined {
  const ex = t.exception;
  if (!ex) return undefined;
  return { ids: processThreadIds(t.processId, ex.threadId), text: `${eventDescription(ex.code)} ${CHANCE_NOT_AVAILABLE}` };
}

/** `.lastevent`: the event line and, when the dump has a time, the `debugger time:` line. */
export function lastEventLines(target: Target): string[] {
  const dump = userDumpOf(target);
  const event = dump ? storedEvent(dump) : undefined;
  const unit = target.units[target.initialUnit];
  const lines = [
    event
      ? `Last event: ${event.ids}: ${event.text}`
      : `Last event: ${processThreadIds(unit?.processId, unit?.threadId)}: no exception is stored in this dump`,
  ];
  const time = target.system.debugSessionTime;
  if (time) lines.push(`  debugger time: ${time}`);
  return lines;
}

/** What `.exr` shows: an EXCEPTION_RECORD from the dump's Exception stream or from memory. */
export interface ExceptionRecordFacts {
  readonly code: number;
  readonly flags: number;
  readonly address: bigint;
  /** NumberParameters as stored (may exceed the 15 slots in a corrupt record). */
  readonly numberParameters: number;
  readonly parameters: readonly bigint[];
}

/** `test_app!CrashFunction+0x0000000e`: `.exr` pads the displacement to the pointer width. */
function exrSymbol(symbols: Symbolizer, address: bigint, pointerSize: 4 | 8): { text?: string; loadMessage?: string } {
  const s = symbols.symbolize(address);
  if (!s) return {};
  const name = s.symbol ? `${s.module.name}!${s.symbol.name}` : s.module.name;
  const text = s.symbol && s.displacement === 0n ? name : `${name}+0x${hex(s.displacement, pointerSize * 2)}`;
  return s.loadMessage === undefined ? { text } : { text, loadMessage: s.loadMessage };
}

/** The explanation lines cdb adds after the parameters for well-known codes. */
function explanation(rec: ExceptionRecordFacts, pointerSize: 4 | 8): string[] {
  const p = rec.parameters;
  const ptr = (v: bigint): string => hex(v, pointerSize * 2);
  const code = rec.code >>> 0;
  if (code === ACCESS_VIOLATION && p.length >= 2) {
    const verb = p[0] === 0n ? 'Attempt to read from address' : p[0] === 1n ? 'Attempt to write to address' : p[0] === 8n ? 'Attempt to execute non-executable address' : undefined;
    return verb ? [`${verb} ${ptr(p[1]!)}`] : [];
  }
  if (code === STACK_BUFFER_OVERRUN && p.length >= 1) {
    const n = Number(p[0]! & 0xffffffffn);
    const name = FAST_FAIL[n];
    return [`Subcode: 0x${n.toString(16)}${name ? ` FAST_FAIL_${name}` : ''}`];
  }
  if (code === CPP_EH_EXCEPTION && p.length >= 3 && p[0] === CPP_EH_MAGIC) {
    return [`  pExceptionObject: ${ptr(p[1]!)}`, `  _s_ThrowInfo    : ${ptr(p[2]!)}`];
  }
  return [];
}

/** The `.exr` lines for a record; symbol-load messages, if any, come first. */
export function exceptionRecordLines(rec: ExceptionRecordFacts, pointerSize: 4 | 8, symbols: Symbolizer): string[] {
  const ptr = (v: bigint): string => hex(v, pointerSize * 2);
  const sym = exrSymbol(symbols, rec.address, pointerSize);
  const name = exceptionName(rec.code);
  const lines: string[] = [];
  if (sym.loadMessage) lines.push(sym.loadMessage);
  lines.push(`ExceptionAddress: ${ptr(rec.address)}${sym.text ? ` (${sym.text})` : ''}`);
  lines.push(`   ExceptionCode: ${hex(BigInt(rec.code >>> 0), 8)}${name ? ` (${name})` : ''}`);
  lines.push(`  ExceptionFlags: ${hex(BigInt(rec.flags >>> 0), 8)}`);
  lines.push(`NumberParameters: ${rec.numberParameters}`);
  rec.parameters.forEach((v, i) => lines.push(`   Parameter[${i}]: ${ptr(v)}`));
  lines.push(...explanation(rec, pointerSize));
  return lines;
}
