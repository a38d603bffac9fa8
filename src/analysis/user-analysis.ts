import { formatPointer, hex, minimalHex } from '../memory/address.js';
import { out, warn, type Line } from '../repl/output.js';
import type { DumpSession } from '../session/dump-session.js';
import type { StackRow } from '../format/stack-rows.js';
import type { Module } from '../target/target.js';
import { analysisBox } from '../format/banner.js';
import { analysisContext, blame, type Blame } from './blame.js';
import { exceptionName } from './exception-codes.js';
import { footerLines } from './kernel-lines.js';
import { analysisStack, stackTextLines } from './stack-text.js';
import { targetException, type TargetException } from './target-exception.js';

/** What `!analyze` reports about a user-mode crash, before formatting. */
export interface UserAnalysis {
  readonly exception?: TargetException;
  readonly blame: Blame;
  readonly module?: Module;
  readonly processName?: string;
  /** `NULL_POINTER_WRITE`, `INVALID_POINTER_READ`...: the access violation's class, if any. */
  readonly problemClass?: string;
  readonly stack: readonly StackRow[];
  readonly notes: readonly string[];
}

/** Addresses below this count as NULL-pointer dereferences (the first 64 KiB is never mapped). */
const NULL_REGION = 0x10000n;

function accessKind(p0: bigint | undefined): 'READ' | 'WRITE' | 'EXECUTE' | undefined {
  if (p0 === 0n) return 'READ';
  if (p0 === 1n) return 'WRITE';
  if (p0 === 8n) return 'EXECUTE';
  return undefined;
}

function problemClassOf(ex: TargetException | undefined): string | undefined {
  if (!ex || ex.code !== 0xc0000005) return undefined;
  const kind = accessKind(ex.parameters[0]);
  const addr = ex.parameters[1];
  if (!kind || addr === undefined) return undefined;
  return `${addr < NULL_REGION ? 'NULL_POINTER' : 'INVALID_POINTER'}_${kind}`;
}

/** The process image: minidumps list the executable first. */
function processNameOf(session: DumpSession): string | undefined {
  const first = session.target.modules[0];
  return first && /\.exe$/i.test(first.imageName) ? first.imageName : undefined;
}

/** Runs the user-mode analysis (exception, faulting stack, blamed module). */
export function analyzeUser(session: DumpSession): UserAnalysis {
  const ex = targetException(session.target);
  const start = analysisContext(session);
  const stack = start ? analysisStack(session, start.context) : [];
  const b = blame(session);
  const module = b.moduleName ? session.symbols.modules.byName(b.moduleName) : undefined;
  const processName = processNameOf(session);
  const problemClass = problemClassOf(ex);
  const notes: string[] = [];
  if (!ex) notes.push('crashkd: this dump holds no exception record; the stack is the current thread\'s');
  else if (!ex.context) notes.push('crashkd: the exception context was not saved; the stack is the faulting thread\'s own');
  notes.push(
    module && b.frameIndex !== undefined
      ? `crashkd: the blamed module is a heuristic: first frame outside ntdll, kernel32 and kernelbase (frame ${b.frameIndex.toString(16).padStart(2, '0')}: ${module.imageName})`
      : 'crashkd: no module blamed: every frame is in ntdll, kernel32 or kernelbase, or the stack is empty',
  );
  return { ...(ex ? { exception: ex } : {}), blame: b, ...(module ? { module } : {}), ...(processName ? { processName } : {}), ...(problemClass ? { problemClass } : {}), stack, notes };
}

/** Keys the analyzer prints with one space after the colon (the rest take two). */
const ONE_SPACE = new Set(['MODULE_NAME', 'ERROR_CODE', 'EXCEPTION_CODE']);

function key(name: string, value: string): Line[] {
  return [out(`${name}:${ONE_SPACE.has(name) ? ' ' : '  '}${value}`), out('')];
}

function codeText(code: number): string {
  const name = exceptionName(code);
  return `${hex(BigInt(code), 8)}${name ? ` (${name})` : ''}`;
}

