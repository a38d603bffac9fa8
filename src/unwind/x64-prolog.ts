/**
 * Undoing a function's prolog with its unwind codes, following chained UNWIND_INFO
 * (formats.md 6.2, 6.3; MS "x64 exception handling", unwind procedure).
 */
import { FormatError } from '../errors.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import type { ImageReader } from '../formats/pe/image-reader.js';
import { decodeUnwindInfo, UNW_FLAG_CHAININFO, UWOP, type UnwindInfo } from '../formats/pe/unwind-info.js';
import { add64, read64, RSP, type X64State } from './x64-state.js';

/** Chained UNWIND_INFO hops allowed before the data is declared corrupt (Windows uses 32). */
export const UNWIND_CHAIN_LIMIT = 32;

/** Bound passed to the UNWIND_INFO decoder; real limits come from short reads of the image. */
export const UNWIND_RVA_LIMIT = 0x7fffffff;

/** Where a machine frame was popped. */
export interface MachineFrame {
  /** rsp when the machine frame was popped (points at the error code when there is one, else at Rip). */
  readonly at: bigint;
  readonly errorCode: boolean;
}

/** Decodes the UNWIND_INFO at `rva`. */
export function loadUnwindInfo(reader: ImageReader, rva: number): UnwindInfo {
  return decodeUnwindInfo(reader, rva, UNWIND_RVA_LIMIT);
}

/**
 * The establisher frame ("frame base") that SAVE_* offsets are relative to: the frame register
 * minus 16*FrameOffset once the frame register is set up, else rsp (formats.md 6.2).
 */
export function establisherFrame(info: UnwindInfo, state: X64State, prologOffset: number): bigint {
  if (info.frameRegister === 0) return state.gpr[RSP]!;
  const fromFp = add64(state.gpr[info.frameRegister]!, -BigInt(info.frameOffset * 16));
  if (prologOffset >= info.prologSize || (info.flags & UNW_FLAG_CHAININFO) !== 0) return fromFp;
  const setFp = info.codes.find((c) => c.op === UWOP.SET_FPREG);
  return setFp && prologOffset >= setFp.codeOffset ? fromFp : state.gpr[RSP]!;
}

/** Pops a machine frame at rsp: rip and rsp come from it (plus cs, eflags, ss when readable). */
export function popMachineFrame(state: X64State, memory: VirtualMemory, errorCode: boolean): MachineFrame {
  const at = state.gpr[RSP]!;
  const frame = add64(at, errorCode ? 8n : 0n);
  state.rip = read64(memory, frame);
  state.gpr[RSP] = read64(memory, add64(frame, 0x18n));
  const optional = (off: bigint, mask: bigint): bigint | undefined => {
    try {
      return read64(memory, add64(frame, off)) & mask;
    } catch {
      return undefined;
    }
  };
  const cs = optional(0x8n, 0xffffn);
  const efl = optional(0x10n, 0xffffffffn);
  const ss = optional(0x20n, 0xffffn);
  if (cs !== undefined) state.extra['cs'] = cs;
  if (efl !== undefined) state.extra['efl'] = efl;
  if (ss !== undefined) state.extra['ss'] = ss;
  return { at, errorCode };
}

/**
 * Applies the unwind codes of `info` (only those already executed when `primary`, i.e. CodeOffset
 * <= prologOffset) and of its chained parents, then pops the return address unless a machine
 * frame supplied rip and rsp. Mutates `state`; memory faults throw MemoryReadError.
 */
export function unwindPrologue(
  state: X64State,
  memory: VirtualMemory,
  reader: ImageReader,
  info: UnwindInfo,
  prologOffset: number,
  frameBase: bigint,
): MachineFrame | undefined {
  let current = info;
  let primary = true;
  for (let hops = 0; ; hops++) {
    for (const code of current.codes) {
      if (primary && prologOffset < code.codeOffset) continue;
      const machine = applyCode(state, memory, current, code.op, code.opInfo, code.value, frameBase);
      // A machine frame gives the interrupted rip/rsp: nothing below it belongs to this function.
      if (machine) return machine;
    }
    if (!current.chained) break;
    if (hops >= UNWIND_CHAIN_LIMIT) throw new FormatError('PE', `UNWIND_INFO at rva 0x${info.rva.toString(16)}: chain longer than ${UNWIND_CHAIN_LIMIT}`, info.rva);
    current = loadUnwindInfo(reader, current.chained.unwindData);
    primary = false;
  }
  state.rip = read64(memory, state.gpr[RSP]!);
  state.gpr[RSP] = add64(state.gpr[RSP]!, 8n);
  return undefined;
}

function applyCode(
  state: X64State,
  memory: VirtualMemory,
  info: UnwindInfo,
  op: number,
  opInfo: number,
  value: number,
  frameBase: bigint,
): MachineFrame | undefined {
  const rsp = state.gpr[RSP]!;
  switch (op) {
    case UWOP.PUSH_NONVOL:
      state.gpr[opInfo] = read64(memory, rsp);
      state.gpr[RSP] = add64(rsp, 8n);
      break;
    case UWOP.ALLOC_LARGE:
    case UWOP.ALLOC_SMALL:
      state.gpr[RSP] = add64(rsp, BigInt(value));
      break;
    case UWOP.SET_FPREG:
      if (info.frameRegister === 0) throw new FormatError('PE', `UNWIND_INFO at rva 0x${info.rva.toString(16)}: SET_FPREG without a FrameRegister`, info.rva);
      state.gpr[RSP] = add64(state.gpr[info.frameRegister]!, -BigInt(info.frameOffset * 16));
      break;
    case UWOP.SAVE_NONVOL:
    case UWOP.SAVE_NONVOL_FAR:
      state.gpr[opInfo] = read64(memory, add64(frameBase, BigInt(value)));
      break;
    case UWOP.PUSH_MACHFRAME:
      return popMachineFrame(state, memory, opInfo !== 0);
    default:
      // SAVE_XMM128(_FAR): RegisterContext holds no XMM registers; EPILOG and spare codes do
      // nothing to a prolog. Their slots were already consumed by the decoder.
      break;
  }
  return undefined;
}
