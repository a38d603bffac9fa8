import { FormatError } from '../../errors.js';
import { cstringAt } from './cursor.js';

/** CodeView symbol record kinds we decode (formats.md 7.4). */
export const SymKind = {
  S_END: 0x0006,
  S_THUNK32: 0x1102,
  S_LDATA32: 0x110c,
  S_GDATA32: 0x110d,
  S_PUB32: 0x110e,
  S_LPROC32: 0x110f,
  S_GPROC32: 0x1110,
  S_PROCREF: 0x1125,
  S_LPROCREF: 0x1127,
  S_LPROC32_ID: 0x1146,
  S_GPROC32_ID: 0x1147,
  S_LPROC32_DPC: 0x1155,
  S_LPROC32_DPC_ID: 0x1156,
} as const;

const PROC_KINDS: ReadonlySet<number> = new Set([
  SymKind.S_LPROC32, SymKind.S_GPROC32, SymKind.S_LPROC32_ID, SymKind.S_GPROC32_ID,
  SymKind.S_LPROC32_DPC, SymKind.S_LPROC32_DPC_ID,
]);

/** S_PUB32. */
export interface PublicSymbol {
  readonly name: string;
  readonly segment: number;
  readonly offset: number;
  /** PubSymFlags: bit0 code, bit1 function, bit2 managed, bit3 MSIL. */
  readonly flags: number;
}

/** S_GPROC32 / S_LPROC32 (and _ID / _DPC variants), or an S_THUNK32. */
export interface ProcedureSymbol {
  readonly name: string;
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
  readonly kind: number;
  /** Offset of the record inside its module stream (what S_PROCREF.SymOffset points at). */
  readonly recordOffset: number;
}

/** S_PROCREF / S_LPROCREF from the global symbol records. */
export interface ProcedureRef {
  readonly name: string;
  /** 0-based DBI module index (the record stores it 1-based). */
  readonly moduleIndex: number;
  readonly symOffset: number;
  readonly local: boolean;
}

/** Calls `visit(kind, offset, length)` for each record in `buf[start, end)`; `offset` is the record start. */
export function forEachRecord(
  buf: Buffer,
  start: number,
  end: number,
  where: string,
  visit: (kind: number, offset: number, recordLength: number) => void,
): void {
  let pos = start;
  const limit = Math.min(end, buf.length);
  while (pos + 4 <= limit) {
    const len = buf.readUInt16LE(pos);
    if (len < 2 || pos + 2 + len > limit) {
      throw new FormatError('pdb', `${where}: RecordLength ${len} at offset 0x${pos.toString(16)} runs past the end (0x${limit.toString(16)})`, pos);
    }
    visit(buf.readUInt16LE(pos + 2), pos, len);
    pos += 2 + len;
  }
}

/** Decodes the S_PUB32 at `offset`, or undefined when the record is another kind or too short. */
export function decodePublic(buf: Buffer, offset: number): PublicSymbol | undefined {
  if (offset + 4 > buf.length) return undefined;
  const len = buf.readUInt16LE(offset);
  const end = offset + 2 + len;
  if (buf.readUInt16LE(offset + 2) !== SymKind.S_PUB32 || len < 0x0e || end > buf.length) return undefined;
  const name = cstringAt(buf, offset + 0x0e, end);
  if (name === undefined) return undefined;
  return { flags: buf.readUInt32LE(offset + 4), offset: buf.readUInt32LE(offset + 8), segment: buf.readUInt16LE(offset + 0x0c), name };
}

/**
 * Decodes a procedure or thunk record at `offset`, or undefined for other kinds. `recordBase`
 * is added to the reported recordOffset when `buf` holds only part of the stream.
 */
export function decodeProcedure(buf: Buffer, offset: number, recordBase = 0): ProcedureSymbol | undefined {
  if (offset + 4 > buf.length) return undefined;
  const len = buf.readUInt16LE(offset);
  const kind = buf.readUInt16LE(offset + 2);
  const end = offset + 2 + len;
  if (end > buf.length) return undefined;
  if (PROC_KINDS.has(kind) && len >= 0x25) {
    const name = cstringAt(buf, offset + 0x27, end);
    if (name === undefined) return undefined;
    return {
      name, kind, recordOffset: recordBase + offset,
      length: buf.readUInt32LE(offset + 0x10),
      offset: buf.readUInt32LE(offset + 0x20),
      segment: buf.readUInt16LE(offset + 0x24),
    };
  }
  if (kind === SymKind.S_THUNK32 && len >= 0x17) {
    const name = cstringAt(buf, offset + 0x19, end);
    if (name === undefined) return undefined;
    return {
      name, kind, recordOffset: recordBase + offset,
      offset: buf.readUInt32LE(offset + 0x10),
      segment: buf.readUInt16LE(offset + 0x14),
      length: buf.readUInt16LE(offset + 0x16),
    };
  }
  return undefined;
}

/** Decodes an S_PROCREF / S_LPROCREF at `offset`, or undefined for other kinds. */
export function decodeProcRef(buf: Buffer, offset: number): ProcedureRef | undefined {
  if (offset + 4 > buf.length) return undefined;
  const len = buf.readUInt16LE(offset);
  const kind = buf.readUInt16LE(offset + 2);
  const end = offset + 2 + len;
  if ((kind !== SymKind.S_PROCREF && kind !== SymKind.S_LPROCREF) || len < 0x0e || end > buf.length) return undefined;
  const name = cstringAt(buf, offset + 0x0e, end);
  const module = buf.readUInt16LE(offset + 0x0c);
  if (name === undefined || module === 0) return undefined;
  return { name, symOffset: buf.readUInt32LE(offset + 8), moduleIndex: module - 1, local: kind === SymKind.S_LPROCREF };
}