/** The `.exr -1` block: address, code, flags, parameters and the access-violation sentence. */
function exceptionRecordLines(session: DumpSession, ex: TargetException): string[] {
  const size = session.target.pointerSize;
  const sym = session.symbols.symbolize(ex.address)?.text;
  const lines = [
    `ExceptionAddress: ${formatPointer(ex.address, size)}${sym ? ` (${sym})` : ''}`,
    `   ExceptionCode: ${codeText(ex.code)}`,
    `  ExceptionFlags: ${hex(BigInt(ex.flags), 8)}`,
    `NumberParameters: ${ex.parameters.length}`,
    ...ex.parameters.map((p, i) => `   Parameter[${i}]: ${formatPointer(p, size)}`),
  ];
  const kind = accessKind(ex.parameters[0]);
  const addr = ex.parameters[1];
  if (ex.code === 0xc0000005 && kind && addr !== undefined) {
    const verb = kind === 'READ' ? 'Attempt to read from address' : kind === 'WRITE' ? 'Attempt to write to address' : 'Attempt to execute non-executable address';
    lines.push(`${verb} ${formatPointer(addr, size)}`);
  }
  return lines;
}

/** `!analyze` on a user-mode dump, short form: box, exception line, blame, footer. */
export function userShortLines(a: UserAnalysis): Line[] {
  const lines: Line[] = analysisBox('Exception Analysis').map(out);
  lines.push(out(''), out('Use !analyze -v to get detailed debugging information.'), out(''));
  if (a.exception) lines.push(out(`ExceptionCode: ${codeText(a.exception.code)}`), out(''));
  lines.push(out(`Probably caused by : ${a.blame.image} ( ${a.blame.symbol} )`), out(''));
  lines.push(...footerLines(), ...a.notes.map(warn));
  return lines;
}

/** `!analyze -v` on a user-mode dump (Exception Analysis keys, windbg-commands.md 11). */
export function userVerboseLines(a: UserAnalysis, session: DumpSession): Line[] {
  const ex = a.exception;
  const size = session.target.pointerSize;
  const lines: Line[] = analysisBox('Exception Analysis').map(out);
  lines.push(out(''));
  if (ex) {
    // `.exr -1` is the dump's stored record; the analyzer shows -1 at pointer width, then as 64 bits.
    lines.push(out(`EXCEPTION_RECORD:  ${'f'.repeat(size * 2)} -- (.exr 0x${'f'.repeat(16)})`));
    lines.push(...exceptionRecordLines(session, ex).map(out), out(''));
  }
  const bugcheckStr = `APPLICATION_FAULT${a.problemClass ? `_${a.problemClass}` : ''}`;
  lines.push(...key('DEFAULT_BUCKET_ID', a.problemClass ?? 'APPLICATION_FAULT'));
  if (a.processName) lines.push(...key('PROCESS_NAME', a.processName));
  if (ex) {
    const code = `(NTSTATUS) 0x${hex(BigInt(ex.code), 8)} - ${exceptionName(ex.code) ?? 'unknown exception code'}`;
    lines.push(...key('ERROR_CODE', code), ...key('EXCEPTION_CODE', code));
  }
  lines.push(...key('BUGCHECK_STR', bugcheckStr));
  lines.push(out('STACK_TEXT:  '), ...stackTextLines(a.stack, size).map(out), out(''), out(''));
  lines.push(...key('STACK_COMMAND', ex?.context ? '.ecxr ; kb' : 'kb'));
  lines.push(...key('SYMBOL_NAME', a.blame.symbol));
  lines.push(...key('FOLLOWUP_NAME', 'MachineOwner'));
  lines.push(...key('MODULE_NAME', a.module?.name ?? 'Unknown_Module'));
  lines.push(...key('IMAGE_NAME', a.blame.image));
  lines.push(...key('DEBUG_FLR_IMAGE_TIMESTAMP', a.module ? minimalHex(BigInt(a.module.timestamp)) : '0'));
  const code8 = ex ? hex(BigInt(ex.code), 8) : 'NONE';
  lines.push(...key('FAILURE_BUCKET_ID', `${a.problemClass ?? 'APPLICATION_FAULT'}_${code8}_${a.blame.image}!${a.blame.symbol.split('!')[1]?.split('+')[0] ?? 'Unknown'}`));
  lines.push(...key('BUCKET_ID', `${bugcheckStr}_${a.blame.symbol}`));
  lines.push(...footerLines());
  lines.push(...a.notes.map(warn), warn('crashkd: the user-mode layout and bucket names follow WinDbg 6.x loosely; they are not from Microsoft\'s analysis database'));
  return lines;
}
