import { FormatError } from '../../errors.js';
import type { ByteSource } from './binary.js';
import { KDUMP_FORMAT, readRequired, u32le, u64le } from './binary.js';
import type { TriageDump64 } from './triage-dump.js';

/**
 * DUMP_DRIVER_ENTRY64: DriverNameOffset u32, pad, then an old-layout KLDR_DATA_TABLE_ENTRY64
 * copy at +8 (formats.md 1.8, [2S][F]). Offsets below are from the start of the entry.
 */
export const DUMP_DRIVER_ENTRY64 = {
  DriverNameOffset: 0x00,
  DllBase: 0x08 + 0x30,
  SizeOfImage: 0x08 + 0x40,
  CheckSum: 0x08 + 0x78,
  TimeDateStamp: 0x08 + 0x80,
  /** Smallest entry that holds every field above. */
  MinSize: 0x90,
} as const;

/** Stride observed on Windows 10 (triage_x64: 0x54F0 / 151 entries). */
const DEFAULT_STRIDE = 0x90;
/** UNICODE_STRING lengths are u16 bytes, so no name is longer than 32767 characters. */
const MAX_NAME_CHARS = 0x7fff;

/** One loaded driver as the triage dump lists it. */
export interface TriageDriver {
  /** Full path from the string pool, e.g. `\SystemRoot\system32\ntoskrnl.exe`. */
  readonly path: string;
  readonly base: bigint;
  readonly size: number;
  readonly checksum: number;
  readonly timestamp: number;
}

/**
 * Reads a DUMP_STRING at file offset `offset`: Length u32 counted in UTF-16 characters (despite
 * the header comment saying bytes; formats.md 1.8 [2S][F]), then the characters.
 */
export function readDumpString(source: ByteSource, offset: number): string {
  const head = readRequired(source, offset, 4, 'DUMP_STRING');
  const chars = u32le(head, 0);
  if (chars > MAX_NAME_CHARS || offset + 4 + chars * 2 > source.size) {
    throw new FormatError(KDUMP_FORMAT, `DUMP_STRING.Length ${chars} at file offset 0x${offset.toString(16)} does not fit in the file`, offset);
  }
  const body = readRequired(source, offset + 4, chars * 2, 'DUMP_STRING');
  return Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf16le');
}

/** Entry stride: derived from the gap up to the string pool when that is sane, else 0x90. */
function driverStride(t: TriageDump64): number {
  if (t.driverCount === 0 || t.stringPool.offset <= t.driverListOffset) return DEFAULT_STRIDE;
  const gap = t.stringPool.offset - t.driverListOffset;
  const stride = gap / t.driverCount;
  return Number.isInteger(stride) && stride % 8 === 0 && stride >= DUMP_DRIVER_ENTRY64.MinSize && stride <= 0x100 ? stride : DEFAULT_STRIDE;
}

/** Decodes the triage driver list; a name that cannot be read becomes `unknown_<base>` rather than failing. */
export function parseTriageDrivers(source: ByteSource, triage: TriageDump64): TriageDriver[] {
  const stride = driverStride(triage);
  const count = triage.driverCount;
  if (count === 0) return [];
  const need = (count - 1) * stride + DUMP_DRIVER_ENTRY64.MinSize;
  const all = readRequired(source, triage.driverListOffset, need, 'TRIAGE_DUMP64 driver list');
  const drivers: TriageDriver[] = [];
  for (let i = 0; i < count; i++) {
    const e = i * stride;
    const base = u64le(all, e + DUMP_DRIVER_ENTRY64.DllBase);
    let path: string;
    try {
      path = readDumpString(source, u32le(all, e + DUMP_DRIVER_ENTRY64.DriverNameOffset));
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      path = `unknown_${base.toString(16)}`;
    }
    drivers.push({
      path,
      base,
      size: u32le(all, e + DUMP_DRIVER_ENTRY64.SizeOfImage),
      checksum: u32le(all, e + DUMP_DRIVER_ENTRY64.CheckSum),
      timestamp: u32le(all, e + DUMP_DRIVER_ENTRY64.TimeDateStamp),
    });
  }
  return drivers;
}
