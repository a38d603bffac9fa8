import { FormatError } from '../../errors.js';
import type { ByteSource } from './binary.js';
import { KDUMP_FORMAT, readRequired, u32le, u64le } from './binary.js';

/** File offset of the bitmap dump header: right after DUMP_HEADER64. */
export const BITMAP_DUMP_OFFSET = 0x2000;

/** Header fields, offsets from 0x2000 (formats.md 1.7, [2S]). */
export const BITMAP_DUMP = {
  Signature: 0x00,
  ValidDump: 0x04,
  FirstPage: 0x20,
  TotalPresentPages: 0x28,
  Pages: 0x30,
  Bitmap: 0x38,
} as const;

const SDMP = 0x504d4453;
const FDMP = 0x504d4446;
const VALID_DUMP = 0x504d5544;

/** The decoded bitmap dump header and its bitmap bytes. */
export interface BitmapDumpHeader {
  /** 'SDMP' = kernel memory (summary) bitmap, 'FDMP' = full (complete) bitmap. */
  readonly signature: 'SDMP' | 'FDMP';
  /** File offset of the first stored page (not necessarily page aligned). */
  readonly firstPage: number;
  /** Stored pages as written; checked against the bitmap's popcount by the caller. */
  readonly totalPresentPages: number;
  /** Number of bits (PFNs) in the bitmap. */
  readonly pages: number;
  readonly bitmap: Uint8Array;
}

function fail(field: string, message: string, offset: number): never {
  throw new FormatError(KDUMP_FORMAT, `BITMAP_DUMP.${field}: ${message}`, BITMAP_DUMP_OFFSET + offset);
}

/** Reads the 'SDMP'/'FDMP' header at 0x2000 and its bitmap, validating sizes against the file. */
export function parseBitmapHeader(source: ByteSource): BitmapDumpHeader {
  const h = readRequired(source, BITMAP_DUMP_OFFSET, BITMAP_DUMP.Bitmap, 'bitmap dump header');
  const sig = u32le(h, BITMAP_DUMP.Signature);
  if (sig !== SDMP && sig !== FDMP) fail('Signature', `0x${sig.toString(16)} is neither SDMP nor FDMP`, BITMAP_DUMP.Signature);
  const valid = u32le(h, BITMAP_DUMP.ValidDump);
  if (valid !== VALID_DUMP) fail('ValidDump', `0x${valid.toString(16)} is not 'DUMP'`, BITMAP_DUMP.ValidDump);
  const pages = u64le(h, BITMAP_DUMP.Pages);
  const bitmapStart = BITMAP_DUMP_OFFSET + BITMAP_DUMP.Bitmap;
  const bitmapBytes = (pages + 7n) / 8n;
  if (pages === 0n || bitmapStart + Number(bitmapBytes > 1n << 50n ? 1n << 50n : bitmapBytes) > source.size) {
    fail('Pages', `0x${pages.toString(16)} needs a bitmap of 0x${bitmapBytes.toString(16)} bytes, which does not fit in the file (0x${source.size.toString(16)} bytes)`, BITMAP_DUMP.Pages);
  }
  const bitmapEnd = bitmapStart + Number(bitmapBytes);
  const first = u64le(h, BITMAP_DUMP.FirstPage);
  if (first < BigInt(bitmapEnd) || first > BigInt(Number.MAX_SAFE_INTEGER)) {
    fail('FirstPage', `0x${first.toString(16)} does not lie after the bitmap (which ends at 0x${bitmapEnd.toString(16)})`, BITMAP_DUMP.FirstPage);
  }
  const total = u64le(h, BITMAP_DUMP.TotalPresentPages);
  if (total > pages) fail('TotalPresentPages', `0x${total.toString(16)} exceeds the bitmap size 0x${pages.toString(16)}`, BITMAP_DUMP.TotalPresentPages);
  return {
    signature: sig === SDMP ? 'SDMP' : 'FDMP',
    firstPage: Number(first),
    totalPresentPages: Number(total),
    pages: Number(pages),
    bitmap: readRequired(source, bitmapStart, Number(bitmapBytes), 'bitmap'),
  };
}
