/**
 * UNWIND_INFO and UNWIND_CODE decoding for x64 (formats.md 6.1, 6.2; MS "x64 exception
 * handling"). Decoding only: src/unwind applies the codes to a register context.
 */
import { FormatError } from '../../errors.js';
import { hexNum, readRequired, u16, u32, type ImageReader } from './image-reader.js';
import type { RuntimeFunction } from './runtime-functions.js';

/** UNWIND_CODE.UnwindOp values. */
export const UWOP = {
  PUSH_NONVOL: 0,
  ALLOC_LARGE: 1,
  ALLOC_SMALL: 2,
  SET_FPREG: 3,
  SAVE_NONVOL: 4,
  SAVE_NONVOL_FAR: 5,
  /** Version 2: epilog descriptor. Version 1: the obsolete SAVE_XMM (2 slots). */
  EPILOG: 6,
  /** Reserved (the obsolete SAVE_XMM_FAR), 3 slots. */
  SPARE_CODE: 7,
  SAVE_XMM128: 8,
  SAVE_XMM128_FAR: 9,
  PUSH_MACHFRAME: 10,
} as const;

/** UNWIND_INFO.Flags bits. */
export const UNW_FLAG_EHANDLER = 0x1;
/** Termination handler present. */
export const UNW_FLAG_UHANDLER = 0x2;
/** A parent RUNTIME_FUNCTION follows the codes. */
export const UNW_FLAG_CHAININFO = 0x4;

/** What a UWOP_EPILOG slot says (version 2 only). */
export type EpilogDescriptor =
  | { readonly kind: 'first'; readonly size: number; readonly atEnd: boolean }
  | { readonly kind: 'offset'; readonly offset: number }
  | { readonly kind: 'padding' };

/** One decoded operation (1 to 3 slots). */
export interface UnwindCode {
  /** Index of the operation's first slot in the UnwindCode array. */
  readonly slot: number;
  /** Offset from the function start of the end of the prolog instruction. */
  readonly codeOffset: number;
  readonly op: number;
  readonly opInfo: number;
  readonly slots: number;
  /**
   * Operand in bytes: ALLOC_* size, SAVE_* offset from the frame base, SET_FPREG 16*FrameOffset,
   * PUSH_MACHFRAME 1 when an error code was pushed; 0 otherwise.
   */
  readonly value: number;
  readonly epilog?: EpilogDescriptor;
}

/** A decoded UNWIND_INFO. */
export interface UnwindInfo {
  readonly rva: number;
  readonly version: number;
  readonly flags: number;
  readonly prologSize: number;
  /** Number of 16-bit slots (not operations). */
  readonly countOfCodes: number;
  /** 0 = none, else the register number (0 rax .. 15 r15). */
  readonly frameRegister: number;
  /** Raw 4-bit FrameOffset; the frame pointer is RSP + 16 * frameOffset. */
  readonly frameOffset: number;
  readonly codes: readonly UnwindCode[];
  /** Language handler RVA when EHANDLER or UHANDLER is set (and CHAININFO is not). */
  readonly handlerRva?: number;
  /** RVA of the handler data following the handler RVA. */
  readonly handlerDataRva?: number;
  /** The parent entry when CHAININFO is set. */
  readonly chained?: RuntimeFunction;
}

/** Register names in UNWIND_CODE order, as RegisterContext spells them. */
export const UNWIND_REGISTERS = [
  'rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
] as const;

/** Number of slots an operation occupies (version decides what op 6 means). */
export function unwindOpSlots(op: number, opInfo: number, version: number): number {
  switch (op) {
    case UWOP.ALLOC_LARGE:
      return opInfo === 0 ? 2 : 3;
    case UWOP.SAVE_NONVOL:
    case UWOP.SAVE_XMM128:
      return 2;
    case UWOP.SAVE_NONVOL_FAR:
    case UWOP.SAVE_XMM128_FAR:
    case UWOP.SPARE_CODE:
      return 3;
    case UWOP.EPILOG:
      return version >= 2 ? 1 : 2;
    default:
      return 1;
  }
}

