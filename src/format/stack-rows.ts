import { formatPointer, formatRawAddress } from '../memory/address.js';
import { readUnsigned } from '../memory/virtual-memory.js';
import type { DumpSession } from '../session/dump-session.js';
import type { StackFrame } from '../session/stack-walker.js';

/** One `k` row as data: what each column shows. */
export interface StackRow {
  readonly frame: StackFrame;
  readonly callSite: string;
  readonly inModule: boolean;
  readonly args: readonly bigint[];
  /** Bytes between this frame's Child-SP and the previous one (`kf`). */
  readonly memory?: bigint;
  /** A symbol-load message to print before this row. */
  readonly loadMessage?: string;
}

/**
 * Resolves the columns of a walked stack. "Args to Child" are the four pointer-sized home-space
 * slots just above the frame's return address, i.e. at the caller's stack pointer: on the seed's
 * processor 0 that is how frame 0 shows KeBugCheckEx's own arguments (spilled at entry) while
 * frame 1, only 8 bytes higher, shows different ones. Unreadable slots print as zero.
 */
export function stackRows(session: DumpSession, frames: readonly StackFrame[]): StackRow[] {
  const t = session.target;
  const size = t.pointerSize;
  return frames.map((frame, i) => {
    const callerSp = frames[i + 1]?.stackPointer ?? frame.callerStackPointer ?? frame.stackPointer + BigInt(size);
    const args = [0, 1, 2, 3].map((k) => readUnsigned(t.memory, callerSp + BigInt(k * size), size) ?? 0n);
    const sym = session.symbols.symbolize(frame.instructionPointer);
    const prev = frames[i - 1];
    return {
      frame,
      callSite: sym?.text ?? formatRawAddress(frame.instructionPointer, size),
      inModule: sym !== undefined,
      args,
      ...(prev ? { memory: frame.stackPointer - prev.stackPointer } : {}),
      ...(sym?.loadMessage ? { loadMessage: sym.loadMessage } : {}),
    };
  });
}

/** `fffff880`06e53328 fffff800`03b2da4a` (Child-SP and RetAddr). */
export function spRet(row: StackRow, pointerSize: 4 | 8): string {
  return `${formatPointer(row.frame.stackPointer, pointerSize)} ${formatPointer(row.frame.returnAddress, pointerSize)}`;
}

/** A `k` row as `--json` data (addresses stay bigint; the JSON writer turns them into hex). */
export function stackRowJson(row: StackRow): Record<string, unknown> {
  return {
    index: row.frame.index,
    childSp: row.frame.stackPointer,
    retAddr: row.frame.returnAddress,
    args: row.args,
    callSite: row.callSite,
    trust: row.frame.trust,
    ...(row.frame.trapFrame !== undefined ? { trapFrame: row.frame.trapFrame } : {}),
  };
}