/** Decodes the UNWIND_INFO at `rva`; every slot count and trailer is checked against `sizeOfImage`. */
export function decodeUnwindInfo(reader: ImageReader, rva: number, sizeOfImage: number): UnwindInfo {
  const what = `UNWIND_INFO at rva ${hexNum(rva)}`;
  if (rva < 0 || rva + 4 > sizeOfImage) throw new FormatError('PE', `${what}: lies outside the image`, rva);
  const head = readRequired(reader, rva, 4, what);
  const version = head[0]! & 7;
  const flags = head[0]! >> 3;
  if (version !== 1 && version !== 2) throw new FormatError('PE', `${what}: Version ${version} is not 1 or 2`, rva);
  const countOfCodes = head[2]!;
  const trailerSlot = (countOfCodes + 1) & ~1;
  const chainedFlag = (flags & UNW_FLAG_CHAININFO) !== 0;
  const handlerFlag = !chainedFlag && (flags & (UNW_FLAG_EHANDLER | UNW_FLAG_UHANDLER)) !== 0;
  const trailerSize = chainedFlag ? 12 : handlerFlag ? 4 : 0;
  const total = 4 + 2 * trailerSlot + trailerSize;
  if (rva + total > sizeOfImage) throw new FormatError('PE', `${what}: CountOfCodes ${countOfCodes} runs past the image`, rva + 2);
  const b = readRequired(reader, rva, total, what);

  const codes: UnwindCode[] = [];
  let seenFirstEpilog = false;
  for (let slot = 0; slot < countOfCodes; ) {
    const o = 4 + 2 * slot;
    const codeOffset = b[o]!;
    const op = b[o + 1]! & 0xf;
    const opInfo = b[o + 1]! >> 4;
    if (op > UWOP.PUSH_MACHFRAME) throw new FormatError('PE', `${what}: UNWIND_CODE ${slot} has unknown UnwindOp ${op}`, rva + o);
    const slots = unwindOpSlots(op, opInfo, version);
    if (slot + slots > countOfCodes) {
      throw new FormatError('PE', `${what}: UNWIND_CODE ${slot} (op ${op}) needs ${slots} slots, only ${countOfCodes - slot} remain`, rva + o);
    }
    const s1 = slots > 1 ? u16(b, o + 2) : 0;
    const s2 = slots > 2 ? u16(b, o + 4) : 0;
    let value = 0;
    let epilog: EpilogDescriptor | undefined;
    switch (op) {
      case UWOP.ALLOC_LARGE:
        value = opInfo === 0 ? s1 * 8 : s1 + s2 * 0x10000;
        break;
      case UWOP.ALLOC_SMALL:
        value = opInfo * 8 + 8;
        break;
      case UWOP.SET_FPREG:
        value = (head[3]! >> 4) * 16;
        break;
      case UWOP.SAVE_NONVOL:
        value = s1 * 8;
        break;
      case UWOP.SAVE_XMM128:
        value = s1 * 16;
        break;
      case UWOP.SAVE_NONVOL_FAR:
      case UWOP.SAVE_XMM128_FAR:
        value = s1 + s2 * 0x10000;
        break;
      case UWOP.PUSH_MACHFRAME:
        value = opInfo === 0 ? 0 : 1;
        break;
      case UWOP.EPILOG:
        if (version >= 2) {
          if (!seenFirstEpilog) epilog = { kind: 'first', size: codeOffset, atEnd: (opInfo & 1) !== 0 };
          else {
            const offset = codeOffset | (opInfo << 8);
            epilog = offset === 0 ? { kind: 'padding' } : { kind: 'offset', offset };
          }
          seenFirstEpilog = true;
        }
        break;
      default:
        break;
    }
    codes.push(epilog ? { slot, codeOffset, op, opInfo, slots, value, epilog } : { slot, codeOffset, op, opInfo, slots, value });
    slot += slots;
  }

  const trailer = 4 + 2 * trailerSlot;
  const base = { rva, version, flags, prologSize: head[1]!, countOfCodes, frameRegister: head[3]! & 0xf, frameOffset: head[3]! >> 4, codes };
  if (chainedFlag) {
    const chained = { begin: u32(b, trailer), end: u32(b, trailer + 4), unwindData: u32(b, trailer + 8) };
    if (chained.end < chained.begin || chained.end > sizeOfImage) {
      throw new FormatError('PE', `${what}: chained RUNTIME_FUNCTION ${hexNum(chained.begin)}-${hexNum(chained.end)} is invalid`, rva + trailer);
    }
    return { ...base, chained };
  }
  if (handlerFlag) return { ...base, handlerRva: u32(b, trailer), handlerDataRva: rva + trailer + 4 };
  return base;
}
